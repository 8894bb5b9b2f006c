"""Fail when a catalogue is incomplete: an entry untranslated or fuzzy in fr, nl, de or en, a
placeholder that the translation lost or changed, and (with --with-extraction) a string of the code that
is not in the catalogues at all because nobody ran `make messages`."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

# The same extraction as `make messages`; what it must not scan.
MAKEMESSAGES_IGNORE = (".venv/*", "var/*", "tests/*", "bench/*", "node_modules/*")
# What the extraction copies: the code and templates, and the catalogues to merge into.
_COPIED = ("src", "config", "manage.py", "locale")

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


def _keys(po_path: Path, language: str) -> dict[tuple[str, str | None], list[str]]:
    """Every entry of a catalogue by (first msgid, context), with the files it comes from."""
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    keys = {}
    for message in catalog:
        if message.id:
            first = str(message.id[0] if isinstance(message.id, tuple) else message.id)
            keys[(first, message.context)] = sorted({location for location, _line in message.locations})
    return keys


def not_extracted(base_dir: Path, languages: list[str]) -> list[str]:
    """Strings of the code missing from the catalogues: extract again into a copy, compare."""
    if shutil.which("xgettext") is None:
        raise CommandError("GNU gettext is needed for the extraction check: apt-get install gettext")
    problems = []
    with tempfile.TemporaryDirectory(prefix="careerbreak-messages-") as temporary:
        copy = Path(temporary)
        for name in _COPIED:
            source = base_dir / name
            if source.is_dir():
                shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
            else:
                shutil.copy2(source, copy / name)
        command = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--add-location=file"]
        command += [f"--locale={language}" for language in languages]
        command += [f"--ignore={pattern}" for pattern in MAKEMESSAGES_IGNORE]
        done = subprocess.run(command, cwd=copy, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0:
            raise CommandError(f"The extraction failed:\n{done.stdout}{done.stderr}")
        for language in languages:
            relative = Path("locale") / language / "LC_MESSAGES" / "django.po"
            known = _keys(base_dir / relative, language) if (base_dir / relative).exists() else {}
            for (msgid, context), files in _keys(copy / relative, language).items():
                if (msgid, context) not in known:
                    where = ", ".join(files) or "?"
                    label = f"{context}|{msgid}" if context else msgid
                    problems.append(f"{language}: not extracted: {label[:70]!r} ({where})")
    return problems


class Command(BaseCommand):
    help = "Check that every catalogue (fr, nl, de, en) translates every entry, with the same placeholders."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--with-extraction",
            action="store_true",
            help="Also extract the strings again (GNU gettext) and fail on any missing from the catalogues.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        problems: list[str] = []
        for language, _name in settings.LANGUAGES:
            po_path = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"
            if not po_path.exists():
                problems.append(f"{language}: no catalogue at {po_path}")
                continue
            problems += problems_in(po_path, language)
        if options["with_extraction"]:
            languages = [language for language, _name in settings.LANGUAGES]
            problems += not_extracted(Path(settings.BASE_DIR), languages)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{len(problems)} catalogue problem(s). Run `make messages` for the strings not extracted, "
                "then translate them in locale/*/LC_MESSAGES/django.po."
            )
        self.stdout.write("All catalogues complete.")
