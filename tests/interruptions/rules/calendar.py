"""The days of the rule tests: the notice on Monday 1 June 2026 ("today" too), the start on 1 October 2026,
and the shorthands the tests write their periods with."""

from __future__ import annotations

import datetime

from careerbreak.interruptions.rules.dates import add_months
from careerbreak.interruptions.types import LeaveForm

D = datetime.date
DAY = datetime.timedelta(days=1)
FULL, HALF, FIFTH, TENTH = LeaveForm.FULL, LeaveForm.HALF, LeaveForm.ONE_FIFTH, LeaveForm.ONE_TENTH
NOTICE = D(2026, 6, 1)
START = D(2026, 10, 1)


def months_from_start(months: int) -> datetime.date:
    """The last day of a leave of `months` whole months from START."""
    return add_months(START, months) - DAY
