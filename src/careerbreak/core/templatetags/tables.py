"""``{% data_table %}``: the frame every list page draws around its rows, written once.

    {% data_table versions as version caption _("Versions") columns _("Version") _("On") actions %}
      <tr><td>{{ version.number }}</td>…</tr>
    {% end_data_table %}

draws ``<table class="data">`` with its caption (hidden from sight unless ``visible``), one heading per
column (``actions`` adds a last column whose heading only screen readers read), and the body once per row,
with the row under the ``as`` name (several names unpack a tuple). With ``empty _("…")``, a list without
rows shows that sentence instead of a table; without it, the table is drawn with no rows.

On a narrow screen (site.css, ``table.stacked``) each row becomes a block of "heading: value" lines, so
that no page scrolls sideways at 320 CSS px: every cell of the body gets its column's heading as
``data-label`` (the stylesheet writes it before the value; the actions column gets none), unless the
cell has one already.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

_FLAGS = frozenset({"visible", "actions"})
_OPTIONS = frozenset({"caption", "columns", "empty"})
_FRAME = (
    '<table class="data stacked">\n  <caption{}>{{}}</caption>\n  <thead><tr>{{}}</tr></thead>\n'
    "  <tbody>{{}}  </tbody>\n</table>"
)
_VISIBLE = _FRAME.format("")
_HIDDEN = _FRAME.format(' class="visually-hidden"')
_ACTIONS = '<th scope="col"><span class="visually-hidden">{}</span></th>'
# The opening tag of a cell: <td>, <th scope="row">; not <thead> nor <tbody>.
_CELL = re.compile(r"<(td|th)(?=[\s>])([^>]*)>")


def _labelled(row: str, labels: list[str]) -> SafeString:
    """``row`` (a rendered <tr>) with each cell's column heading as its data-label, in column order
    (``labels``: each heading already escaped, as ``_escaped`` gives them)."""
    position = itertools.count()

    def label(match: re.Match[str]) -> str:
        index = next(position)
        attributes = match.group(2)
        if index >= len(labels) or not labels[index] or "data-label" in attributes:
            return match.group(0)
        return f'<{match.group(1)} data-label="{labels[index]}"{attributes}>'

    return mark_safe(_CELL.sub(label, row))  # noqa: S308 - the row was rendered escaped; the label is escaped


def table_frame(
    caption: Any, labels: list[str], body: SafeString, *, visible: bool, actions: bool
) -> SafeString:
    """The table around ``body`` (its rows, already labelled): the caption, hidden from sight unless
    ``visible``, and one heading per column (``actions``: a last one only screen readers read). For a
    list drawn in Python whose cells carry their ``data-label`` already (the work queue's)."""
    head = format_html_join("", '<th scope="col">{}</th>', ((label,) for label in labels))
    if actions:
        head += format_html(_ACTIONS, gettext("Actions"))
    return format_html(_VISIBLE if visible else _HIDDEN, caption, head, body)


def _escaped(labels: list[str]) -> list[str]:
    """The headings escaped once per table, not once per cell."""
    return [escape(label) for label in labels]


class DataTableNode(template.Node):
    def __init__(
        self,
        rows: FilterExpression,
        names: list[str],
        options: dict[str, list[FilterExpression]],
        flags: set[str],
        body: NodeList,
    ) -> None:
        self.rows, self.names, self.options, self.flags, self.body = rows, names, options, flags, body

    def _one(self, option: str, context: template.Context) -> Any:
        expressions = self.options.get(option)
        return expressions[0].resolve(context) if expressions else None

    def render(self, context: template.Context) -> SafeString:
        rows = list(self.rows.resolve(context) or [])
        empty = self._one("empty", context)
        if not rows and empty is not None:
            return format_html("<p>{}</p>", empty)
        labels = [str(column.resolve(context)) for column in self.options.get("columns", [])]
        escaped = _escaped(labels)
        # Each row is safe (_labelled); joining safe strings is what format_html_join("", "{}", …) did.
        body = mark_safe("".join([_labelled(self._row(row, context), escaped) for row in rows]))  # noqa: S308
        return table_frame(
            self._one("caption", context),
            labels,
            body,
            visible="visible" in self.flags,
            actions="actions" in self.flags,
        )

    def _row(self, row: Any, context: template.Context) -> SafeString:
        values: Iterable[Any] = row if len(self.names) > 1 else (row,)
        with context.push(dict(zip(self.names, values, strict=True))):
            return self.body.render(context)


@register.tag("data_table")
def data_table(parser: Parser, token: Token) -> DataTableNode:
    bits = token.split_contents()
    if len(bits) < 4 or bits[2] != "as":
        raise template.TemplateSyntaxError("{% data_table rows as row caption … columns … %}")
    rows = parser.compile_filter(bits[1])
    rest = bits[3:]
    names: list[str] = []
    while rest and rest[0] not in _OPTIONS | _FLAGS:
        names.append(rest.pop(0))
    options: dict[str, list[FilterExpression]] = {}
    flags: set[str] = set()
    current = ""
    for bit in rest:
        if bit in _FLAGS:
            flags.add(bit)
        elif bit in _OPTIONS:
            current = bit
            options[current] = []
        elif current:
            options[current].append(parser.compile_filter(bit))
        else:
            raise template.TemplateSyntaxError(f"data_table: unexpected {bit!r}")
    body = parser.parse(("end_data_table",))
    parser.delete_first_token()
    return DataTableNode(rows, names, options, flags, body)
