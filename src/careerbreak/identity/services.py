"""Writes of the identity app other than login and access (``access.py`` grants and revokes)."""

from __future__ import annotations

from careerbreak.identity.models import User

# The language chosen before login, in the anonymous session; the login makes it the user's.
SESSION_LANGUAGE_CHOSEN = "language_chosen"


def user_language_set(*, user: User, language: str) -> None:
    """Remember the language the user chose, for the pages and documents of their next visits."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
