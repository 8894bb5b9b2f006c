"""What the notices, events and webhooks endpoints share: the caller, its scope, the enterprise it names,
and their refusals as problem details (api/problems.py)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ConfigDict, field_validator

from careerbreak.api.auth import ApiCaller
from careerbreak.api.problems import (
    ProblemError,
    conflict,
    enterprise_not_allowed,
    insufficient_scope,
    invalid_request,
)
from careerbreak.core.errors import DomainError
from careerbreak.identity.acting import Acting
from careerbreak.registries.models import Enterprise

MAX_PAGE = 200
# The largest id a database row has (a signed 64-bit integer): a larger one is no row, not an overflow.
MAX_ID = 2**63 - 1


class Strict(Schema):
    """A request body: a field the API does not know is refused, not ignored; a text with a NUL
    character is refused (as Django's forms do: no database stores it)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("A text may not contain the NUL character.")
        return value


def private_no_store(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Every answer (a person's data, a secret) is ``Cache-Control: private, no-store``: no proxy or
    client cache keeps it. Added to each router with ``add_decorator(..., mode="view")``."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapper


def caller_of(request: HttpRequest) -> ApiCaller:
    caller = request.auth  # type: ignore[attr-defined]
    assert isinstance(caller, ApiCaller)
    return caller


def missing_scope(caller: ApiCaller, scope: str) -> HttpResponse | None:
    """The 403 problem when the token lacks ``scope``, None when it has it."""
    return None if scope in caller.scopes else insufficient_scope(scope)


def enterprise_acting(caller: ApiCaller, number: str) -> Acting | HttpResponse:
    """The acting context for the enterprise the call names (``0812.345.603`` or ``0812345603``), its
    422 problem when that is no enterprise number, or its 403 problem when the client may not act for it."""
    digits = number.replace(".", "").replace(" ", "")
    if not (len(digits) == 10 and digits.isascii() and digits.isdigit()):
        message = _("Give the enterprise number in 10 digits.")
        return invalid_request([{"code": "enterprise_number", "field": "enterprise", "message": message}])
    acting = caller.acting_for(digits)
    return acting if acting is not None else enterprise_not_allowed()


def filter_enterprise(caller: ApiCaller, number: str) -> Enterprise | HttpResponse | None:
    """The enterprise a list is filtered on (None: no filter), or the problem refusing it."""
    if not number:
        return None
    acting = enterprise_acting(caller, number)
    if isinstance(acting, HttpResponse):
        return acting
    return acting.access.enterprise if acting.access else enterprise_not_allowed()


def refused(error: DomainError) -> HttpResponse:
    """A refusal of the domain: 409 when the thing changed already, 422 for the input."""
    entry: ProblemError = {"code": error.code, "message": str(error.message)}
    if error.field:
        entry["field"] = error.field
    if error.code in {"answered", "transition_refused"}:
        return conflict([entry], detail=str(error.message))
    return invalid_request([entry], detail=str(error.message))


def is_row_id(value: int) -> bool:
    return 0 < value <= MAX_ID
