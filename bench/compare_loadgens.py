"""Can Locust load this machine as the hand-written load generator did? (docs/adr/0012-locust.md)

    python -m bench.compare_loadgens            # 1, 8 and 32 users, 5 s each, after 1 s of warm-up

Starts the application's gunicorn only (as `make bench` does, on 127.0.0.1, its own database) and, at
each concurrency, loads the baseline page for the same time with bench/loadgen.py (asyncio + httpx),
then with Locust headless (bench/locustfile.py, FastHttpUser). Reports requests/s, the median latency
and the CPU seconds the load generator itself spent, to bench/results/loadgens.json.
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
                "loadgen": _loadgen(users, args.seconds, args.warmup),
                "locust": _locust(users, args.seconds, args.warmup),
            }
            results["levels"].append(level)
            print(json.dumps(level), flush=True)
    finally:
        app.stop()
    (stack.RESULTS / "loadgens.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
