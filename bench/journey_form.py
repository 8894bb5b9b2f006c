"""What every load generator of the journey shares: its page labels, its dates, the patterns it reads.

Imported by bench/locustfile.py (under gevent), bench/loadgen.py and bench/dataset.py: standard library
only, so that importing it changes nothing in any of them.
"""

from __future__ import annotations

import datetime
import re

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
TICKET = re.compile(r"\b(\d{4}/\d{8}/\d{2})\b")


def date_parts(name: str, value: datetime.date) -> dict[str, str]:
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


def journey_dates(today: datetime.date) -> tuple[datetime.date, datetime.date, datetime.date]:
    """Notice a week ago; start on the first day of a month at least two months ahead; five months."""
    notice = today - datetime.timedelta(days=7)
    month = today.month + 2 + (1 if today.day > 1 else 0)
    year = today.year + (month - 1) // 12
    start = datetime.date(year, (month - 1) % 12 + 1, 1)
    end_month = start.month + 5
    end = datetime.date(start.year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1) - datetime.timedelta(
        days=1
    )
    return notice, start, end


# The labels, in the order of the journey; "idp" pages are served by the identity provider's process.
JOURNEY_LABELS = (
    "portal /",
    "step 2 start page",
    "login: redirect to IdP",
    "idp: choose means",
    "idp: eID form",
    "idp: submit PIN",
    "login: callback",
    "enterprise choice (redirect)",
    "step 3 company data",
    "step 3 Suivant (new draft)",
    "step 4 worker page",
    "step 4 search by NISS",
    "step 4 search result",
    "step 4 select worker",
    "step 5 type page",
    "step 5 choose type",
    "step 6 leave page",
    "step 6 submit (rules)",
    "step 7 summary (rules)",
    "step 7 confirm (ticket)",
    "ticket page",
)
IDP_LABELS = frozenset(label for label in JOURNEY_LABELS if label.startswith("idp:"))
