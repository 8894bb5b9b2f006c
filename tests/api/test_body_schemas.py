"""The API's request bodies are plain pydantic models (ADR 0042): they refuse and accept exactly what the
same models built on ninja's ``Schema`` did, once validated instead of twice (four times when nested)."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from ninja import Schema
from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from careerbreak.api import schemas
from tests.api.conftest import ApiCaller, body

REQUESTS = "/api/v1/requests"


class _NinjaStrict(Schema):
    model_config = ConfigDict(extra="forbid")


def _ninja_twin(model: type[BaseModel], made: dict[type, type]) -> type[BaseModel]:
    """``model`` as it was before ADR 0042: the same fields on ninja's ``Schema`` (nested bodies too)."""
    if model in made:
        return made[model]
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, schemas.Strict):
            annotation = _ninja_twin(annotation, made)
        fields[name] = (annotation, info)
    made[model] = create_model(f"Ninja{model.__name__}", __base__=_NinjaStrict, **fields)  # type: ignore[call-overload]
    return made[model]


def _outcome(model: type[BaseModel], value: Any) -> Any:
    try:
        return model.model_validate(value).model_dump()
    except ValidationError as error:
        return [(e["type"], e["loc"], e["msg"]) for e in error.errors()]


BODIES: list[Any] = [
    body(),
    {**body(), "priority": "high"},
    {**body(leave__colour="blue"), "worker": {**body()["worker"], "age": 3}},
    {**body(), "worker": "85073003328"},
    {**body(), "leave": ["start"]},
    {"enterprise": 123, "worker": {"niss": None}, "type": "PARENTAL", "leave": {"weekly_hours": [38]}},
    {"worker": {}, "leave": {}},
    {**body(), "certified": "maybe"},
    "not an object",
    [],
]


@pytest.mark.parametrize("model", [schemas.RequestIn, schemas.ModificationIn, schemas.CancellationIn])
def test_a_body_is_refused_and_read_as_ninja_s_schema_did(model: type[BaseModel]) -> None:
    twin = _ninja_twin(model, {})
    for value in [*BODIES, {"reason": ""}, {"reason": "x", "extra": 1}, {"reason": "moved"}]:
        assert _outcome(model, value) == _outcome(twin, value), value


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_today")
def test_a_validation_reads_its_body_without_ninja_s_getter(secupay: ApiCaller) -> None:
    # ninja's Schema wrapped each body (and each nested one) in a DjangoGetter to validate it again.
    with mock.patch("ninja.schema.DjangoGetter.__init__", side_effect=AssertionError("validated twice")):
        response = secupay.post(f"{REQUESTS}/validate", body())
        refused = secupay.post(f"{REQUESTS}/validate", body(leave__colour="blue"))
    assert response.status_code == 200, response.content
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["leave.colour"]
