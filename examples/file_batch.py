"""File a batch of employer parts from a CSV file through the careerbreak API, and print each line's
ticket or problems (docs/api.md).

    python examples/file_batch.py http://127.0.0.1:8000 demo-secupay demo-secret-not-for-production \\
        examples/batch.csv

The CSV's columns ``enterprise``, ``niss`` and ``type`` name the request; every other column is a
field of its ``leave`` (as ``POST /requests`` takes them; an empty cell is left out). The batch is sent
with an ``Idempotency-Key`` made from the file's content, so running the program twice on the same file
files it once. While the task workers file it, the program asks for the batch's progress alone
(``limit=0``); once it is done, it reads the items a page at a time (``--page`` of them, following
``links.next``). Exit code 0 when every line was filed, 1 when one was refused, 2 on a failed call.

Only httpx is needed (``pip install httpx``).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

REQUEST_COLUMNS = ("enterprise", "niss", "type")


def read_items(path: Path) -> list[dict[str, Any]]:
    """The bodies of ``POST /requests``, one per line of the CSV file."""
    items = []
    with path.open(newline="", encoding="utf-8") as lines:
        for row in csv.DictReader(lines):
            leave = {
                name: value for name, value in row.items() if name not in REQUEST_COLUMNS and value != ""
            }
            items.append(
                {
                    "enterprise": row["enterprise"],
                    "worker": {"niss": row["niss"]},
                    "type": row["type"],
                    "leave": leave,
                    "certified": True,
                }
            )
    return items


def get_token(http: httpx.Client, client_id: str, secret: str) -> str:
    """An access token by the client credentials grant, authenticated with client_secret_basic."""
    answer = http.post(
        "/oauth/token",
        auth=(client_id, secret),
        data={"grant_type": "client_credentials", "scope": "requests:read requests:write"},
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def file_batch(http: httpx.Client, items: list[dict[str, Any]], key: str, poll: float) -> dict[str, Any]:
    """Send the batch and wait until the task workers have processed every item (the progress alone:
    ``limit=0``, no item in each answer)."""
    answer = http.post("/batches", json={"items": items}, headers={"Idempotency-Key": key})
    if answer.status_code != 202:
        raise SystemExit(f"The batch was refused ({answer.status_code}): {answer.text}")
    location = answer.headers["Location"]
    while True:
        batch: dict[str, Any] = get(http, location, {"limit": 0})
        if batch["state"] == "done":
            return batch
        time.sleep(poll)


def batch_items(http: httpx.Client, batch: dict[str, Any], page: int) -> Iterator[dict[str, Any]]:
    """Every item of the batch, in the order of their index, ``page`` at a time (``links.next``)."""
    answer = get(http, batch["links"]["self"], {"limit": page})
    while True:
        yield from answer["items"]
        if not answer["links"].get("next"):
            return
        answer = get(http, answer["links"]["next"])


def get(http: httpx.Client, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    # The API's links are paths from the host's root, with their query: made an absolute URL as they
    # are, so that httpx does not put the base URL's path before them.
    url = http.base_url.copy_with(raw_path=path.encode("ascii"))
    answer = http.get(url, params=params)
    answer.raise_for_status()
    body: dict[str, Any] = answer.json()
    return body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url", help="the service, e.g. http://127.0.0.1:8000")
    parser.add_argument("client_id")
    parser.add_argument("secret")
    parser.add_argument("csv", type=Path, help="one request a line (see examples/batch.csv)")
    parser.add_argument("--language", default="en", help="the language of the problems (fr, nl, de, en)")
    parser.add_argument("--poll", type=float, default=1.0, help="seconds between two looks at the batch")
    parser.add_argument("--page", type=int, default=1000, help="items read per call at the end (1 to 1000)")
    args = parser.parse_args(argv)

    items = read_items(args.csv)
    key = "file-batch-" + hashlib.sha256(args.csv.read_bytes()).hexdigest()[:32]
    root = args.base_url.rstrip("/")
    with httpx.Client(base_url=f"{root}/api/v1", timeout=30) as http:
        try:
            token = get_token(http, args.client_id, args.secret)
            http.headers.update({"Authorization": f"Bearer {token}", "Accept-Language": args.language})
            batch = file_batch(http, items, key, args.poll)
            refused = 0
            for item in batch_items(http, batch, args.page):
                line = item["index"] + 2  # the header is line 1
                if item.get("ticket"):
                    print(f"line {line}: {item['ticket']}")
                else:
                    refused += 1
                    for problem in item.get("problems") or []:
                        print(f"line {line}: refused: {problem.get('field')}: {problem.get('message')}")
        except httpx.HTTPError as error:
            print(f"The call failed: {error}", file=sys.stderr)
            return 2
    print(f"{batch['progress']['filed']} filed, {refused} refused (batch {batch['id']})")
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
