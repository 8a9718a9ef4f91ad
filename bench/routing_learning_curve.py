"""The router's learning curve: seeds alone, then seeds + 250/500/1,000/2,000 rows of a history.

    PYTHONPATH=. .venv/bin/python -m bench.routing_learning_curve [--history FILE.csv --test FILE.csv]

Without files, the history and its held-back test part are drawn from the synthetic corpus
(bench/routing_corpus.py, disjoint seeds), so the absolute figures flatter the router: read the
shape. Each point trains exactly as `routing-eval --train` and `retrain-router` do
(services.retraining.train_on_history) and is scored on the test part, on the hand-written
held-out set config/routing/realistic_eval.csv and, when present, on the shared dev set.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench.routing_corpus import generate
from ticketing.router import evaluate_rows, read_rows
from ticketing.services.retraining import history_from_rows, train_on_history

ROOT = Path(__file__).resolve().parents[1]
REALISTIC = ROOT / "config" / "routing" / "realistic_eval.csv"
DEV = ROOT.parent / "shared" / "routing" / "dev.csv"
SIZES = (0, 250, 500, 1000, 2000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--history", help="labelled rows to draw the history from (default: synthetic)")
    parser.add_argument("--test", help="labelled rows to score on (default: synthetic, held back)")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    args = parser.parse_args()
    pool = read_rows(args.history) if args.history else generate(max(SIZES), seed=11)
    test = read_rows(args.test) if args.test else generate(600, seed=12)
    sets = {"test": test, "realistic": read_rows(REALISTIC)}
    if DEV.exists():
        sets["dev"] = read_rows(DEV)
    print("| history rows | " + " | ".join(f"{name} acc / auto / triage" for name in sets) + " | train s |")
    print("|---|" + "---|" * (len(sets) + 1))
    for size in (int(s) for s in args.sizes.split(",")):
        started = time.perf_counter()
        router = train_on_history(history_from_rows(pool[:size]))[0]
        seconds = time.perf_counter() - started
        cells = []
        for rows in sets.values():
            result = evaluate_rows(rows, router=router)
            cells.append(f"{result['accuracy']:.3f} / {result['auto_accuracy']:.3f} / {result['triage']:.3f}")
        print(f"| {size} | " + " | ".join(cells) + f" | {seconds:.1f} |", flush=True)


if __name__ == "__main__":
    main()
