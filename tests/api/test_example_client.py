"""examples/file_batch.py, the example client of docs/api.md, run as a program against a live server:
it gets a token with the demo client's secret, sends the CSV as a batch, waits for it (its progress
alone), reads its items a page at a time and prints each line's ticket (the test settings run the
batch's task at once, when the batch is committed)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password

from careerbreak.demo import data as demo_data
from careerbreak.interruptions.models import LeaveRequest
from careerbreak.registries.models import Enterprise
from tests.factories import ApiClientFactory, user_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("frozen_today")]

ROOT = Path(__file__).resolve().parents[2]
PROGRAM = ROOT / "examples" / "file_batch.py"
TICKET = re.compile(r"^line (\d+): (\d{4}/\d{8}/\d{2})$", re.MULTILINE)


@pytest.fixture
def demo_client(demo: None) -> None:
    """The demo's API client of SecuPay (mandated by the bakery), with the demo's secret."""
    ApiClientFactory(
        client_id=demo_data.DEMO_API_CLIENT_ID,
        secret_hash=make_password(demo_data.DEMO_API_CLIENT_SECRET),
        enterprise=Enterprise.objects.get(number=demo_data.SECUPAY_NUMBER),
        registered_by=user_for(demo_data.SECUPAY_MANAGER_NISS),
    )


def run(
    url: str, csv: Path, secret: str = demo_data.DEMO_API_CLIENT_SECRET, *options: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            str(PROGRAM),
            url,
            demo_data.DEMO_API_CLIENT_ID,
            secret,
            str(csv),
            "--poll",
            "0.2",
            *options,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_example_client_files_the_example_batch_and_prints_each_line_s_ticket(
    live_server, demo_client: None
) -> None:  # type: ignore[no-untyped-def]
    done = run(live_server.url, ROOT / "examples" / "batch.csv")
    assert done.returncode == 0, done.stdout + done.stderr
    printed = dict(TICKET.findall(done.stdout))
    assert set(printed) == {"2", "3"}
    filed = LeaveRequest.objects.filter(ticket__in=printed.values())
    assert {leave_request.worker.niss for leave_request in filed} == {demo_data.SOPHIE_LAMBERT_NISS}
    assert filed.count() == 2 == LeaveRequest.objects.count()


def test_a_refused_line_is_printed_with_its_problem_and_the_exit_code_says_so(
    live_server, demo_client: None, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    header, good, _other = (ROOT / "examples" / "batch.csv").read_text().splitlines()
    bad = good.replace("2027-12-31", "2027-10-31")  # 3 months: parental 1/5 goes by blocks of 5
    csv = tmp_path / "batch.csv"
    csv.write_text("\n".join([header, good, bad]) + "\n")
    # One item a page: the program follows links.next to the second line.
    done = run(live_server.url, csv, demo_data.DEMO_API_CLIENT_SECRET, "--page", "1")
    assert done.returncode == 1
    [(line, ticket)] = TICKET.findall(done.stdout)
    assert line == "2" and LeaveRequest.objects.get().ticket == ticket
    assert "line 3: refused: leave.end:" in done.stdout


def test_a_wrong_secret_gets_no_token_and_files_nothing(live_server, demo_client: None) -> None:  # type: ignore[no-untyped-def]
    done = run(live_server.url, ROOT / "examples" / "batch.csv", secret="not-the-secret")
    assert done.returncode == 2
    assert "401" in done.stderr
    assert not LeaveRequest.objects.exists()
