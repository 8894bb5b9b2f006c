"""The work queue's pages (and the portal's and the baseline page) written to a folder, to compare two
checkouts' HTML byte for byte on the benchmark's database.

    BENCH_DB=cb_bench_x .venv/bin/python -m bench.queue_pages FOLDER
    (the same in the other checkout, into another folder, then: diff -r FOLDER OTHER)

As the benchmark's agent and as a supervisor of every office, in the four languages: the first page, the
deep page, the queue filtered by type and by status, held by and late, a search by ticket and by number, a
forgotten search, a refused form, the portal and the baseline page logged in, and the portal and the queue
anonymous (96 pages). What changes from one request to the next is masked: the csrf tokens, the search ids
and the seconds left of the session. Each page's file starts with its status code. Creates the supervisor
(and its role) in the benchmark's database the first time. Not a test: a tool for a change that must not
change the HTML (ADRs 0031, 0036).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from bench import stack

SUPERVISOR_NISS = "85073003328"
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')
_SEARCH_ID = re.compile(r"([?&;]s=|%3Fs%3D|%26s%3D)[A-Za-z0-9_-]+")
_SECONDS = re.compile(r'data-session-seconds="\d+"')


def masked(text: str) -> str:
    text = _TOKEN.sub(r"\1TOKEN\2", text)
    text = _SEARCH_ID.sub(r"\1SEARCH", text)
    return _SECONDS.sub('data-session-seconds="SECONDS"', text)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__)
        return 2
    out = Path(args[0])
    out.mkdir(parents=True, exist_ok=True)
    os.environ.update(stack.base_env())
    os.environ["CAREERBREAK_URLCONF"] = "bench.urls"
    sys.path.insert(0, str(stack.ROOT / "src"))
    import django

    django.setup()
    from django.test import Client

    from bench.dataset import ensure_office_queue
    from careerbreak.identity.models import OfficeRole, User

    target = ensure_office_queue(log=lambda *_: None)
    agent, _created = User.objects.get_or_create(niss=target.agent_niss)
    supervisor, _created = User.objects.get_or_create(
        niss=SUPERVISOR_NISS, defaults={"first_name": "Anne <&>", "last_name": "O'Delcourt"}
    )
    if not OfficeRole.objects.active().filter(niss=SUPERVISOR_NISS).exists():
        OfficeRole.objects.create(niss=SUPERVISOR_NISS, kind="supervisor", office=None)

    written = 0

    def write(name: str, status: int, body: bytes) -> None:
        nonlocal written
        (out / f"{name}.html").write_text(f"{status}\n{masked(body.decode())}")
        written += 1

    for who, user in (("agent", agent), ("supervisor", supervisor)):
        for language in ("fr", "nl", "de", "en"):
            client = Client()
            client.force_login(user)
            session = client.session
            session["assurance_level"] = 500
            session.save()
            client.cookies["careerbreak_language"] = language

            def search(data: dict[str, str], client: Client = client) -> str:
                response = client.post("/office/", data)
                assert response.status_code == 302, response.status_code
                return str(response["Location"])

            pages = {
                "first": "/office/",
                "deep": f"/office/?after={target.deep_cursor}",
                "filtered": search({"leave_type": "PARENTAL"}),
                "status": search({"status": "complete", "held_by": "nobody", "late": "late"}),
                "search": search({"q": target.sample_ticket}),
                "search-niss": search({"q": SUPERVISOR_NISS}),
                "gone": "/office/?s=nosuchsearch",
                "baseline": "/bench/baseline/",
                "portal": "/",
            }
            for name, url in pages.items():
                response = client.get(url)
                write(f"{who}-{language}-{name}", response.status_code, response.content)
            response = client.post("/office/", {"q": "not a ticket <b>"})
            write(f"{who}-{language}-refused", response.status_code, response.content)
            anonymous = Client()
            anonymous.cookies["careerbreak_language"] = language
            for name, url in {"anonymous-portal": "/", "anonymous-queue": "/office/"}.items():
                response = anonymous.get(url)
                write(f"{who}-{language}-{name}", response.status_code, response.content)
    print(f"{written} pages in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
