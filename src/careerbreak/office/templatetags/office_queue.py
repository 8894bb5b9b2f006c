"""The work queue's two pieces drawn cheaply: its filter fields and its rows (docs/performance.md §5).

``{% queue_filter_fields form %}``: the filter form's five fields (office/includes/queue_filters.html),
drawn once per language and selection and then kept by the process (ADR 0028).

``{% queue_row row %}``: one line of the work queue (a ``queue_views.QueueRow``), inside the queue's
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

from django import forms, template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

if TYPE_CHECKING:
    from careerbreak.office.queue_views import QueueRow

register = template.Library()

# The filter fields' markup, by (language, the selected value of each field): see ADR 0028. Only a form
# without errors and without a search text is kept, so the key's values are the choices' own (a few
# thousand combinations at most, and a bound below); nothing in it belongs to anyone.
FILTER_FIELDS_KEPT: dict[tuple[str, tuple[str, ...]], SafeString] = {}
FILTER_FIELDS_KEPT_AT_MOST = 1024
_KEYED_FIELDS = ("status", "leave_type", "held_by", "late")


@register.simple_tag
def queue_filter_fields(form: forms.Form) -> SafeString:
    key = None
    if form.is_bound and not form.errors and not form.data.get("q"):
        key = (get_language() or "", tuple(str(form.data.get(name) or "") for name in _KEYED_FIELDS))
        kept = FILTER_FIELDS_KEPT.get(key)
        if kept is not None:
            return kept
    html = mark_safe(render_to_string("office/includes/queue_filters.html", {"form": form}))  # noqa: S308 - rendered by the template engine, escaped there
    if key is not None and len(FILTER_FIELDS_KEPT) < FILTER_FIELDS_KEPT_AT_MOST:
        FILTER_FIELDS_KEPT[key] = html
    return html


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
