"""Web intake throughput and latency: concurrent clients posting complaints over HTTP.

Two setups, both started by this script on loopback:
  make-run   one gunicorn+gevent process on SQLite (what `make run` starts)
  production one gunicorn+gevent process per core on PostgreSQL (README "Production")
Usage: python bench/intake.py [--setup make-run|production|both] [--requests N] [--concurrency C]
       python bench/intake.py --url http://host:port   (an already running server)
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp

from bench.common import (
    PG_BENCH_URL,
    REDIS_BENCH_URL,
    flush_redis,
    machine,
    prepare_database,
    reset_postgres_database,
    run_load,
    service_env,
    start_web,
)

TEXTS = [
    "Jalan di depan Pasar Setono Betek berlubang besar, bahaya untuk motor",
    "Lampu PJU di Jl. Veteran mati sudah seminggu",
    "Sampah menumpuk di TPS dekat SDN Banjaran, bau sekali",
    "Air PDAM di Kelurahan Campurejo keruh sejak kemarin",
]


async def post_complaints(urls: list[str], total: int, concurrency: int) -> dict:
    connector = aiohttp.TCPConnector(limit=concurrency)
    targets = itertools.cycle(urls)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def send(i: int) -> bool:
            body = {
                "description": f"{TEXTS[i % len(TEXTS)]} (#{i})",
                "location": {"lat": -7.82 + (i % 50) / 1000, "lon": 112.01},
            }
            async with session.post(next(targets) + "/api/v1/complaints", json=body) as response:
                await response.read()
                return response.status == 201

        await send(-1)  # warm-up: first request loads lazily initialised parts
        return await run_load(send, total, concurrency)


def run_setup(setup: str, total: int, concurrency: int) -> dict:
    if setup == "make-run":
        database_url = f"sqlite:///{tempfile.mkdtemp(prefix='aduan-bench-')}/aduan.db"
        processes = 1
    else:
        reset_postgres_database()
        database_url = PG_BENCH_URL
        processes = os.cpu_count() or 1
    env = service_env(database_url)
    flush_redis(REDIS_BENCH_URL)
    prepare_database(env)
    log = Path(tempfile.mkdtemp(prefix="aduan-bench-logs-")) / "web"
    servers = start_web(env, log, processes)
    try:
        result = asyncio.run(post_complaints([s.base_url for s in servers], total, concurrency))
    finally:
        for server in servers:
            server.stop()
    result.update(
        setup=setup,
        web_processes=processes,
        concurrency=concurrency,
        database="SQLite" if setup == "make-run" else "PostgreSQL",
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--setup", choices=["make-run", "production", "both"], default="both")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--url", help="benchmark this running server instead")
    parser.add_argument("--json", action="store_true", help="print one JSON line per setup")
    args = parser.parse_args()
    print(f"# machine: {machine()}")
    if args.url:
        results = [asyncio.run(post_complaints([args.url.rstrip("/")], args.requests, args.concurrency))]
        results[0]["setup"] = args.url
    else:
        setups = ["make-run", "production"] if args.setup == "both" else [args.setup]
        results = [run_setup(s, args.requests, args.concurrency) for s in setups]
    for result in results:
        if args.json:
            print(json.dumps(result))
        else:
            print(
                f"intake[{result['setup']}]: {result['per_second']:.0f} complaints/s, "
                f"p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
                f"{result['ok']} ok, {result['errors']} errors "
                f"(concurrency {result['concurrency'] if 'concurrency' in result else args.concurrency})"
            )


if __name__ == "__main__":
    main()
