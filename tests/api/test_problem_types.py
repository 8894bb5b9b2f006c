"""One refusal vocabulary (api/problems.py): each problem type has one status and one title wherever it
is answered, every type the code answers is in the table of docs/api.md, and the same refusal from two
routers is the same answer."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest

from careerbreak.api.problems import PROBLEM_TYPES
from careerbreak.demo import data as demo_data
from careerbreak.identity.models import ApiScope
from tests.api.conftest import Caller

ROOT = Path(__file__).resolve().parents[2]
API_SOURCES = sorted((ROOT / "src" / "careerbreak" / "api").glob("*.py"))


def _types_in_code() -> set[str]:
    found = set()
    for path in API_SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "type_" and isinstance(keyword.value, ast.Constant):
                        found.add(keyword.value.value)
                if isinstance(node.func, ast.Name) and node.func.id == "_typed" and node.args:
                    first = node.args[0]
                    if isinstance(first, ast.Constant):
                        found.add(first.value)
    return found


def _documented() -> dict[str, set[str]]:
    table: dict[str, set[str]] = {}
    text = (ROOT / "docs" / "api.md").read_text()
    section = text[text.index("## Errors: problem details") : text.index("## Limits")]
    for status, type_ in re.findall(r"^\| ([0-9 ()]+) \| `([a-z-]+)` \|", section, flags=re.MULTILINE):
        table.setdefault(type_, set()).update(re.findall(r"[0-9]{3}", status))
    return table


def test_every_type_the_code_answers_is_in_the_vocabulary() -> None:
    assert _types_in_code() <= set(PROBLEM_TYPES)


def test_the_documentation_s_table_is_the_vocabulary() -> None:
    documented = _documented()
    assert set(documented) == set(PROBLEM_TYPES)
    for type_, (status, _title) in PROBLEM_TYPES.items():
        assert str(status) in documented[type_], type_


@pytest.mark.django_db
def test_a_missing_scope_is_the_same_refusal_on_every_router(bakery_api: Caller) -> None:
    reader = bakery_api.only(ApiScope.NOTICES)
    answers = [
        reader.get("/api/v1/requests", enterprise=demo_data.BOULANGERIE_DUBOIS_NUMBER),  # ScopeMissing
        reader.get("/api/v1/events"),  # missing_scope
        reader.get("/api/v1/batches/00000000-0000-0000-0000-000000000000"),
    ]
    bodies: list[dict[str, Any]] = []
    for answer in answers:
        assert answer.status_code == 403
        assert 'error="insufficient_scope"' in answer["WWW-Authenticate"]
        bodies.append(answer.json())
    assert {(b["type"], b["title"]) for b in bodies} == {
        ("/api/v1/problems/insufficient-scope", str(PROBLEM_TYPES["insufficient-scope"][1]))
    }


@pytest.mark.django_db
def test_another_enterprise_is_the_same_refusal_on_every_router(outsider_api: Caller) -> None:
    number = demo_data.BOULANGERIE_DUBOIS_NUMBER
    answers = [
        outsider_api.get("/api/v1/requests", enterprise=number),
        outsider_api.get("/api/v1/events", enterprise=number),
        outsider_api.get("/api/v1/notices", enterprise=number),
    ]
    assert {(a.status_code, a.json()["type"], a.json()["title"]) for a in answers} == {
        (403, "/api/v1/problems/enterprise-not-allowed", str(PROBLEM_TYPES["enterprise-not-allowed"][1]))
    }


@pytest.mark.django_db
def test_not_found_has_one_title_on_every_router(outsider_api: Caller) -> None:
    answers = [
        outsider_api.get("/api/v1/requests/2026-99999999-99"),
        outsider_api.get("/api/v1/notices/999999"),
        outsider_api.get("/api/v1/batches/00000000-0000-0000-0000-000000000000"),
        outsider_api.delete("/api/v1/webhooks/999999"),
        outsider_api.get("/api/v1/no-such-route"),
    ]
    assert {(a.status_code, a.json()["type"], a.json()["title"]) for a in answers} == {
        (404, "/api/v1/problems/not-found", str(PROBLEM_TYPES["not-found"][1]))
    }


@pytest.mark.django_db
def test_a_call_for_a_mandating_employer_is_audited_for_that_employer(
    secupay_api: Caller, outsider_api: Caller
) -> None:
    from careerbreak.core.audit_actions import AuditAction
    from careerbreak.core.models import AuditEvent

    bakery = demo_data.BOULANGERIE_DUBOIS_NUMBER
    assert secupay_api.get("/api/v1/requests", enterprise=bakery).status_code == 200
    assert secupay_api.get("/api/v1/whoami").status_code == 200
    assert outsider_api.get("/api/v1/requests", enterprise=bakery).status_code == 403
    rows = list(AuditEvent.objects.filter(action=AuditAction.API_CALLED).order_by("pk"))
    assert [(row.data["path"], row.enterprise_number, row.data.get("client_enterprise")) for row in rows] == [
        # The secretariat acted for the bakery: the row is the bakery's, naming the client's enterprise.
        ("/api/v1/requests", bakery, demo_data.SECUPAY_NUMBER),
        # It acted for no employer: its own.
        ("/api/v1/whoami", demo_data.SECUPAY_NUMBER, None),
        # Refused: it acted for nobody; the row is the outsider's own.
        ("/api/v1/requests", demo_data.ZORGGROEP_NUMBER, None),
    ]
