"""The API's OpenAPI document as committed in ``docs/api/openapi.json``: every contract change is
deliberate (``manage.py api_schema`` rewrites it; a test fails while the code and the file differ)."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.utils import translation

COMMITTED = Path(settings.BASE_DIR) / "docs" / "api" / "openapi.json"


def openapi_text() -> str:
    """The document the code serves at /api/v1/openapi.json, as stable text (English, sorted keys)."""
    from careerbreak.api.urls import api

    with translation.override("en"):
        schema = api.get_openapi_schema(path_params={})
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
