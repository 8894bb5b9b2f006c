"""The public verification page of issued documents (no login): by code, or by uploading the PDF.

Both are rate-limited per client address and audited (interruptions/document_verification.py). A code
that matches nothing, or that cannot be a code, gets one neutral answer.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from careerbreak.core.ratelimit import VERIFICATION_PER_IP, client_ip, rate_limit
from careerbreak.core.uploads import uploads_too_large
from careerbreak.interruptions.document_verification import verify_code, verify_file


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Verification code"),
        help_text=gettext_lazy("Printed at the end of the document: four groups of four letters and digits."),
        # No length limit of its own: anything that is not a code gets the one neutral answer.
    )


def _megabytes(size: int) -> str:
    return number_format(size / (1024 * 1024), decimal_pos=0)


class FileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("The document (PDF)"),
        help_text=gettext_lazy("The file as you received it."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.VERIFICATION_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_too_large())
        return upload


def _too_large() -> str:
    return gettext("The file is larger than %(size)s MB: no document of the service is that large.") % {
        "size": _megabytes(settings.VERIFICATION_UPLOAD_MAX_BYTES)
    }


@require_GET
@rate_limit(VERIFICATION_PER_IP, when=lambda request: "code" in request.GET)
def verify(request: HttpRequest) -> HttpResponse:
    """The form; with ?code= (typed, or from the QR code), the answer for that code."""
    form = CodeForm(request.GET if "code" in request.GET else None)
    context: dict[str, Any] = {"form": form, "looked_up": False}
    if form.is_bound and form.is_valid():
        context["looked_up"] = True
        context["issued"] = verify_code(form.cleaned_data["code"], ip_address=client_ip(request))
    return render(request, "portal/verify.html", context)


@require_http_methods(["GET", "POST"])
@rate_limit(VERIFICATION_PER_IP, methods={"POST"})
def verify_upload(request: HttpRequest) -> HttpResponse:
    """The upload form; after a POST, whether the file is one the service issued and its seal valid."""
    if request.method != "POST":
        return render(request, "portal/verify_file.html", {"form": FileForm()})
    form = FileForm(request.POST, request.FILES)
    context: dict[str, Any] = {"form": form}
    if uploads_too_large(request):
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", _too_large())
    elif form.is_valid():
        content = form.cleaned_data["file"].read()
        context["result"] = verify_file(content, ip_address=client_ip(request))
    return render(request, "portal/verify_file.html", context)
