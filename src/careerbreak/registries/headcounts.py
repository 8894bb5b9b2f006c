"""The enterprise's headcount on 30 June of a year: what the rules read, and the employer's confirmation.

CCT 103 takes the headcount on 30 June of the year before the written notice (notice term of time credit,
employer's agreement, 5 % threshold; medical assistance: the employer's right to refuse). An unknown
figure is None — never 0, which would treat the enterprise as a small one.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from careerbreak.core.audit import AuditActor, audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.sqlrows import prepared_cursor, table
from careerbreak.registries.models import Enterprise, EnterpriseHeadcount


def reference_year(notice: datetime.date) -> int:
    """The year whose 30 June counts for a notice given on that day: the year before."""
    return notice.year - 1


def headcount_for(enterprise: Enterprise, *, year: int, today: datetime.date) -> int | None:
    """The headcount on 30 June of ``year``: the figure the employer confirmed for that year; else the
    registry's, which is the figure of the year before ``today``; else None (unknown)."""
    # EnterpriseHeadcount.objects.filter(enterprise=enterprise, year=year).first() (one row at most: the
    # pair is unique), in SQL: it is read by every filing and API validation (ADR 0030).
    # Prepared (ADR 0034): its planning cost more than its run.
    with prepared_cursor(EnterpriseHeadcount._default_manager.db) as cursor:
        cursor.execute(
            f"SELECT headcount FROM {table(EnterpriseHeadcount)} WHERE enterprise_id = %s AND year = %s",  # noqa: S608
            [enterprise.pk, year],
        )
        confirmed = cursor.fetchone()
    return headcount_given(
        enterprise, int(confirmed[0]) if confirmed is not None else None, year=year, today=today
    )


def headcount_given(
    enterprise: Enterprise, confirmed: int | None, *, year: int, today: datetime.date
) -> int | None:
    """``headcount_for`` once the figure the employer confirmed for ``year`` (None: none) is read (a caller
    that reads it along with other things: ``interruptions.selectors.rule_reads``)."""
    if confirmed is not None:
        return confirmed
    if year == reference_year(today):
        return enterprise.reference_headcount
    return None


@transaction.atomic
def company_data_checked(
    *,
    acting: AuditActor,
    enterprise: Enterprise,
    year: int,
    headcount: int | None,
) -> None:
    """Step 3: the employer checked the company data and, with ``headcount``, confirmed (or corrected) the
    headcount on 30 June of ``year``. One audit row, with the figure and the one it replaced."""
    data: dict[str, object] = {}
    if headcount is not None:
        previous = headcount_for(enterprise, year=year, today=datetime.date(year + 1, 1, 1))
        EnterpriseHeadcount.objects.update_or_create(
            enterprise=enterprise, year=year, defaults={"headcount": headcount}
        )
        data = {"headcount_year": year, "headcount": headcount, "previous_headcount": previous}
    audit_log(
        action=AuditAction.COMPANY_DATA_CHECKED,
        acting=acting,
        enterprise_number=enterprise.number,
        data=data,
    )
