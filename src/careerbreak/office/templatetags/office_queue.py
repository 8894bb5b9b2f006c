"""``{% queue_row row %}``: one line of the work queue (a ``queue_views.QueueRow``), inside the queue's
``{% data_table %}``, which adds each cell's column heading as its ``data-label``.

Drawn in Python rather than by a template body: the page lists 25 rows, and the row template's nodes (a
dozen variables, three conditions, a loop and a ``{% csrf_token %}``) cost about a quarter of the page's
CPU (docs/performance.md §5). Every text is escaped here as the template escaped it; the row's texts are
already in the reader's language (``QueueRow``), and the two words of the action cell are translated here.
``tests/office/test_queue.py`` checks a row's markup.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

if TYPE_CHECKING:
    from careerbreak.office.queue_views import QueueRow

register = template.Library()

_ROW = (
    "\n    <tr>\n"
    '      <td><a href="{review}">{ticket}</a>{office}</td>\n'
    '      <td>{worker}<br><span class="muted niss">{niss}</span></td>\n'
    '      <td>{type}<br><span class="muted">{form}</span></td>\n'
    '      <td><span class="tag">{status}</span>{held}</td>\n'
    "      <td>{age}</td>\n"
    "      <td>{notes}</td>\n"
    "      <td>{rules}</td>\n"
    "      <td>{action}</td>\n"
    "    </tr>\n"
)
_TAKE = (
    '<form method="post" action="{url}" class="inline-form">{csrf}<button type="submit" '
    'class="button button-secondary">{label}<span class="visually-hidden"> {ticket}</span></button></form>'
)
_OPEN = '<a href="{url}">{label}<span class="visually-hidden"> {ticket}</span></a>'


def _muted(text: str) -> str:
    return f'<br><span class="muted">{escape(text)}</span>' if text else ""


@register.simple_tag(takes_context=True)
def queue_row(context: template.Context, row: QueueRow) -> SafeString:
    ticket = escape(row.ticket)
    review = escape(row.review_url)
    if row.take_url:
        token = context.get("csrf_token")
        csrf = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(token))}">'
            if token and token != "NOTPROVIDED"
            else ""
        )
        action = _TAKE.format(
            url=escape(row.take_url),
            csrf=csrf,
            label=escape(gettext("Take charge")),
            ticket=ticket,
        )
    else:
        action = _OPEN.format(url=review, label=escape(gettext("Open")), ticket=ticket)
    notes = "".join(
        f'<span class="tag{" tag-warning" if warning else ""}">{escape(text)}</span> '
        for text, warning in row.notes
    )
    return mark_safe(  # noqa: S308 - every text above is escaped
        _ROW.format(
            review=review,
            ticket=ticket,
            office=_muted(row.office_name),
            worker=escape(row.worker_name),
            niss=escape(row.worker_niss),
            type=escape(row.type_label),
            form=escape(row.form_label),
            status=escape(row.status_label),
            held=_muted(row.held),
            age=escape(row.age),
            notes=notes or "–",
            rules=escape(row.rules),
            action=action,
        )
    )
