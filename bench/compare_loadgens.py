"""Which load generator loads this machine, for how much of its CPU? (docs/adr/0012-locust.md, 0035)

    python -m bench.compare_loadgens            # 1, 8 and 32 users, 5 s each, after 1 s of warm-up

Starts the application's gunicorn only (as `make bench` does, on 127.0.0.1, its own database) and, at
each concurrency, loads the baseline page for the same time with bench/loadgen.py (asyncio + httpx),
then with Locust headless (bench/locustfile.py, FastHttpUser), then with bench/rawload.py (asyncio
streams, keep-alive, requests encoded once). Reports requests/s, the median latency and the CPU seconds
the load generator itself spent (and per request), to bench/results/loadgens.json. rawload's warm-up
is one request per connection, not the others' second: its CPU is that of the measured seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from typing import Any

from bench import stack


def _loadgen(users: int, seconds: float, warmup: float) -> dict[str, Any]:
    from bench import loadgen

    async def unit(browser: loadgen.Browser, recorder: loadgen.Recorder) -> bool:
        await browser.get("baseline", f"{stack.APP_URL}/bench/baseline/")
        return True

    cpu_before = time.process_time()
    recorder, wall = asyncio.run(
        loadgen.run_level(
            users=users, duration=seconds, warmup=warmup, unit=unit, fresh_browser_per_unit=False
        )
    )
    stats = loadgen.summary(recorder.samples["baseline"])
    return {
        "requests_per_second": round(recorder.requests / wall, 1),
        "median_ms": stats["median_ms"],
        "p95_ms": stats["p95_ms"],
        "errors": len(recorder.errors),
        "generator_cpu_seconds": round(time.process_time() - cpu_before, 2),
    }


def _rawload(users: int, seconds: float) -> dict[str, Any]:
    from bench import rawload

    requests = [rawload.encode("GET", stack.APP_URL, "/bench/baseline/", headers={"Accept-Language": "fr"})]
    level = asyncio.run(
        rawload.run_level(stack.APP_URL, requests, connections=users, seconds=seconds, label="baseline")
    )
    stats = level.summary()
    return {
        "requests_per_second": stats["per_second"],
        "median_ms": stats["median_ms"],
        "p95_ms": stats["p95_ms"],
        "errors": stats["errors"],
        "generator_cpu_seconds": round(level.cpu_seconds, 2),
        "generator_cpu_ms_per_request": stats["generator_cpu_ms_per_request"],
    }


def _per_request(result: dict[str, Any], seconds: float) -> dict[str, Any]:
    """The generator's CPU per request, counting the requests of the measured seconds only."""
    requests = result["requests_per_second"] * seconds
    cpu_ms = result["generator_cpu_seconds"] * 1000 / requests if requests else float("nan")
    return result | {"generator_cpu_ms_per_request": round(cpu_ms, 3)}


def _locust(users: int, seconds: float, warmup: float) -> dict[str, Any]:
    from bench import locust_runner

    run = locust_runner.run(
        "BaselineUser",
        name=f"compare-{users}-users",
        host=stack.APP_URL,
        users=users,
        seconds=seconds,
        warmup=warmup,
    )
    stats = run.summary("baseline")
    return {
        "requests_per_second": round(run.requests / run.seconds, 1),
        "median_ms": stats["median_ms"],
        "p95_ms": stats["p95_ms"],
        "errors": run.error_count,
        "generator_cpu_seconds": run.generator_cpu_seconds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", default="1,8,32")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--warmup", type=float, default=1)
    args = parser.parse_args(argv)
    stack.ensure_postgres()
    os.environ.update(stack.base_env())
    sys.path.insert(0, str(stack.ROOT / "src"))
    stack.prepare_database()
    app = stack.app_server()
    results: dict[str, Any] = {"cpus": os.cpu_count(), "levels": []}
    try:
        app.start()
        app.wait_ready()
        for users in (int(u) for u in args.users.split(",")):
            level = {
                "users": users,
                "load_average_before": [round(x, 2) for x in os.getloadavg()],
                "loadgen": _per_request(_loadgen(users, args.seconds, args.warmup), args.seconds),
                "locust": _per_request(_locust(users, args.seconds, args.warmup), args.seconds),
                "rawload": _rawload(users, args.seconds),
            }
            results["levels"].append(level)
            print(json.dumps(level), flush=True)
    finally:
        app.stop()
    (stack.RESULTS / "loadgens.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
