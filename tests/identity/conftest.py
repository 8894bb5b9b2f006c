from __future__ import annotations

from tests.oidc_fixtures import client, devidp_key_path, oidc_login_as, oidc_provider  # noqa: F401
