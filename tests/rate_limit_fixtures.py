"""Helpers for the rate-limit tests: send up to the limit, then check the refusal the client gets."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from django.http import HttpResponse

# What the 429 page says in each language: its title, "try again in 1 minute", "… in N minutes".
TOO_MANY = {
    "fr": ("Trop de requêtes", "Réessayez dans 1 minute.", "Réessayez dans {} minutes."),
    "nl": ("Te veel verzoeken", "Probeer het over 1 minuut opnieuw.", "Probeer het over {} minuten opnieuw."),
    "de": (
        "Zu viele Anfragen",
        "Versuchen Sie es in 1 Minute erneut.",
        "Versuchen Sie es in {} Minuten erneut.",
    ),
    "en": ("Too many requests", "Try again in 1 minute.", "Try again in {} minutes."),
}


def limits(settings: Any, **rates: str) -> None:
    """Set some of settings.RATE_LIMITS for one test (pytest-django's ``settings`` restores them)."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, **rates}


def send_up_to_the_limit(send: Callable[[], Any], allowed: int) -> None:
    """``allowed`` requests, none of them refused."""
    for attempt in range(1, allowed + 1):
        response = send()
        assert response.status_code != 429, f"request {attempt} of the {allowed} allowed was refused"


def assert_too_many(response: HttpResponse, *, language: str, window: int) -> int:
    """The refusal: 429, Retry-After within the window, the page in ``language``; returns Retry-After."""
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 0 < retry_after <= window
    title, one_minute, minutes_text = TOO_MANY[language]
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    assert title in body
    minutes = math.ceil(retry_after / 60)
    assert (one_minute if minutes == 1 else minutes_text.format(minutes)) in body
    assert "no-store" in response["Cache-Control"]
    return retry_after
