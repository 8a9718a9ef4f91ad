"""Routing latency: load the router, route every dev.csv text 5 times, print p50/p99 and routes/s.

PYTHONPATH=. .venv/bin/python -m bench.routing [--model PATH] [--csv PATH] [--rounds 5]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import time

from ticketing.router import load_router, read_rows

DEFAULT_CSV = str(Path(__file__).resolve().parents[2] / "shared" / "routing" / "dev.csv")


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
    cpu: list[float] = []  # thread CPU time: the same figure without other processes preempting us
    first_round: list[float] = []
    wall = time.perf_counter()
    for round_no in range(args.rounds):
        for text in texts:
            t0, c0 = time.perf_counter(), time.thread_time()
            router.route(text)
            elapsed = (time.perf_counter() - t0) * 1000
            cpu.append((time.thread_time() - c0) * 1000)
            timings.append(elapsed)
            if round_no == 0:
                first_round.append(elapsed)
    wall = time.perf_counter() - wall
    print(f"router {router.version} loaded in {load_s:.2f}s; {len(timings)} routes")
    print(
        f"first round (texts not yet in the stem cache): p50={_pct(first_round, 50):.2f}ms "
        f"p99={_pct(first_round, 99):.2f}ms"
    )
    print(f"cpu p50={_pct(cpu, 50):.2f}ms p99={_pct(cpu, 99):.2f}ms")
    print(
        f"p50={_pct(timings, 50):.2f}ms p99={_pct(timings, 99):.2f}ms max={max(timings):.2f}ms "
        f"routes/s={len(timings) / wall:.0f}"
    )


def _pct(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))]


if __name__ == "__main__":
    main()
