"""Environment readers: every variable may come from a file named by NAME_FILE (secrets)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret"
    path.write_text("s3cr3t value with spaces \n", encoding="utf-8")
    return path


def test_a_value_is_read_from_the_file_named_by_the_file_variable(
    monkeypatch: pytest.MonkeyPatch, secret_file: Path
) -> None:
    monkeypatch.delenv("CB_TEST_SECRET", raising=False)
    monkeypatch.setenv("CB_TEST_SECRET_FILE", str(secret_file))
    # The trailing newline editors add is dropped; inner and trailing spaces are the secret's own.
    assert env_str("CB_TEST_SECRET") == "s3cr3t value with spaces "


def test_the_file_wins_over_the_default_and_a_missing_secret_is_still_refused(
    monkeypatch: pytest.MonkeyPatch, secret_file: Path
) -> None:
    monkeypatch.delenv("CB_TEST_SECRET", raising=False)
    monkeypatch.delenv("CB_TEST_SECRET_FILE", raising=False)
    with pytest.raises(ImproperlyConfigured, match="CB_TEST_SECRET_FILE"):
        env_str("CB_TEST_SECRET", None)
    monkeypatch.setenv("CB_TEST_SECRET_FILE", str(secret_file))
    assert env_str("CB_TEST_SECRET", "default").startswith("s3cr3t")


def test_both_the_variable_and_its_file_are_refused(
    monkeypatch: pytest.MonkeyPatch, secret_file: Path
) -> None:
    monkeypatch.setenv("CB_TEST_SECRET", "inline")
    monkeypatch.setenv("CB_TEST_SECRET_FILE", str(secret_file))
    with pytest.raises(ImproperlyConfigured, match="not both"):
        env_str("CB_TEST_SECRET")


def test_an_unreadable_file_is_refused_without_showing_any_content(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CB_TEST_SECRET", raising=False)
    monkeypatch.setenv("CB_TEST_SECRET_FILE", str(tmp_path / "absent"))
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        env_str("CB_TEST_SECRET")


def test_every_reader_accepts_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name, content in {"CB_B": "true\n", "CB_I": "42\n", "CB_L": "a, b,c\n"}.items():
        (tmp_path / name).write_text(content)
        monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv(f"{name}_FILE", str(tmp_path / name))
    assert env_bool("CB_B", False) is True
    assert env_int("CB_I", 0) == 42
    assert env_list("CB_L", []) == ["a", "b", "c"]
