"""Aduan's intake against the floor (bench/floor_app.py) on the same services, in one run.

Both run as one gunicorn+gevent process per core on PostgreSQL and Redis; the same load
generator posts the same complaints. Prints both and Aduan/floor as a ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    PG_BENCH_URL,
    REDIS_BENCH_URL,
    flush_redis,
    machine,
    prepare_database,
    reset_postgres_database,
    service_env,
    start_web,
)
from bench.intake import post_complaints
from tests.support.processes import VENV_BIN, ManagedProcess, free_port, wait_for


def start_floor(env: dict, processes: int) -> list[tuple[ManagedProcess, str]]:
    import requests

    servers = []
    for index in range(processes):
        port = free_port()
        log = Path(tempfile.mkdtemp(prefix="aduan-floor-")) / f"floor.{index}.log"
        server = ManagedProcess(
            [
                str(VENV_BIN / "gunicorn"),
                "-k",
                "gevent",
                "-w",
                "1",
                "--bind",
                f"127.0.0.1:{port}",
                "bench.floor_app:app",
            ],
            env,
            log,
        )
        server.start()
        url = f"http://127.0.0.1:{port}"

        def up(url=url):
            try:
                return requests.get(url + "/healthz", timeout=1).ok
            except requests.RequestException:
                return False

        wait_for(up, timeout=30, message="floor app")
        servers.append((server, url))
    return servers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    processes = os.cpu_count() or 1
    print(f"# machine: {machine()}")

    reset_postgres_database()
    env = service_env(PG_BENCH_URL)
    flush_redis(REDIS_BENCH_URL)
    prepare_database(env)
    aduan = start_web(env, Path(tempfile.mkdtemp(prefix="aduan-bench-")) / "web", processes)
    try:
        aduan_result = asyncio.run(
            post_complaints([s.base_url for s in aduan], args.requests, args.concurrency)
        )
    finally:
        for server in aduan:
            server.stop()

    floor = start_floor(env, processes)
    try:
        floor_result = asyncio.run(
            post_complaints([url for _, url in floor], args.requests, args.concurrency)
        )
    finally:
        for server, _ in floor:
            server.stop()

    for name, result in (("aduan", aduan_result), ("floor", floor_result)):
        print(
            f"{name}: {result['per_second']:.0f} complaints/s, p50 {result['p50_ms']:.1f} ms, "
            f"p99 {result['p99_ms']:.1f} ms, {result['ok']} ok, {result['errors']} errors "
            f"({processes} gunicorn+gevent processes, PostgreSQL, concurrency {args.concurrency})"
        )
    ratio = aduan_result["per_second"] / floor_result["per_second"] if floor_result["per_second"] else 0
    print(f"aduan/floor throughput ratio: {ratio:.2f} (target >= 0.70)")


if __name__ == "__main__":
    main()
