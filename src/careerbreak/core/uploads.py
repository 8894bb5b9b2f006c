"""Uploads stopped while they arrive: a file over ``settings.ATTACHMENT_MAX_BYTES`` is skipped (its bytes
so far dropped, no temporary file kept) and its name noted on the request, so that the view answers with a
message naming it instead of reading it whole."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

TOO_LARGE = "careerbreak_uploads_too_large"


def uploads_too_large(request: HttpRequest) -> list[str]:
    """The names of the files this request sent over the size limit (skipped, not in request.FILES)."""
    return list(getattr(request, TOO_LARGE, []))


class SizeLimitUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: counts each file's bytes and passes them on to the next handler."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.ATTACHMENT_MAX_BYTES:
            if self.request is not None:
                setattr(self.request, TOO_LARGE, [*uploads_too_large(self.request), self.file_name or "?"])
            # The parser closes the files the next handlers opened and skips the rest of this one.
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
