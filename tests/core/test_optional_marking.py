"""Issue 15, point 2: a field is marked "(optional)" if and only if it may be left empty.

Every form of the service is found in the code (each ``forms.Form`` subclass of the employer, worker and
office interfaces and of the step forms), built for each value its constructor takes (every leave type and
sector for step 6, every kind of need for the worker part, …), and each field is rendered through the
template the pages use. A field the form requires is never marked; a field declared conditional
(``core.forms.needed_when``) is never marked and shows the hint that says when it is needed; any other
field that may be left empty is marked. The conditional fields are listed below with their hint: a field
made conditional (or no longer conditional) in the code without this list saying so fails the test.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import translation

import careerbreak
from careerbreak.core.forms import is_conditional
from careerbreak.interruptions.types import LeaveType
from careerbreak.interruptions.worker_part import CHILD, HELPED, PATIENT, TRAINING
from careerbreak.registries.models import Person
from careerbreak.vocabularies import Sector

# The interfaces whose forms a user fills in. devidp is the development identity provider (not the
# service); admin forms are Django's.
PACKAGES = ("employer", "worker", "office", "interruptions", "core", "portal", "identity", "mailbox")
SKIPPED_MODULES = ("careerbreak.identity.admin",)

# Conditional fields: (form class, field name) → the hint's English text (a part of it). "*" as the class:
# any form (the step-6 fields, which every step-6 form builds with the same `_field`). A field name ending
# in "_start" under ActivitiesForm: every activity's "Since".
CONDITIONAL: dict[tuple[str, str], str] = {
    ("IdentityForm", "country"): "Only for a domicile outside Belgium.",
    ("NeedsForm", "child_name"): "Needed if you choose another child.",
    ("NeedsForm", "child_birth_date"): "Needed if you choose another child.",
    ("NeedsForm", "child_registered_on"): "Needed if you choose another child.",
    ("ActivitiesForm", "*_start"): "Needed if you tick it.",
    ("ApproveForm", "no_allowance_reason"): "Only when the request is approved without an allowance.",
    ("AnswerForm", "reason"): "Needed for a refusal or a postponement",
    ("AnswerForm", "proposed_start_date"): "Needed for a postponement.",
    ("*", "days_per_week"): "Needed for a 1/5 time credit.",
    ("*", "months_of_contract_last_15"): "Needed for a parental leave in the private sector.",
    ("*", "child_birth_date"): "Needed: this leave depends on the child's age.",
    ("*", "collective_agreement_number"): "collective agreement",
    ("*", "collective_agreement_date"): "Needed for",
    ("*", "employer_agreement"): "Needed where the law makes the leave depend on your agreement.",
    ("*", "caregiver_recognition"): "Needed for this leave.",
    # Conditional for one type only: the end-of-career job, the disabled child's time credit.
    (f"*:{LeaveType.TC_END_OF_CAREER.name}", "regime_24_months"): "Needed for an end-of-career job.",
    (f"*:{LeaveType.TC_DISABLED_CHILD.name}", "child_disabled"): "Needed for this leave.",
}


def _declared_hint(form: forms.Form, name: str) -> str | None:
    cls = type(form).__name__
    leave_type = getattr(form, "leave_type", None)
    keys = [(cls, name), ("*", name)]
    if leave_type is not None:
        keys.append((f"*:{LeaveType(leave_type).name}", name))
    if name.endswith("_start"):
        keys.append((cls, "*_start"))
    for key in keys:
        if key in CONDITIONAL:
            return CONDITIONAL[key]
    return None


def _form_classes() -> list[type[forms.Form]]:
    for package in PACKAGES:
        module = importlib.import_module(f"careerbreak.{package}")
        for info in pkgutil.walk_packages(module.__path__, prefix=f"careerbreak.{package}."):
            if ".migrations" in info.name or ".management" in info.name or info.name in SKIPPED_MODULES:
                continue
            importlib.import_module(info.name)
    found: dict[str, type[forms.Form]] = {}

    def walk(cls: type) -> None:
        for sub in cls.__subclasses__():
            module = sub.__module__
            ours = module.startswith("careerbreak.") and not module.startswith("careerbreak.devidp")
            if ours and module not in SKIPPED_MODULES and not issubclass(sub, forms.ModelForm):
                found[f"{module}.{sub.__qualname__}"] = sub
            walk(sub)

    walk(forms.Form)
    return [found[key] for key in sorted(found)]


def _child() -> Person:

    return Person(
        niss="20010100157", first_name="Léa", last_name="Dubois", birth_date=datetime.date(2020, 1, 1)
    )


_CHOICES = [("a", "A")]
# The values each constructor parameter is built with; a new form whose constructor takes another
# parameter fails below until it is added here.
PARAMETERS: dict[str, list[Any]] = {
    "leave_type": list(LeaveType),
    "sector": [sector.value for sector in Sector],
    "reference_headcount": [None],
    "kind": [CHILD, PATIENT, HELPED, TRAINING, ""],
    "children": [[_child()]],
    "kinds": [_CHOICES],
    "types": [_CHOICES],
    "offered": [_CHOICES],
    "agents": [_CHOICES],
    "roles": [_CHOICES],
    # A notice's answers: every one the law may allow, and acceptance only (the reason and date not asked).
    "allowed": [("accepted", "refused", "postponement_proposed"), ("accepted",)],
    "employers": [[SimpleNamespace(number="0123456749", name="Entreprise")]],
    "accesses": [[SimpleNamespace(enterprise=SimpleNamespace(number="0123456749", name="Entreprise"))]],
}


def _instances(cls: type[forms.Form]) -> Iterator[forms.Form]:
    params = [
        p
        for p in inspect.signature(cls.__init__).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    ]
    unknown = [p.name for p in params if p.name not in PARAMETERS and p.default is inspect.Parameter.empty]
    assert not unknown, f"{cls.__qualname__}: say in PARAMETERS how to build it with {unknown}"
    combos: list[dict[str, Any]] = [{}]
    for p in params:
        if p.name in PARAMETERS:
            combos = [{**combo, p.name: value} for combo in combos for value in PARAMETERS[p.name]]
    for combo in combos:
        yield cls(**combo)


FORMS = _form_classes()


def test_the_forms_of_every_interface_are_found() -> None:
    names = {cls.__name__ for cls in FORMS}
    # One of each interface, so that the discovery cannot silently find nothing.
    assert {"LeaveDataForm", "NeedsForm", "ApproveForm", "GrantAccessForm", "AnswerForm"} <= names


def _marked(html: str) -> bool:
    return 'class="optional"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("cls", FORMS, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_a_field_is_marked_optional_exactly_when_it_may_be_left_empty(cls: type[forms.Form]) -> None:
    with translation.override("en"):
        for form in _instances(cls):
            for bound in form:
                field = bound.field
                html = unescape(render_to_string("includes/any_field.html", {"field": bound}))
                where = f"{cls.__qualname__}.{bound.name} ({getattr(form, 'leave_type', '')})"
                hint = _declared_hint(form, bound.name)
                if isinstance(field.widget, (forms.CheckboxInput, forms.HiddenInput)):
                    assert not _marked(html), f"{where}: a single checkbox is never marked"
                elif hint is not None:
                    assert is_conditional(field), f"{where} is listed conditional but not declared so"
                    assert not _marked(html), f"{where} is needed in some case: not optional"
                    assert hint in html, f"{where}: its hint must say when it is needed"
                else:
                    assert not is_conditional(field), f"{where} is declared conditional: list it here"
                    assert _marked(html) == (not field.required), f"{where}: marked {_marked(html)}"


@pytest.mark.parametrize("lang,word", [("fr", "facultatif"), ("nl", "facultatief"), ("de", "optional")])
def test_the_mark_is_translated(lang: str, word: str) -> None:
    class Form(forms.Form):
        note = forms.CharField(required=False)

    with translation.override(lang):
        html = render_to_string("includes/field.html", {"field": Form()["note"]})
    assert f"({word})" in html


TEMPLATES = Path(careerbreak.__file__).parent


def test_no_template_writes_the_mark_itself() -> None:
    """The mark comes from the `optional_mark` filter only, and every legend or label that shows a form
    field's label asks it (but a checkbox's label after its box)."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        if 'translate "optional"' in text or 'class="optional"' in text:
            offenders.append(f"{path}: writes the mark")
        for match in re.finditer(r"<legend>\{\{ ([\w.]+)\.label \}\}(.{0,80})", text):
            if "optional_mark" not in match.group(2):
                offenders.append(f"{path}: {match.group(0)}")
    assert not offenders, offenders
