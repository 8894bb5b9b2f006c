"""'Mes droits': the worker's rights used and left, and the attestation of the periods used (PDF).

Both read only the logged-in person's own periods (`interruptions.rights`), audited there; the middleware
keeps the page out of every cache (an authenticated page), the PDF says so itself.
"""

from __future__ import annotations

from typing import cast

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from careerbreak.core.errors import NotFound
from careerbreak.interruptions import rights
from careerbreak.worker.views import CitizenRequest, citizen_required


@require_GET
@citizen_required
def my_rights(request: HttpRequest) -> HttpResponse:
    try:
        data = rights.worker_rights(acting=cast(CitizenRequest, request).acting)
    except NotFound as exc:
        raise Http404("person") from exc
    return render(request, "worker/rights.html", {"data": data})


@require_GET
@citizen_required
def rights_attestation(request: HttpRequest) -> HttpResponse:
    language = (request.LANGUAGE_CODE or "fr")[:2]
    try:
        filename, pdf = rights.rights_attestation(
            acting=cast(CitizenRequest, request).acting, language=language
        )
    except NotFound as exc:
        raise Http404("person") from exc
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
