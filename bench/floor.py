"""Aduan's intake against the floor (bench/floor_app.py) on the same services, in one run.

Both run as one gunicorn+gevent process per core on PostgreSQL and Redis; the same load
generator posts the same complaints, Aduan then the floor, `--rounds` times (one run of each
moved by up to a fifth on this shared box). Prints each round and the median Aduan/floor ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    PG_BENCH_URL,
    REDIS_BENCH_URL,
    cpu_by_process_group,
    cpu_per_request,
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


def measure(urls: list[str], requests: int, concurrency: int) -> dict:
    before = cpu_by_process_group()
    result = asyncio.run(post_complaints(urls, requests, concurrency))
    result["cpu"] = cpu_per_request(before, cpu_by_process_group(), requests)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument(
        "--rounds", type=int, default=3, help="Aduan then the floor, this many times (the box drifts)"
    )
    args = parser.parse_args()
    processes = os.cpu_count() or 1
    print(f"# machine: {machine()}")

    reset_postgres_database()
    env = service_env(PG_BENCH_URL)
    flush_redis(REDIS_BENCH_URL)
    prepare_database(env)
    aduan = start_web(env, Path(tempfile.mkdtemp(prefix="aduan-bench-")) / "web", processes)
    floor = start_floor(env, processes)
    ratios = []
    try:
        for round_number in range(1, args.rounds + 1):
            results = {
                "aduan": measure([s.base_url for s in aduan], args.requests, args.concurrency),
                "floor": measure([url for _, url in floor], args.requests, args.concurrency),
            }
            for name, result in results.items():
                print(
                    f"round {round_number} {name}: {result['per_second']:.0f} complaints/s, "
                    f"p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, {result['ok']} ok, "
                    f"{result['errors']} errors ({processes} gunicorn+gevent processes, PostgreSQL, "
                    f"concurrency {args.concurrency}); CPU per complaint: {result['cpu']}"
                )
            floor_rate = results["floor"]["per_second"]
            ratios.append(results["aduan"]["per_second"] / floor_rate if floor_rate else 0.0)
    finally:
        for server in aduan:
            server.stop()
        for server, _ in floor:
            server.stop()
    listed = ", ".join(f"{ratio:.2f}" for ratio in ratios)
    print(
        f"aduan/floor throughput ratio: {statistics.median(ratios):.2f} "
        f"(median of {len(ratios)} rounds: {listed}; target >= 0.70)"
    )


if __name__ == "__main__":
    main()
