"""Step 4's Dimona rows written in Python (employer/templatetags/employer_rows.py) are the characters the
template row they replaced wrote (kept here as the reference), with hostile names, in each language."""

from __future__ import annotations

import datetime

import pytest
from django.template import engines
from django.utils.translation import override

from careerbreak.registries.models import Employment, JointCommittee, Person

HEAD = (
    '{% data_table dimona_list as employment caption _("Workers under contract (Dimona)") columns _("Name")'
    ' _("National register number") _("Start of employment") _("Joint committee") actions %}'
)
TEMPLATE_ROW = (
    "{% load i18n tables %}" + HEAD + "\n    <tr>\n"
    "      <td>{{ employment.worker.full_name }}</td>\n"
    '      <td><span class="niss">{{ employment.worker.formatted_niss }}</span></td>\n'
    '      <td>{{ employment.start_date|date:"SHORT_DATE_FORMAT" }}</td>\n'
    '      <td>{{ employment.joint_committee.number|default:"–" }}</td>\n'
    '      <td><form method="post" class="inline-form">{% csrf_token %}'
    '<input type="hidden" name="action" value="search">'
    '<input type="hidden" name="search-niss" value="{{ employment.worker.niss }}">'
    '<button type="submit" class="link-button">{% translate "Choose" %}'
    '<span class="visually-hidden"> – {{ employment.worker.full_name }}</span></button></form></td>\n'
    "    </tr>\n{% end_data_table %}"
)
PYTHON_ROW = (
    "{% load i18n tables employer_rows %}"
    + HEAD.replace("dimona_list as employment", "dimona_list|dimona_rows:csrf_token as row")
    + "{{ row }}{% end_data_table %}"
)

HOSTILE = "\"><script>alert(1)</script>&'"


def employments() -> list[Employment]:
    people = [
        Person(niss="90061512202", first_name="Sophie", last_name="Lambert"),
        Person(niss="85010199731", first_name=HOSTILE, last_name="<b>O'Hara</b>"),
    ]
    return [
        Employment(
            worker=people[0],
            joint_committee=JointCommittee(number="118"),
            start_date=datetime.date(2015, 3, 1),
        ),
        Employment(worker=people[1], start_date=datetime.date(2001, 12, 31)),
        Employment(worker=people[0], joint_committee=JointCommittee(number=""), start_date=None),
    ]


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
@pytest.mark.parametrize("token", ["abc<def>", "NOTPROVIDED", ""])
def test_the_python_rows_are_the_template_rows(language: str, token: str) -> None:
    context = {"dimona_list": employments(), "csrf_token": token}
    with override(language):
        expected = engines["django"].from_string(TEMPLATE_ROW).render(context)
        assert engines["django"].from_string(PYTHON_ROW).render(context) == expected
    assert "<script>" not in expected
    assert "&lt;script&gt;" in expected
