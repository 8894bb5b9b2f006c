from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tests.oidc_fixtures import devidp_key_path, oidc_login_as, oidc_provider  # noqa: F401


@pytest.fixture
def client() -> Client:
    """A browser that reads English (the source strings), so assertions do not depend on catalogues."""
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return browser
