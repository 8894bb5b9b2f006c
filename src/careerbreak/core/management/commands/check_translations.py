"""Fail when a catalogue is incomplete: an entry untranslated or fuzzy in fr, nl, de or en, or a
placeholder that the translation lost or changed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

_PLACEHOLDER = re.compile(r"%\([a-zA-Z_]+\)[sdif]|%[sdif]|\{[a-zA-Z_]+\}")


def _placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text))


def problems_in(po_path: Path, language: str) -> list[str]:
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids = [str(i) for i in message.id] if isinstance(message.id, tuple) else [str(message.id)]
        raw = message.string if isinstance(message.string, tuple) else (message.string,)
        strings = [str(s or "") for s in raw]
        label = ids[0][:70]
        if message.fuzzy:
            problems.append(f"{language}: fuzzy: {label!r}")
        elif not all(strings):
            problems.append(f"{language}: untranslated: {label!r}")
        elif any(_placeholders(s) != _placeholders(ids[-1]) for s in strings[1:]) or _placeholders(
            strings[0]
        ) != _placeholders(ids[0]):
            problems.append(f"{language}: placeholders differ: {label!r}")
    return problems


class Command(BaseCommand):
    help = "Check that every catalogue (fr, nl, de, en) translates every entry, with the same placeholders."

    def handle(self, *args: Any, **options: Any) -> None:
        problems: list[str] = []
        for language, _name in settings.LANGUAGES:
            po_path = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"
            if not po_path.exists():
                problems.append(f"{language}: no catalogue at {po_path}")
                continue
            problems += problems_in(po_path, language)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{len(problems)} catalogue problem(s). Translate them in locale/*/LC_MESSAGES/django.po."
            )
        self.stdout.write("All catalogues complete.")
