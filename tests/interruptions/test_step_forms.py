"""Step 4's and step 6's forms below the interfaces: the reference lists read once per process, the
leave fields' shape the API binds its JSON with."""

from __future__ import annotations

import copy
from unittest import mock

import pytest
from django.forms import BoundField
from django.utils import translation

from careerbreak.interruptions.step_forms import (
    LeaveDataForm,
    WorkerSelectForm,
    leave_form_data,
    leave_form_shape,
    reference_committee,
    reference_status,
)
from careerbreak.interruptions.types import LeaveType
from careerbreak.registries.models import JointCommittee, WorkerStatus
from tests.api.conftest import BODY

pytestmark = pytest.mark.django_db


def committees(form: WorkerSelectForm) -> list[str]:
    return [value for value, _label in form.fields["joint_committee"].choices]  # type: ignore[attr-defined]


def test_step_4_reads_its_statuses_and_committees_once_and_sees_a_change_saved_here_at_once(
    django_assert_num_queries,
) -> None:  # type: ignore[no-untyped-def]
    first = WorkerSelectForm(sector="private")
    assert "118" in committees(first)
    with django_assert_num_queries(0):
        WorkerSelectForm(sector="private")
    JointCommittee.objects.create(number="999.99", name_fr="Test", name_nl="Test", worker_category="both")
    assert "999.99" in committees(WorkerSelectForm(sector="private"))
    JointCommittee.objects.filter(number="999.99").get().delete()
    assert "999.99" not in committees(WorkerSelectForm(sector="private"))
    status = WorkerStatus.objects.get(code="PRIVATE_WHITE_COLLAR")
    status.sectors = []
    status.save()
    statuses = [v for v, _ in WorkerSelectForm(sector="private").fields["status"].choices]  # type: ignore[attr-defined]
    assert "PRIVATE_WHITE_COLLAR" not in statuses


def test_the_summary_s_status_and_committee_come_from_the_kept_lists_and_a_committee_no_longer_in_force_too(
    django_assert_num_queries,
) -> None:  # type: ignore[no-untyped-def]
    WorkerSelectForm(sector="private")  # the lists read once
    with django_assert_num_queries(0):
        status, committee = reference_status("PRIVATE_WHITE_COLLAR"), reference_committee("118")
    assert status is not None and status.code == "PRIVATE_WHITE_COLLAR"
    assert committee is not None and committee.number == "118"
    JointCommittee.objects.create(
        number="999.99", name_fr="Ancienne", name_nl="Oud", worker_category="both", active=False
    )
    WorkerSelectForm(sector="private")  # the lists read again (a committee was saved)
    with django_assert_num_queries(1):  # not in force, so not in the lists: asked of the source
        old = reference_committee("999.99")
    assert old is not None and old.name_fr == "Ancienne"
    assert reference_status("NO_SUCH_STATUS") is None


def test_the_leave_form_s_shape_posts_the_json_as_the_form_itself_would() -> None:
    values = {
        "start": "2027-02-01",
        "end": "01/06/2027",
        "form": "1/5",
        "employer_agreement": True,
        "child_disabled": False,
        "weekly_hours": 38,
        "unknown": "dropped",
    }
    for sector, headcount in (("private", 12), ("private", 60), ("local_public", None)):
        form = LeaveDataForm(
            None, leave_type=LeaveType.PARENTAL, sector=sector, reference_headcount=headcount
        )
        shape = leave_form_shape(LeaveType.PARENTAL, sector=sector, reference_headcount=headcount)
        assert [name for name, _kind in shape] == list(form.fields)
        assert leave_form_data(shape, values) == leave_form_data(form, values)
    assert leave_form_data(shape, values)["start_0"] == "01"
    assert leave_form_data(shape, values)["employer_agreement"] == "yes"


