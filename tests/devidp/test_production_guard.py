"""The development identity provider can never run in production."""

from __future__ import annotations

import os
import sys

from tests.subprocesses import ROOT, SEAL_ENV, env_without_settings, probe

PRODUCTION_ENV = {
    "CAREERBREAK_ENV": "production",
    # Production seals every document (documents/seal.py); only read here, never used to sign.
    **SEAL_ENV,
    "DJANGO_SECRET_KEY": "production-test-secret-" + "x" * 40,
    "DATABASE_URL": "sqlite:///:memory:",
    "OIDC_ISSUER": "https://idp.iamfas.belgium.be/fas/oauth2",
    "OIDC_CLIENT_ID": "careerbreak",
    "OIDC_CLIENT_SECRET": "secret",
    "DJANGO_ALLOWED_HOSTS": "careerbreak.example",
    # Required in production (the rate-limit counters); only read here, never connected to.
    "CACHE_URL": "redis://127.0.0.1:6379/0",
}

PROBE = """
import json
import django
from django.core.exceptions import ImproperlyConfigured
result = {}
try:
    django.setup()
except ImproperlyConfigured as exc:
    result["setup_error"] = str(exc)
else:
    from django.conf import settings
    result["devidp_installed"] = "careerbreak.devidp" in settings.INSTALLED_APPS
    import config.urls
    result["devidp_routes"] = any("devidp" in str(p.pattern) for p in config.urls.urlpatterns)
    try:
        import config.urls_devidp  # noqa: F401
    except ImproperlyConfigured as exc:
        result["urls_devidp_error"] = str(exc)
print(json.dumps(result))
"""


def run_probe(**extra: str) -> dict[str, object]:
    env = env_without_settings()
    env.update(
        PRODUCTION_ENV,
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'src'}",
    )
    env.update(extra)
    return dict(probe([sys.executable, "-c", PROBE], env))


def test_enabling_the_development_provider_in_production_stops_start_up():
    result = run_probe(DEVIDP_ENABLED="true")

    assert "can never be enabled in production" in str(result["setup_error"])


def test_in_production_the_development_provider_is_neither_installed_nor_routed():
    result = run_probe()

    assert result["devidp_installed"] is False
    assert result["devidp_routes"] is False
    assert "disabled" in str(result["urls_devidp_error"])
