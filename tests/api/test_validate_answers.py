"""``POST /api/v1/requests/validate`` answers a spread of good and bad bodies, in the four languages, with
the very bytes it gave before ADR 0045's cuts in the validation's CPU (``validate_answers.json``, recorded
on the commit before them): the same status, content type, problems (codes, fields, messages, legal
references) and warnings.

The answers were recorded with the clock on the demo's "today"; to record them again after a change
meant to alter them (a message reworded, a new rule), run this module with ``CB_RECORD_VALIDATE_ANSWERS=1``
and review the file's diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from careerbreak.demo import data as demo_data
from tests.api.conftest import ApiCaller, body

VALIDATE = "/api/v1/requests/validate"
ANSWERS = Path(__file__).with_name("validate_answers.json")
LANGUAGES = ("fr", "nl", "de", "en")


def _body(**changes: Any) -> dict[str, Any]:
    """The bakery's body (Sophie Lambert's parental leave 1/5) with its hours in a shape every language
    reads, and ``changes``."""
    return body(**{"leave__hours_during_leave": "30.4", **changes})


def _worker(**changes: str) -> dict[str, Any]:
    return {**body()["worker"], **changes}


# name → the body sent.
BODIES: dict[str, dict[str, Any]] = {
    "valid": _body(),
    "hours with a decimal comma": body(),
    "valid, number typed compact": _body(enterprise="BE0812345603", worker=_worker(niss="90061512202")),
    "valid, committee from Dimona": _body(
        worker={"niss": "90.06.15-122.02", "status": "PRIVATE_WHITE_COLLAR"}
    ),
    "niss checksum": _body(worker=_worker(niss="90.06.15-122.03")),
    "niss letters": _body(worker=_worker(niss="90.06.15-122.0A")),
    "niss length": _body(worker=_worker(niss="90.06.15-122")),
    "niss month": _body(worker=_worker(niss="90.15.15-122.65")),
    "niss born in the future": _body(worker=_worker(niss="99.01.01-001.47")),
    "niss empty": _body(worker=_worker(niss="")),
    "niss not employed": _body(worker=_worker(niss=demo_data.SECUPAY_MANAGER_NISS)),
    "enterprise format": _body(enterprise="0812.345.60X"),
    "enterprise length": _body(enterprise="0812.345"),
    "enterprise first digit": _body(enterprise="2812345603"),
    "enterprise checksum": _body(enterprise="0812.345.604"),
    "enterprise of zeros": _body(enterprise="0000000000"),
    "enterprise not allowed": _body(enterprise=demo_data.GARAGE_SCHMITZ_NUMBER),
    "status unknown": _body(worker=_worker(status="ASTRONAUT")),
    "committee unknown": _body(worker=_worker(joint_committee="999")),
    "type not offered": _body(type="PUBLIC_CAREER_BREAK"),
    "type unknown": _body(type="SABBATICAL"),
    "start impossible, form unknown": _body(leave__start="31/02/2027", leave__form="2/3"),
    "end before start": _body(leave__end="2027-01-01"),
    "start missing": _body(leave__start=None),
    "hours not a number": _body(leave__hours_during_leave="abc"),
    "hours too many": _body(leave__weekly_hours=99),
    "child too old": _body(leave__child_birth_date="2013-06-01", leave__child_niss=None),
    "child niss checksum": _body(leave__child_niss="24.02.10-100.51"),
    "notice after start": _body(leave__notice_date="2027-03-01"),
    "short notice": _body(leave__notice_date="2027-01-20"),
    "no employer agreement": _body(leave__employer_agreement=False),
    "start far ahead": _body(leave__start="2027-10-01", leave__end="2028-02-29"),
    "notice before employment": _body(leave__notice_date="2001-01-15"),
    "half-time": _body(leave__form="1/2", leave__hours_during_leave="19"),
    "full-time, long": _body(leave__form="full", leave__end="2027-12-31", leave__hours_during_leave=None),
    "unknown field": {**_body(), "priority": "high"},
    "wrong type": _body(leave__weekly_hours=[38]),
}


def _answers(bakery: ApiCaller) -> dict[str, dict[str, Any]]:
    answers: dict[str, dict[str, Any]] = {}
    for name, sent in BODIES.items():
        for language in LANGUAGES:
            response = bakery.post(VALIDATE, sent, **{"Accept-Language": language})
            answers[f"{name} [{language}]"] = {
                "status": response.status_code,
                "content_type": response["Content-Type"],
                "body": response.content.decode(),
            }
    return answers


def test_validate_answers_each_body_as_it_did_before_adr_0045(frozen_today: None, bakery: ApiCaller) -> None:
    answers = _answers(bakery)
    if os.environ.get("CB_RECORD_VALIDATE_ANSWERS") == "1":
        ANSWERS.write_text(json.dumps(answers, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
        pytest.skip("answers recorded")
    recorded = json.loads(ANSWERS.read_text())
    assert answers.keys() == recorded.keys()
    for key, answer in answers.items():
        assert answer == recorded[key], key
    # The spread covers both outcomes and each part of the check.
    assert {answer["status"] for answer in answers.values()} == {200, 403, 422}
    assert any('"warnings": [{' in answer["body"] for answer in answers.values())