def _outcome(form: LeaveDataForm | WorkerSelectForm) -> tuple[bool, dict[str, list[str]], dict[str, object]]:
    valid = form.is_valid()
    errors = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
    return valid, errors, dict(form.cleaned_data)


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_a_form_only_validated_shares_the_kept_fields_and_finds_what_a_form_with_copies_finds(
    language: str,
) -> None:
    # The API tests' leave (a number for the hours: "30,4" is no number in English).
    good = {**BODY["leave"], "hours_during_leave": 30.4}
    bad = {**good, "start": "2027-02-31", "end": "", "form": "2/3", "weekly_hours": "x", "days_per_week": -1}
    with translation.override(language):
        shape = leave_form_shape(LeaveType.PARENTAL, sector="private", reference_headcount=12)
        # Bad values then good ones (and again): the shared fields keep nothing of an earlier validation.
        valid, shared = [], []
        for values in (bad, good, bad, good):
            data = leave_form_data(shape, values)
            kept, copied = (
                LeaveDataForm(
                    data,
                    leave_type=LeaveType.PARENTAL,
                    sector="private",
                    reference_headcount=12,
                    copy_fields=copy_fields,
                )
                for copy_fields in (False, True)
            )
            outcome = _outcome(kept)
            assert outcome == _outcome(copied)
            valid.append(outcome[0])
            shared.append(kept.fields)
            assert not any(kept.fields[name] is copied.fields[name] for name in kept.fields)
        assert valid == [False, True, False, True]
        assert all(fields[name] is shared[0][name] for fields in shared for name in fields)
        for data in (
            {"niss": "85073003328", "status": "PRIVATE_WHITE_COLLAR", "joint_committee": "118"},
            {"niss": "85073003328", "status": "NO_SUCH_STATUS", "joint_committee": "999.99"},
            {"niss": "85073003328", "status": "", "joint_committee": ""},
        ):
            kept_worker = WorkerSelectForm(data, sector="private", copy_fields=False)
            assert _outcome(kept_worker) == _outcome(WorkerSelectForm(data, sector="private"))
        # The same fields for the next form of this sector and language, made again when the lists are.
        assert (
            WorkerSelectForm(sector="private", copy_fields=False).fields["status"]
            is kept_worker.fields["status"]
        )
        JointCommittee.objects.create(number="999.99", name_fr="Test", name_nl="Test", worker_category="both")
        renewed = WorkerSelectForm(sector="private", copy_fields=False)
        assert "999.99" in committees(renewed)


def test_a_form_only_validated_copies_no_declared_field_and_makes_no_bound_field() -> None:
    # What a drawn form needs and one only validated does not (ADR 0042): a copy of each declared field
    # and a BoundField per field (an error still makes its field's, for the error list's field id, as
    # Django's add_error does). The outcome is the same as a drawn form's (the test above).
    good = {**BODY["leave"], "hours_during_leave": 30.4}
    shape = leave_form_shape(LeaveType.PARENTAL, sector="private", reference_headcount=12)
    WorkerSelectForm(sector="private", copy_fields=False)  # the kept fields made
    copied: list[object] = []
    real_deepcopy = copy.deepcopy

    def deepcopy(value: object, memo: object = None) -> object:
        copied.append(value)
        return real_deepcopy(value, memo)  # type: ignore[arg-type]

    def forms(leave: dict[str, object], status: str) -> tuple[LeaveDataForm, WorkerSelectForm]:
        made = (
            LeaveDataForm(
                leave_form_data(shape, leave),
                leave_type=LeaveType.PARENTAL,
                sector="private",
                reference_headcount=12,
                copy_fields=False,
            ),
            WorkerSelectForm(
                {"niss": "85073003328", "status": status, "joint_committee": "118"},
                sector="private",
                copy_fields=False,
            ),
        )
        for form in made:
            form.is_valid()
        return made

    with (
        mock.patch("django.forms.forms.copy.deepcopy", deepcopy),
        mock.patch.object(BoundField, "__init__", side_effect=AssertionError("a bound field")),
    ):
        leave, worker = forms(good, "PRIVATE_WHITE_COLLAR")
    assert leave.is_valid() and worker.is_valid()
    assert worker.cleaned_data == {
        "niss": "85073003328",
        "status": "PRIVATE_WHITE_COLLAR",
        "joint_committee": "118",
    }
    with mock.patch("django.forms.forms.copy.deepcopy", deepcopy):
        leave, worker = forms({**good, "start": "2027-02-31", "weekly_hours": "x"}, "NO_SUCH_STATUS")
    assert {"start", "weekly_hours"} <= set(leave.errors) and list(worker.errors) == ["status"]
    declared = WorkerSelectForm.base_fields
    assert {} in copied and not any(value is declared or value in declared.values() for value in copied)
    # A form that is drawn still copies its declared fields and makes its bound fields.
    drawn = WorkerSelectForm(sector="private")
    assert drawn.fields["niss"] is not WorkerSelectForm.base_fields["niss"]
    assert isinstance(drawn["niss"], BoundField)
