"""Typed readers for environment variables. A wrong value stops start-up with a message naming it.

Every variable can instead be given as `NAME_FILE`, the path of a file holding the value (Docker and
Kubernetes secrets, systemd credentials): the file's content, without its trailing newline, is used. Giving
both `NAME` and `NAME_FILE` is refused, as is a file that cannot be read.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    """The value of `name` from the environment, or from the file named by `name`_FILE."""
    value = os.environ.get(name)
    path = os.environ.get(f"{name}_FILE")
    if path is None:
        return value
    if value is not None:
        raise ImproperlyConfigured(f"Give either {name} or {name}_FILE, not both.")
    try:
        content = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        # The path only, never the content.
        raise ImproperlyConfigured(f"{name}_FILE={path!r} cannot be read: {exc.__class__.__name__}.") from exc
    return content.rstrip("\r\n")


def env_str(name: str, default: str | None = None) -> str:
    value = _raw(name)
    if value is None:
        value = default
    if value is None:
        raise ImproperlyConfigured(f"The environment variable {name} (or {name}_FILE) must be set.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = _raw(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use true or false.")


def env_int(name: str, default: int) -> int:
    raw = _raw(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = _raw(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


_RATE = re.compile(r"^[1-9]\d*/\d*[smhd]$")


def env_rate(name: str, default: str) -> str:
    """A rate limit as django-ratelimit reads it: "count/period", e.g. "60/h", "120/10m", "5/30s"."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip()
    if not _RATE.match(value):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a rate; write count/period, e.g. 60/h, 120/10m (s, m, h or d)."
        )
    return value


def env_cache(name: str, default: str | None = None) -> dict[str, object]:
    """A Django cache from a URL: redis://, rediss:// or unix:// (Redis), or locmem:// (this process only)."""
    url = env_str(name, default)
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme in {"redis", "rediss", "unix"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "locmem":
        name_in_process = url.split("://", 1)[1]
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name_in_process}
    # The URL itself is not quoted: it may hold a password.
    raise ImproperlyConfigured(
        f"{name} must be a redis://, rediss://, unix:// or locmem:// URL (scheme given: {scheme!r})."
    )
