"""The deployment recipe runs: gunicorn with deploy/gunicorn.conf.py and production settings answers the
health checks over plain HTTP on the machine, redirects everything else to HTTPS, and logs JSON lines with
the request id."""

from __future__ import annotations

import gc
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.subprocesses import SEAL_ENV, free_port

HOST = "careerbreak.example.be"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Host": HOST, **headers})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_gunicorn_serves_the_health_checks_with_the_production_settings(tmp_path: Path) -> None:
    secret = tmp_path / "secret_key"
    secret.write_text(secrets.token_urlsafe(50) + "\n")
    port = free_port()
    env = {
        **{key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG"}},
        "CAREERBREAK_ENV": "production",
        # Production seals every document (documents/seal.py); only read here, never used to sign.
        **SEAL_ENV,
        "CAREERBREAK_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SECRET_KEY_FILE": str(secret),
        "DJANGO_ALLOWED_HOSTS": HOST,
        # readyz needs a database that answers, not its tables.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DOCUMENTS_ROOT": str(tmp_path / "media"),
        "OIDC_ISSUER": "https://idp.example.be",
        "OIDC_CLIENT_ID": "careerbreak",
        "OIDC_CLIENT_SECRET": "not-used-here",
        "LOG_FORMAT": "json",
        "CACHE_URL": "redis://127.0.0.1:6379/15",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, headers, body = get(base + "/healthz", **{"X-Request-ID": "probe-00000001"})
                break
            except OSError:
                assert server.poll() is None, server.communicate()[1]
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.2)
        assert (status, json.loads(body)) == (200, {"status": "ok"})
        assert headers["X-Request-ID"] == "probe-00000001"
        assert "no-store" in headers["Cache-Control"]
        status, _headers, body = get(base + "/readyz")
        assert status == 200, body
        # The provider cannot be reached from here: an outage, not a configuration problem.
        assert json.loads(body)["checks"] == {"database": "ok", "storage": "ok", "login": "ok"}
        # Everything else is sent to HTTPS (the proxy sets X-Forwarded-Proto: https).
        status, headers, _body = get(base + "/")
        assert status == 301 and headers["Location"] == f"https://{HOST}/"
        # Behind the proxy (HTTPS), responses carry HSTS.
        _status, headers, _body = get(base + "/healthz", **{"X-Forwarded-Proto": "https"})
        assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    finally:
        server.send_signal(signal.SIGTERM)
        _out, errors = server.communicate(timeout=30)
    lines = [json.loads(line) for line in errors.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line["logger"] == "careerbreak.requests"]
    assert requests[0]["request_id"] == "probe-00000001"
    assert requests[0]["message"].startswith("GET /healthz 200 ")
    assert any(line["logger"] == "gunicorn.error" for line in lines)


def _gunicorn_settings() -> dict[str, object]:
    """deploy/gunicorn.conf.py's values, read as gunicorn reads the file (executed as Python)."""
    values: dict[str, object] = {}
    exec(Path("deploy/gunicorn.conf.py").read_text(), values)
    return values


def test_workers_are_recycled_rarely_with_a_tenth_of_jitter(monkeypatch: pytest.MonkeyPatch) -> None:
    # A new worker costs a second of CPU and cold caches (ADR 0038): not every 2,000 requests any more.
    monkeypatch.delenv("GUNICORN_MAX_REQUESTS", raising=False)
    default = _gunicorn_settings()
    assert (default["max_requests"], default["max_requests_jitter"]) == (20000, 2000)
    monkeypatch.setenv("GUNICORN_MAX_REQUESTS", "500")
    chosen = _gunicorn_settings()
    assert (chosen["max_requests"], chosen["max_requests_jitter"]) == (500, 50)


def test_a_worker_freezes_what_it_loaded() -> None:
    # post_worker_init: the URLs imported, then everything made so far out of the collector's reach.
    hook = _gunicorn_settings()["post_worker_init"]
    assert callable(hook)
    gc.unfreeze()
    try:
        hook(object())
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
