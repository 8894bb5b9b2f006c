"""Verification codes: what a document prints so that anyone can look it up on the verification page.

80 random bits (``secrets``) written in Crockford's base32 (no I, L, O, U: nothing to confuse), in four
groups of four: ``7KQ2-M9XD-4TRB-W1HE``. Typing is forgiving: lower case, spaces and missing dashes are
accepted, and O, I and L read as 0, 1 and 1.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS = 4
GROUP_LENGTH = 4
LENGTH = GROUPS * GROUP_LENGTH  # 16 characters of 5 bits: 80 bits
_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.]+")


def new_code() -> str:
    """A fresh random code, grouped: XXXX-XXXX-XXXX-XXXX."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return _grouped(raw)


def _grouped(raw: str) -> str:
    return "-".join(raw[i : i + GROUP_LENGTH] for i in range(0, LENGTH, GROUP_LENGTH))


def normalize_code(typed: str) -> str | None:
    """The code as stored, from what someone typed; None when it cannot be a code at all."""
    if not isinstance(typed, str) or len(typed) > 64:
        return None
    raw = _SEPARATORS.sub("", typed).upper().translate(_TYPOS)
    if len(raw) != LENGTH or any(char not in ALPHABET for char in raw):
        return None
    return _grouped(raw)
