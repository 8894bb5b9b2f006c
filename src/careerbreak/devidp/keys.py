"""The provider's signing key: one RSA 2048 key in PEM at settings.DEVIDP_SIGNING_KEY_PATH.

The key is generated on first use, so a fresh checkout works without set-up; its ``kid`` is the
RFC 7638 thumbprint, so a regenerated key gets a new ``kid`` and relying parties refetch the JWKS.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from django.conf import settings
from joserfc.jwk import KeySet, RSAKey

SIGNING_ALGORITHM = "RS256"

_lock = threading.Lock()
# path -> (modification time in ns, key); reloaded when the file changes.
_loaded: dict[str, tuple[int, RSAKey]] = {}


def _key_path() -> Path:
    return Path(settings.DEVIDP_SIGNING_KEY_PATH)


def _write_new_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = RSAKey.generate_key(2048)
    pem = key.as_pem(private=True)
    # Exclusive creation: two processes starting together keep whichever key was written first.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


def signing_key() -> RSAKey:
    """The private signing key, with ``kid`` (RFC 7638 thumbprint), ``use`` and ``alg`` set."""
    path = _key_path()
    with _lock:
        if not path.exists():
            _write_new_key(path)
        mtime = path.stat().st_mtime_ns
        cached = _loaded.get(str(path))
        if cached is not None and cached[0] == mtime:
            return cached[1]
        pem = path.read_bytes()
        bare = RSAKey.import_key(pem)
        key = RSAKey.import_key(
            pem, parameters={"kid": bare.thumbprint(), "use": "sig", "alg": SIGNING_ALGORITHM}
        )
        if not key.is_private:
            raise ValueError(f"{path} does not hold an RSA private key.")
        _loaded[str(path)] = (mtime, key)
        return key


def public_jwks() -> dict[str, object]:
    """The JSON Web Key Set published at /devidp/jwks (public parts only)."""
    return dict(KeySet([signing_key()]).as_dict(private=False))


def forget_loaded_keys() -> None:
    """Drop the in-memory copies (tests that swap the key file call this)."""
    with _lock:
        _loaded.clear()
