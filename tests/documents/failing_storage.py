"""A file-system storage that refuses to write while `FailingStorage.failing` is set (a full disk)."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import FileSystemStorage


class FailingStorage(FileSystemStorage):
    failing = False
    attempts = 0

    def _save(self, name: str, content: Any) -> str:
        FailingStorage.attempts += 1
        if FailingStorage.failing:
            raise OSError(28, "No space left on device")
        return super()._save(name, content)
