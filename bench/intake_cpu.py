"""CPU per web complaint inside the process, Aduan against the floor (bench/floor_app.py).

No HTTP server and no load generator: each app's `test_client` posts the same complaints one after
another on PostgreSQL and Redis, and `time.process_time` measures this process only, so the figure
is the Python cost of one complaint, steadier than throughput on shared cores. `--profile` prints
Aduan's heaviest calls (cProfile, cumulative).
Usage: python bench/intake_cpu.py [--requests N] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
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
)
from bench.intake import TEXTS

WARM_UP = 50


def complaint(i: int) -> dict:
    return {
        "description": f"{TEXTS[i % len(TEXTS)]} (#{i})",
        "location": {"lat": -7.82 + (i % 50) / 1000, "lon": 112.01},
    }


def cpu_per_complaint(app, requests: int, profile: cProfile.Profile | None = None) -> tuple[float, float]:
    """(CPU ms, wall ms) per complaint, after a warm-up that loads lazily initialised parts."""
    client = app.test_client()
    for i in range(WARM_UP):
        assert client.post("/api/v1/complaints", json=complaint(i)).status_code == 201
    cpu, wall = time.process_time(), time.perf_counter()
    if profile:
        profile.enable()
    for i in range(WARM_UP, WARM_UP + requests):
        response = client.post("/api/v1/complaints", json=complaint(i))
        assert response.status_code == 201, response.data
    if profile:
        profile.disable()
    return (time.process_time() - cpu) * 1000 / requests, (time.perf_counter() - wall) * 1000 / requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    print(f"# machine: {machine()}")

    reset_postgres_database()
    env = service_env(PG_BENCH_URL)
    flush_redis(REDIS_BENCH_URL)
    prepare_database(env)
    os.environ.update(env)

    from bench.floor_app import app as floor_app
    from ticketing import create_app

    profile = cProfile.Profile() if args.profile else None
    aduan = cpu_per_complaint(create_app(), args.requests, profile)
    floor = cpu_per_complaint(floor_app, args.requests)
    for name, (cpu, wall) in (("aduan", aduan), ("floor", floor)):
        print(f"{name}: {cpu:.2f} ms CPU, {wall:.2f} ms wall per complaint ({args.requests} in process)")
    print(f"floor/aduan CPU ratio: {floor[0] / aduan[0]:.2f}")
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
