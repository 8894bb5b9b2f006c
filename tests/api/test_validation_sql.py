"""The reads of an API validation written in SQL (ADR 0030) give what the ORM's queries gave: the token with
its client and the mandate in one query, a worker's Dimona periods and earlier leaves, the workers under
contract, the confirmed headcount, and the call's audit rows in one insert."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from careerbreak.core.models import AuditEvent
from careerbreak.demo import data as demo_data
from careerbreak.identity.api_tokens import token_and_mandate
from careerbreak.identity.models import ApiAccessToken, ApiClient, Mandate
from careerbreak.registries.headcounts import headcount_for
from careerbreak.registries.models import Employment, Enterprise, EnterpriseHeadcount, Person, PriorLeave
from careerbreak.registries.sources import LocalDimona, LocalLeaveHistory
from tests.api.conftest import ApiCaller, MakeClient, body
from tests.concurrency import needs_postgres
from tests.factories import api_token

VALIDATE = "/api/v1/requests/validate"


def values(instance: models.Model | None) -> dict[str, Any] | None:
    if instance is None:
        return None
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def period_values(period: Employment) -> tuple[Any, ...]:
    return (
        values(period),
        values(period.worker),
        values(period.employer),
        values(period.joint_committee),
        values(period.worker_status),
    )


def test_a_worker_s_periods_are_those_the_orm_reads_with_their_related_rows(demo: None) -> None:
    Employment.objects.filter(pk=Employment.objects.order_by("pk").first().pk).update(  # type: ignore[union-attr]
        joint_committee=None, worker_status=None
    )
    pairs = set(Employment.objects.values_list("employer_id", "worker__niss"))
    assert len(pairs) > 5
    for employer_id, niss in pairs:
        employer = Enterprise.objects.get(pk=employer_id)
        expected = [
            period_values(period)
            for period in Employment.objects.filter(employer=employer, worker__niss=niss)
            .select_related("worker", "employer", "joint_committee", "worker_status")
            .order_by("start_date", "pk")
        ]
        for ref in (employer, employer.number):
            assert [period_values(p) for p in LocalDimona().periods_of(ref, niss)] == expected
    assert LocalDimona().periods_of(employer, "00000000000") == []


def test_the_workers_under_contract_are_counted_as_the_orm_counts_them(demo: None) -> None:
    for enterprise in Enterprise.objects.all():
        for day in (datetime.date(2020, 1, 1), timezone.localdate(), datetime.date(2030, 1, 1)):
            orm = (
                Employment.objects.filter(employer=enterprise)
                .current(day)
                .values("worker_id")
                .distinct()
                .count()
            )
            assert LocalDimona().workers_under_contract(enterprise, on=day) == orm
            assert LocalDimona().workers_under_contract(enterprise.number, on=day) == orm


def test_a_worker_s_earlier_leaves_are_those_the_orm_reads(demo: None) -> None:
    sophie = Person.objects.get(niss=demo_data.SOPHIE_LAMBERT_NISS)
    child = Person.objects.exclude(pk=sophie.pk).first()
    bakery = Enterprise.objects.get(number=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    PriorLeave.objects.create(
        worker=sophie,
        employer=bakery,
        subject=child,
        leave_type="PARENTAL",
        form="1/5",
        start_date=datetime.date(2019, 3, 1),
        end_date=datetime.date(2019, 7, 31),
    )
    PriorLeave.objects.create(
        worker=sophie,
        leave_type="TC_TRAINING",
        form="1/2",
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2015, 12, 31),
    )
    for person in Person.objects.all():
        expected = [
            (values(leave), values(leave.subject), values(leave.employer))
            for leave in PriorLeave.objects.filter(worker__niss=person.niss).select_related(
                "subject", "employer"
            )
        ]
        found = LocalLeaveHistory().earlier_leaves(person.niss)
        assert [(values(leave), values(leave.subject), values(leave.employer)) for leave in found] == expected
    assert len(LocalLeaveHistory().earlier_leaves(sophie.niss)) >= 2


def test_the_confirmed_headcount_is_read_else_the_registry_s_for_last_year(demo: None) -> None:
    bakery = Enterprise.objects.get(number=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    EnterpriseHeadcount.objects.create(enterprise=bakery, year=2024, headcount=7)
    today = datetime.date(2026, 12, 5)
    assert headcount_for(bakery, year=2024, today=today) == 7
    assert headcount_for(bakery, year=2025, today=today) == bakery.reference_headcount
    assert headcount_for(bakery, year=2023, today=today) is None


def test_the_token_is_read_with_its_client_and_the_mandate_held_today_in_one_query(
    make_client: MakeClient,
) -> None:
    program = make_client(demo_data.SECUPAY_NUMBER, demo_data.SECUPAY_MANAGER_NISS)
    token = api_token(program)
    with CaptureQueriesContext(connection) as queries:
        found = token_and_mandate(token, employer_number=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    assert len(queries.captured_queries) == 1
    assert found is not None
    row, mandate = found
    orm = ApiAccessToken.objects.select_related("client__enterprise", "client__registered_by").get(pk=row.pk)
    assert values(row) == values(orm)
    assert values(row.client) == values(orm.client)
    assert values(row.client.enterprise) == values(orm.client.enterprise)
    assert values(row.client.registered_by) == values(orm.client.registered_by)
    expected = Mandate.objects.valid_on(timezone.localdate()).get(
        secretariat=program.enterprise, employer__number=demo_data.BOULANGERIE_DUBOIS_NUMBER
    )
    assert mandate is not None and values(mandate) == values(expected)
    assert mandate.employer.number == demo_data.BOULANGERIE_DUBOIS_NUMBER
    assert mandate.secretariat == program.enterprise
    # An ended mandate, no mandate, no employer named: the token without a mandate.
    for number in (demo_data.LOGISTIQUE_MEUSE_NUMBER, demo_data.ZORGGROEP_NUMBER, ""):
        again = token_and_mandate(token, employer_number=number)
        assert again is not None and again[1] is None
    assert token_and_mandate("not-a-token", employer_number=demo_data.BOULANGERIE_DUBOIS_NUMBER) is None


def test_an_expired_token_or_a_revoked_client_is_not_read(make_client: MakeClient) -> None:
    program = make_client(demo_data.SECUPAY_NUMBER, demo_data.SECUPAY_MANAGER_NISS)
    token = api_token(program)
    ApiAccessToken.objects.filter(client=program).update(expires_at=timezone.now())
    assert token_and_mandate(token, employer_number=demo_data.BOULANGERIE_DUBOIS_NUMBER) is None
    token = api_token(program)
    ApiClient.objects.filter(pk=program.pk).update(revoked_at=timezone.now())
    assert token_and_mandate(token, employer_number=demo_data.BOULANGERIE_DUBOIS_NUMBER) is None


def test_a_secretariat_s_validation_reads_its_mandate_with_the_token(make_client: MakeClient) -> None:
    secupay = ApiCaller(api_token(make_client(demo_data.SECUPAY_NUMBER, demo_data.SECUPAY_MANAGER_NISS)))
    secupay.post(VALIDATE, body())  # the limiter's first reads
    with CaptureQueriesContext(connection) as queries:
        assert secupay.post(VALIDATE, body()).status_code == 200
    mandate_reads = [q["sql"] for q in queries.captured_queries if '"identity_mandate"' in q["sql"]]
    assert len(mandate_reads) == 1 and '"identity_apiaccesstoken"' in mandate_reads[0]
    # The token with the mandate, the worker's periods, the rules' reads (one statement since ADR 0046: 7
    # before), the call's audit rows.
    assert len(queries.captured_queries) <= 4, [q["sql"][:60] for q in queries.captured_queries]
    # A body naming another enterprise, or none the token's query could read: the mandate asked on its own.
    refused = secupay.post(VALIDATE, body(enterprise=demo_data.LOGISTIQUE_MEUSE_NUMBER))
    assert refused.status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_the_call_s_audit_rows_are_written_in_one_insert_as_the_orm_writes_them(
    demo: None, count: int
) -> None:
    from careerbreak.core.audit import _insert

    rows = [
        AuditEvent(
            action=f"test.row.{index}",
            actor_niss="90061512202",
            enterprise_number="0812345603",
            subject_niss="",
            assurance_level=None if index else 3,
            object_type="x",
            object_id=str(index),
            ip_address="192.0.2.1" if index else None,
            data={"api_client_id": "c", "amount": str(Decimal("1.5")), "n": index},
        )
        for index in range(count)
    ]
    before = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        _insert(rows)
    assert len(queries.captured_queries) == 1
    written = list(AuditEvent.objects.filter(action__startswith="test.row.").order_by("pk"))
    assert [e.action for e in written] == [f"test.row.{index}" for index in range(count)]
    for event, row in zip(written, rows, strict=True):
        assert event.occurred_at >= before
        assert (event.ip_address, event.data, event.assurance_level, event.object_id) == (
            row.ip_address,
            row.data,
            row.assurance_level,
            row.object_id,
        )


@needs_postgres("prepared statements of PostgreSQL")
def test_on_postgresql_a_validation_s_short_reads_run_prepared_with_one_generic_plan(
    make_client: MakeClient,
) -> None:
    secupay = ApiCaller(api_token(make_client(demo_data.SECUPAY_NUMBER, demo_data.SECUPAY_MANAGER_NISS)))
    for _ in range(3):
        assert secupay.post(VALIDATE, body()).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
        held = cursor.fetchall()

    def plans(fragment: str) -> tuple[int, int]:
        [(_statement, generic, custom)] = [row for row in held if fragment in row[0]]
        return generic, custom

    for fragment in (
        'FROM "identity_apiaccesstoken" t',
        'FROM "registries_employment" m INNER JOIN',
        # The rules' reads in one statement (ADR 0046): a parental leave does not count towards the 5 %
        # threshold, so the worker's requests alone (ADR 0040), their earlier leaves, the headcount and
        # the workers under contract.
        'FROM "interruptions_leaverequest" r WHERE (r.worker_id',
    ):
        generic, custom = plans(fragment)
        assert generic >= 3 and custom == 0, fragment
    [rules] = [row[0] for row in held if 'FROM "registries_priorleave" l' in row[0]]
    assert 'FROM "interruptions_leaverequest" r WHERE (r.worker_id' in rules
    assert 'FROM "registries_enterpriseheadcount" h' in rules and "COUNT(DISTINCT m.worker_id)" in rules
    # The read with the enterprise's time credits is never prepared: its generic plan would read an
    # enterprise's requests whatever their number (ADR 0034).
    assert not [row for row in held if "r.enterprise_id =" in row[0]]


def test_a_revoked_client_or_an_ended_mandate_is_refused_at_the_next_validation(
    make_client: MakeClient,
) -> None:
    program = make_client(demo_data.SECUPAY_NUMBER, demo_data.SECUPAY_MANAGER_NISS)
    secupay = ApiCaller(api_token(program))
    assert secupay.post(VALIDATE, body()).status_code == 200
    today = timezone.localdate()
    mandate = Mandate.objects.valid_on(today).get(
        secretariat=program.enterprise, employer__number=demo_data.BOULANGERIE_DUBOIS_NUMBER
    )
    Mandate.objects.filter(pk=mandate.pk).update(
        valid_from=today - datetime.timedelta(days=400), valid_until=today - datetime.timedelta(days=1)
    )
    assert secupay.post(VALIDATE, body()).status_code == 403
    Mandate.objects.filter(pk=mandate.pk).update(
        valid_from=mandate.valid_from, valid_until=mandate.valid_until
    )
    assert secupay.post(VALIDATE, body()).status_code == 200
    ApiClient.objects.filter(pk=program.pk).update(revoked_at=timezone.now())
    assert secupay.post(VALIDATE, body()).status_code == 401
