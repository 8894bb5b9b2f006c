"""The work queue's two pieces drawn cheaply: its filter fields and its rows (docs/performance.md §5).

``{% queue_filter_fields form %}``: the filter form's five fields (office/includes/queue_filters.html),
drawn once per language and selection and then kept by the process (ADR 0028).

``{% queue_table rows %}``: the queue's table, each row a ``queue_views.QueueRow``: the frame and headings
of ``{% data_table %}`` (``tables.table_frame``), each cell with its column's heading as ``data-label`` as
``{% data_table %}`` adds it, written once per language into the row's text (``_drawn_once``).

Drawn in Python rather than by a template body: the page lists 25 rows, and a row template's nodes (a
dozen variables, three conditions, a loop and a ``{% csrf_token %}``), then ``{% data_table %}``'s pass
over each row's cells, cost about a quarter of the page's CPU (docs/performance.md §5). Every text is
escaped here as the template escaped it; the row's texts are already in the reader's language
(``QueueRow``), the headings and the two words of the action cell are translated here.
``tests/office/test_queue.py`` checks a row's markup and compares the table with ``{% data_table %}``'s.
"""

from __future__ import annotations

import functools
from html import escape
from typing import TYPE_CHECKING

from django import forms, template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop

from careerbreak.core.templatetags.tables import table_frame

if TYPE_CHECKING:
    from careerbreak.office.queue_views import QueueRow

register = template.Library()

# The filter fields' markup, by (language, the selected value of each field): see ADR 0028. Only a form
# without errors and without a search text is kept, so the key's values are the choices' own (a few
# thousand combinations at most, and a bound below); nothing in it belongs to anyone.
FILTER_FIELDS_KEPT: dict[tuple[str, tuple[str, ...]], SafeString] = {}
FILTER_FIELDS_KEPT_AT_MOST = 1024
_KEYED_FIELDS = ("status", "leave_type", "held_by", "late")


# Between two fields of office/includes/queue_filters.html, before the first of the four selections.
_NEXT_FIELD = '\n  <div class="field'


@register.simple_tag
def queue_filter_fields(form: forms.Form) -> SafeString:
    key = None
    if form.is_bound and not form.errors:
        key = (get_language() or "", tuple(str(form.data.get(name) or "") for name in _KEYED_FIELDS))
        kept = FILTER_FIELDS_KEPT.get(key)
        if kept is not None:
            if not form.data.get("q"):
                return kept
            # A search: its box drawn afresh (what was typed is never kept), the four selections, which
            # do not depend on it in a form without errors, from the kept markup.
            search_box = render_to_string("includes/field.html", {"field": form["q"]})
            return mark_safe(search_box + kept[kept.index(_NEXT_FIELD) :])  # noqa: S308 - both escaped by the engine
    html = mark_safe(render_to_string("office/includes/queue_filters.html", {"form": form}))  # noqa: S308 - rendered by the template engine, escaped there
    if key is not None and not form.data.get("q") and len(FILTER_FIELDS_KEPT) < FILTER_FIELDS_KEPT_AT_MOST:
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
_MUTED = '<br><span class="muted">{}</span>'  # a cell's second line (the office, who holds the file)


def _columns() -> list[str]:
    """The table's column headings, in the reader's language, marked safe as a template's ``_("…")``
    marks them (``{% data_table %}`` wrote them so: our own catalogue's texts)."""
    return [
        mark_safe(gettext(text))  # noqa: S308 - our catalogue's text, as a template's _() gives it
        for text in (
            gettext_noop("Ticket"),
            gettext_noop("Worker"),
            gettext_noop("Type of interruption"),
            gettext_noop("Status"),
            gettext_noop("Waiting"),
            gettext_noop("To note"),
            gettext_noop("Rules at filing"),
            gettext_noop("Action"),
        )
    ]


_BODY = "\x00"  # where the rows go in the table's frame (a character no text of the frame holds)


@functools.cache
def _drawn_once(language: str | None) -> tuple[str, str, str, str, str]:
    """What every page in ``language`` (the active one, the caller's key) shares: the table's frame
    before and after its rows (caption and headings), the row with each cell's heading as its
    ``data-label`` (what ``{% data_table %}`` adds to every cell) and the action's two words.
    Translations do not change while the process runs."""
    labels = _columns()
    row = _ROW
    for label in labels:  # each cell in turn, as {% data_table %} labels them
        escaped = escape(label).replace("{", "{{").replace("}", "}}")
        row = row.replace("<td>", f'<td data-label="{escaped}">', 1)
    caption = mark_safe(gettext("Requests to handle"))  # noqa: S308 - as the template's _() gave it
    where = mark_safe(_BODY)  # noqa: S308 - a control character, replaced by the escaped rows
    before, after = table_frame(caption, labels, where, visible=True, actions=False).split(_BODY)
    return before, after, row, escape(gettext("Take charge")), escape(gettext("Open"))


class _EscapedOnce(dict[str, str]):
    """A page's texts escaped, each once: ``once[text]`` (a dictionary's own lookup, the escaping only for a
    text not seen yet on the page; a function doing the same cost a call per cell)."""

    def __missing__(self, text: str) -> str:
        escaped = self[text] = escape(text)
        return escaped


@register.simple_tag(takes_context=True)
def queue_table(context: template.Context, rows: list[QueueRow]) -> SafeString:
    """The queue's table: ``{% data_table rows … visible %}`` around one ``_ROW`` per row, drawn here
    (the rows' texts escaped here, the frame and headings by ``tables.table_frame``)."""
    before, after, row_format, take_label, open_label = _drawn_once(get_language())
    token = context.get("csrf_token")
    csrf = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(token))}">'
        if token and token != "NOTPROVIDED"
        else ""
    )
    # The labels a page repeats (type, form, status, age, findings, notes) escaped once per page.
    once = _EscapedOnce()
    drawn = []
    for row in rows:
        ticket = escape(row.ticket)
        review = escape(row.review_url)
        if row.take_url:
            action = _TAKE.format(url=escape(row.take_url), csrf=csrf, label=take_label, ticket=ticket)
        else:
            action = _OPEN.format(url=review, label=open_label, ticket=ticket)
        notes = (
            "".join(
                [
                    f'<span class="tag{" tag-warning" if warning else ""}">{once[text]}</span> '
                    for text, warning in row.notes
                ]
            )
            if row.notes
            else "–"
        )
        drawn.append(
            row_format.format(
                review=review,
                ticket=ticket,
                office=_MUTED.format(once[row.office_name]) if row.office_name else "",
                worker=escape(row.worker_name),
                niss=escape(row.worker_niss),
                type=once[row.type_label],
                form=once[row.form_label],
                status=once[row.status_label],
                held=_MUTED.format(once[row.held]) if row.held else "",
                age=once[row.age],
                notes=notes,
                rules=once[row.rules],
                action=action,
            )
        )
    return mark_safe(before + "".join(drawn) + after)  # noqa: S308 - every text above is escaped
