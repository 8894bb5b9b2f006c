"""Settings of the test suite: pytest's DJANGO_SETTINGS_MODULE (pyproject.toml), nothing else.

config.settings as `make run` reads it, and only what the in-process tests need on top, each still
overridable from the environment as before. The processes the tests start for real (the browser
journeys, the task workers of the fault tests, the production checks) run config.settings, as
`make run` and production do: they set DJANGO_SETTINGS_MODULE themselves or drop it from their
environment.
"""

from __future__ import annotations

from config.env import env_bool, env_str
from config.settings import *  # noqa: F403
from config.settings import PRODUCTION, TASKS

# Tasks run at once, inside the test (a test that needs the database queue sets TASKS itself).
TASKS["default"]["BACKEND"] = env_str("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")

# The development identity provider is mounted in this process, under http://testserver/devidp
# (config.urls_test); under `make run` it is its own process (config.urls_devidp).
ROOT_URLCONF = env_str("CAREERBREAK_URLCONF", "config.urls_test")
if not PRODUCTION:
    OIDC_ISSUER = env_str("OIDC_ISSUER", "http://testserver/devidp")
# The ID token carries the identity claims too; the tests of the FAS-like mode turn this on themselves.
DEVIDP_CLAIMS_IN_USERINFO_ONLY = env_bool("DEVIDP_CLAIMS_IN_USERINFO_ONLY", False)
