"""The baseline page of the benchmarks: what the cheapest page of this stack costs on this machine.

A bare Django view, served by the same gunicorn with the same settings and middleware as the product,
that makes one indexed query (an enterprise by its unique number) and renders a small template through
the project's template engine (context processors included). Every figure of the journey and of the
consultation is reported as a ratio to this page measured in the same run.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.views.decorators.http import require_GET

from careerbreak.registries.models import Enterprise

BASELINE_ENTERPRISE = "0812345603"  # Boulangerie Dubois in the demo data

_TEMPLATE = engines["django"].from_string(
    """<!DOCTYPE html>
<html lang="{{ LANGUAGE_CODE|default:'fr' }}">
<head><meta charset="utf-8"><title>Baseline</title></head>
<body>
<main>
<h1>{{ enterprise.name|default:"–" }}</h1>
<dl>
  <dt>Number</dt><dd>{{ enterprise.formatted_number }}</dd>
  <dt>City</dt><dd>{{ enterprise.postal_code }} {{ enterprise.city }}</dd>
  <dt>Headcount</dt><dd>{{ enterprise.reference_headcount }}</dd>
</dl>
</main>
</body>
</html>
"""
)


@require_GET
def baseline(request: HttpRequest) -> HttpResponse:
    enterprise = Enterprise.objects.filter(number=BASELINE_ENTERPRISE).first()
    return HttpResponse(_TEMPLATE.render({"enterprise": enterprise}, request))
