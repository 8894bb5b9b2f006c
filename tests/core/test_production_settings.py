"""Production settings, loaded in a fresh process as a deployment would: `check --deploy` is clean, and
every secret can be given as a file."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests import subprocesses
from tests.subprocesses import SEAL_ENV, essential_env

PRODUCTION_ENV = {
    "CAREERBREAK_ENV": "production",
    # Production seals every document (documents/seal.py); only read here, never used to sign.
    **SEAL_ENV,
    "DJANGO_ALLOWED_HOSTS": "careerbreak.example.be",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://careerbreak.example.be",
    "OIDC_ISSUER": "https://idp.iamfas.belgium.be/fas/oauth2",
    "OIDC_CLIENT_ID": "careerbreak",
    "LOG_FORMAT": "json",
    # The rate-limit counters must be shared in production; nothing here connects to it.
    "CACHE_URL": "redis://127.0.0.1:6379/15",
}


def run(env: dict[str, str], *args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`args` in a new interpreter with only these variables (no DJANGO_*/DATABASE_URL of the test run)."""
    base = {**essential_env(), "CAREERBREAK_VAR_DIR": str(tmp_path / "var")}
    return subprocesses.run([sys.executable, *args], {**base, **env}, timeout=60)


def secret_files(tmp_path: Path) -> dict[str, str]:
    """Every secret of the production settings given as NAME_FILE, each file with a distinct value."""
    values = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "OIDC_CLIENT_SECRET": "oidc-" + secrets.token_hex(8),
        "EMAIL_HOST_PASSWORD": "smtp-" + secrets.token_hex(8),
        "EBOX_CLIENT_SECRET": "ebox-" + secrets.token_hex(8),
        "EBOX_CLIENT_ID": "ebox-client",
        "AWS_ACCESS_KEY_ID": "AKIA" + secrets.token_hex(8).upper(),
        "AWS_SECRET_ACCESS_KEY": secrets.token_urlsafe(30),
    }
    folder = tmp_path / "secrets"
    folder.mkdir()
    env = {}
    for name, value in values.items():
        (folder / name).write_text(value + "\n")
        env[f"{name}_FILE"] = str(folder / name)
    return {**env, **{f"expected:{name}": value for name, value in values.items()}}


def split(env_and_expected: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    env = {k: v for k, v in env_and_expected.items() if not k.startswith("expected:")}
    expected = {
        k.removeprefix("expected:"): v for k, v in env_and_expected.items() if k.startswith("expected:")
    }
    return env, expected


def deploy_check(env: dict[str, str], *, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`check --deploy`, failing on warnings, with ``env`` and every secret given as a file."""
    secrets_env, _expected = split(secret_files(tmp_path))
    return run(
        {**secrets_env, **env}, "manage.py", "check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path
    )


S3_ENV = {
    "DOCUMENTS_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "careerbreak-documents",
    "AWS_S3_ENDPOINT_URL": "https://s3.example.be",
    "MAILBOX_TRANSPORT": "rest",
    "EBOX_API_URL": "https://services.socialsecurity.be/REST/ebox/citizen/v2",
    "EBOX_TOKEN_URL": "https://services.socialsecurity.be/REST/oauth/v3/token",
}


def test_the_deploy_checks_are_clean_in_production(tmp_path: Path) -> None:
    result = deploy_check({**PRODUCTION_ENV, **S3_ENV}, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("change", "warning"),
    [
        ({"DJANGO_SECURE_SSL_REDIRECT": "false"}, "security.W008"),
        ({"DJANGO_HSTS_SECONDS": "0"}, "security.W004"),
        ({"DJANGO_DEBUG": "true"}, "security.W018"),
    ],
)
def test_the_deploy_check_catches_an_unsafe_production_setting(
    tmp_path: Path, change: dict[str, str], warning: str
) -> None:
    result = deploy_check({**PRODUCTION_ENV, **change}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert warning in result.stderr + result.stdout


def test_every_secret_setting_can_be_read_from_a_file(tmp_path: Path) -> None:
    env, expected = split(secret_files(tmp_path))
    script = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        "o = s.STORAGES['default']['OPTIONS'];"
        "print(json.dumps({'DJANGO_SECRET_KEY': s.SECRET_KEY, 'DATABASE_URL': s.DATABASES['default']['NAME'],"
        "'OIDC_CLIENT_SECRET': s.OIDC_CLIENT_SECRET, 'EMAIL_HOST_PASSWORD': s.EMAIL_HOST_PASSWORD,"
        "'EBOX_CLIENT_SECRET': s.EBOX_CLIENT_SECRET, 'EBOX_CLIENT_ID': s.EBOX_CLIENT_ID,"
        "'AWS_ACCESS_KEY_ID': o['access_key'], 'AWS_SECRET_ACCESS_KEY': o['secret_key']}))"
    )
    result = run(
        {**PRODUCTION_ENV, **S3_ENV, **env, "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": "src"},
        "-c",
        script,
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    expected["DATABASE_URL"] = str(tmp_path / "db.sqlite3")
    assert loaded == expected
    # Nothing of a secret reaches the output of a start-up.
    assert expected["DJANGO_SECRET_KEY"] not in result.stderr


def test_production_refuses_to_start_without_its_secret_key(tmp_path: Path) -> None:
    env, _expected = split(secret_files(tmp_path))
    del env["DJANGO_SECRET_KEY_FILE"]
    result = run({**PRODUCTION_ENV, **env}, "manage.py", "check", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
