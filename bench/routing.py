"""Routing latency: load the router, route every dev.csv text 5 times, print p50/p99 and routes/s.

    PYTHONPATH=. .venv/bin/python bench/routing.py [--model PATH] [--csv PATH] [--rounds 5]
"""
from __future__ import annotations

import argparse
import statistics
import time

from ticketing.router import load_router, read_rows

DEFAULT_CSV = "/work/shared/routing/dev.csv"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=None, help="saved router (default: load_router())")
    parser.add_argument("--csv", default=DEFAULT_CSV)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    started = time.perf_counter()
    router = load_router(args.model)
    load_s = time.perf_counter() - started
    texts = [row["text"] for row in read_rows(args.csv)]
    router.route("warm up")  # imports, Sastrawi dictionary, slang table

    timings: list[float] = []
    wall = time.perf_counter()
    for _ in range(args.rounds):
        for text in texts:
            t0 = time.perf_counter()
            router.route(text)
            timings.append((time.perf_counter() - t0) * 1000)
    wall = time.perf_counter() - wall
    timings.sort()
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    print(f"router {router.version} loaded in {load_s:.2f}s; {len(timings)} routes")
    print(f"p50={statistics.median(timings):.2f}ms p99={p99:.2f}ms max={timings[-1]:.2f}ms "
          f"routes/s={len(timings) / wall:.0f}")


if __name__ == "__main__":
    main()
