"""Errors raised by services. Each carries a code (stable, for tests and the API) and a message for users."""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    """A request the domain refuses. ``message`` is translatable and tells the user what to do."""

    code: str = "domain_error"

    def __init__(self, message: str | Promise, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        if code is not None:
            self.code = code
        self.field = field


class PermissionDenied(DomainError):
    code = "permission_denied"


class NotFound(DomainError):
    code = "not_found"
