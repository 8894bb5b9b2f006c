"""HTML (a Django template) to an accessible PDF (PDF/UA-1) with WeasyPrint.

The font is shipped with the project (DejaVu Sans, `static/documents/fonts/`) and loaded through
`@font-face` from a file URL, so that a document looks the same on every machine whatever fonts it has.
WeasyPrint may read nothing else: the URL fetcher refuses every other address (no network, no file
outside the fonts folder), and a font that cannot be read stops the rendering instead of falling back
to a system font.

Each thread keeps one FontConfiguration and the parsed stylesheet: loading the fonts is the expensive
part of a small document, and WeasyPrint's objects are not meant to be shared between threads.

WeasyPrint is imported on first use: it loads Pango when imported, and only rendering needs it
(`make` checks that Pango is installed).
"""

from __future__ import annotations

import atexit
import base64
import logging
import os
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from careerbreak.documents.wording import page_numbers_css

STATIC_DIR = Path(__file__).resolve().parent / "static" / "documents"
FONT_DIR = STATIC_DIR / "fonts"

# fontTools stamps each embedded font subset with the time it was saved (its head table), so that two
# renderings a second apart differed in their bytes; the reproducible-builds convention fixes that stamp.
# Only fontTools reads it in this process. 1 January 2024, a date earlier than any document.
os.environ.setdefault("SOURCE_DATE_EPOCH", "1704067200")
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
STYLESHEET = STATIC_DIR / "pdf.css"
PDF_VARIANT = "pdf/ua-1"
# The one kind of inline resource a document may carry: a PNG image written by the service (the QR code).
PNG_DATA_PREFIX = "data:image/png;base64,"


class RenderingError(Exception):
    """The PDF could not be produced (a shipped font or the stylesheet missing or unreadable)."""


class ResourceRefused(ValueError):
    """A document asked for something other than the shipped fonts."""


def _fetcher() -> Any:
    from weasyprint import URLFetcher
    from weasyprint.urls import URLFetcherResponse

    class ShippedFontsOnly(URLFetcher):
        """Serves the files of the fonts folder and the service's own inline PNG; refuses everything else."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if url.startswith(PNG_DATA_PREFIX):
                # The verification QR code (documents/seal_footer.html), drawn here, never fetched.
                try:
                    body = base64.b64decode(url[len(PNG_DATA_PREFIX) :], validate=True)
                except ValueError as exc:
                    raise ResourceRefused("a QR code that is not base64") from exc
                return URLFetcherResponse(url, body=body, headers={"Content-Type": "image/png"})
            if parts.scheme == "file":
                path = Path(url2pathname(parts.path)).resolve()
                if path.is_relative_to(FONT_DIR) and path.is_file():
                    return URLFetcherResponse(url, body=path.read_bytes())
            raise ResourceRefused(f"a document may only use the shipped fonts, not {url}")

    # A resource that cannot be fetched stops the rendering (FatalURLFetchingError) instead of being
    # skipped: a missing font must not silently become a system font.
    return ShippedFontsOnly(fail_on_errors=True)


_local = threading.local()


@atexit.register
def _forget_styles() -> None:
    # WeasyPrint's FontConfiguration removes its temporary folder when collected, which fails if that
    # happens during interpreter shutdown: drop the main thread's cache while the interpreter is whole.
    _local.__dict__.pop("styles", None)


def _quiet_progress_log() -> None:
    # WeasyPrint logs each rendering step at INFO; keep that out of the service's logs unless the
    # logger was configured on purpose.
    progress = logging.getLogger("weasyprint.progress")
    if progress.level == logging.NOTSET:
        progress.setLevel(logging.WARNING)


_quiet_progress_log()


def _styles() -> tuple[Any, Any, Any]:
    """This thread's FontConfiguration, parsed stylesheet (with its @font-face) and URL fetcher."""
    cached = getattr(_local, "styles", None)
    if cached is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import FatalURLFetchingError

        for name in FONT_FILES:
            if not (FONT_DIR / name).is_file():
                raise RenderingError(f"The shipped font {FONT_DIR / name} is missing.")
        fetcher = _fetcher()
        font_config = FontConfiguration()
        try:
            stylesheet = CSS(filename=str(STYLESHEET), font_config=font_config, url_fetcher=fetcher)
        except (OSError, FatalURLFetchingError) as exc:
            raise RenderingError(f"The document stylesheet or its fonts could not be loaded: {exc}") from exc
        cached = _local.styles = (font_config, stylesheet, fetcher)
    return cached


def render_pdf(*, template: str, context: dict[str, Any], language: str, title: str) -> bytes:
    """The template rendered in `language` as a tagged, accessible PDF/UA-1 document titled `title`.

    The template extends "documents/base.html", which writes the document language (`<html lang>`,
    the PDF's /Lang), the title (the PDF's metadata), the issuer at the top of the first page (with the
    context's `issuer_office` if any), the page numbers in the bottom-right margin ("Page 1 de 2") and,
    when the context has `created` (an aware datetime), the creation date. The same template, context
    and language give the same bytes. Raises RenderingError when the shipped fonts or stylesheet cannot
    be used.
    """
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    with translation.override(language):
        # The page numbers' wording: a CSS string built from the catalogue, escaped for a <style>.
        page_numbers = mark_safe(page_numbers_css())  # noqa: S308
        html = render_to_string(
            template, {**context, "title": title, "language": language, "page_numbers": page_numbers}
        )
    font_config, stylesheet, fetcher = _styles()
    try:
        pdf = HTML(string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=fetcher).write_pdf(
            stylesheets=[stylesheet], font_config=font_config, pdf_variant=PDF_VARIANT
        )
    except FatalURLFetchingError as exc:
        raise RenderingError(f"The document asked for a resource it may not use: {exc}") from exc
    if not isinstance(pdf, bytes):  # pragma: no cover - write_pdf without a target returns bytes
        raise RenderingError("WeasyPrint returned no PDF.")
    return pdf
