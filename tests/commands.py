"""Running a management command as a shell would see it: its exit status and what it wrote."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.core.management.base import CommandError


def run_command(name: str, *args: str) -> tuple[int, str]:
    """(exit status, output): 1 and the output followed by the error message when the command fails."""
    out = io.StringIO()
    try:
        call_command(name, *args, stdout=out)
    except CommandError as exc:
        return 1, out.getvalue() + str(exc)
    return 0, out.getvalue()
