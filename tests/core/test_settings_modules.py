"""`make run` reads config.settings; the in-process tests read config.settings_test (pyproject.toml).

Nothing guesses from the running program whether it is a test: the differences are the test module's,
and the settings `make run` and the browser journeys get are the ones written in config.settings.
"""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.urls import resolve

from tests.subprocesses import ROOT, essential_env, probe

PROBE = """
import json
import django
from django.conf import settings
django.setup()
import config.urls
print(json.dumps({
    "tasks": settings.TASKS["default"]["BACKEND"],
    "issuer": settings.OIDC_ISSUER,
    "claims_in_userinfo_only": settings.DEVIDP_CLAIMS_IN_USERINFO_ONLY,
    "urlconf": settings.ROOT_URLCONF,
    "devidp_routes": any("devidp" in str(p.pattern) for p in config.urls.urlpatterns),
}))
"""


def _development_settings() -> dict[str, object]:
    env = {
        **essential_env(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CAREERBREAK_ENV": "development",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
    }
    return dict(probe([sys.executable, "-c", PROBE], env, timeout=60))


def test_make_run_settings_queue_tasks_and_use_the_identity_provider_as_its_own_process() -> None:
    seen = _development_settings()
    assert seen == {
        "tasks": "django_tasks_db.DatabaseBackend",
        "issuer": "http://127.0.0.1:8001/devidp",
        "claims_in_userinfo_only": True,
        "urlconf": "config.urls",
        "devidp_routes": False,
    }


def test_the_suite_runs_tasks_at_once_and_mounts_the_identity_provider_in_process() -> None:
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "config.settings_test"
    if "TASKS_BACKEND" not in os.environ:
        assert settings.TASKS["default"]["BACKEND"] == "django_tasks.backends.immediate.ImmediateBackend"
    if "OIDC_ISSUER" not in os.environ:
        assert settings.OIDC_ISSUER == "http://testserver/devidp"
    if "DEVIDP_CLAIMS_IN_USERINFO_ONLY" not in os.environ:
        assert settings.DEVIDP_CLAIMS_IN_USERINFO_ONLY is False
    assert resolve("/devidp/.well-known/openid-configuration").namespace == "devidp"
