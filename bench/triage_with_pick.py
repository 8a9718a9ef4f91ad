"""How much triage the citizen's pick removes (issue 20), on the routing set with cross-validation.

    PYTHONPATH=. .venv/bin/python -m bench.triage_with_pick [--csv PATH] [--cv 5] [--offer 1 2 3]

Each fold is routed by a router trained on the seeds plus the other folds, as
`routing-eval --cv 5` does. A complaint goes to triage today when the router is unsure. With the
chat's question it still does unless it is asked (services/chat_questions.py: the router's plan
came from the model and calls it a complaint, and at least one of its top candidates other than
"lainnya" has a probability ≥ 0.05) and the right category is among the candidates offered, in
which case a citizen who picks the right one is routed. Also counted: how many asked complaints
offer only wrong categories (the citizen should pick "Lainnya"), and NONE rows that would be
asked (a citizen could wrongly pick an OPD for them).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import platform
import time

import numpy as np
from sklearn.model_selection import StratifiedKFold

from ticketing.router import read_rows
from ticketing.router.categories import NONE_CATEGORY, load_category_opds
from ticketing.router.evaluate import _row_category
from ticketing.router.model import load_seed_examples, train_router

DEFAULT_CSV = str(Path(__file__).resolve().parents[2] / "shared" / "routing" / "dev.csv")
MIN_CANDIDATE_CONFIDENCE = 0.05  # as services/chat_questions.py


def cross_validated(rows: list[dict], cv: int, categories: dict) -> list:
    """The routing decision of every row, by a router that never saw it (evaluate_rows' folds)."""
    seeds = list(load_seed_examples())
    labels = [_row_category(r, categories) for r in rows]
    strata = np.array([lab or (r.get("opd") or "?") for lab, r in zip(labels, rows, strict=False)])
    decisions: list = [None] * len(rows)
    splitter = StratifiedKFold(n_splits=cv, shuffle=True, random_state=0)
    for train_idx, test_idx in splitter.split(np.zeros(len(rows)), strata):
        extra = [(rows[i]["text"], labels[i]) for i in train_idx if labels[i]]
        router = train_router(seeds, history=extra, categories=categories)
        for i, decision in zip(test_idx, router.route_many([rows[i]["text"] for i in test_idx]), strict=True):
            decisions[i] = decision
    return decisions


def offered(decision, count: int) -> list[str]:
    if decision.rule is not None or not decision.is_complaint:
        return []
    codes = [c for c, _, p in decision.candidates if c != NONE_CATEGORY and p >= MIN_CANDIDATE_CONFIDENCE]
    return codes[:count]


def measure(rows, decisions, categories, count: int) -> dict:
    n = len(rows)
    triaged = asked = picked = wrong_only = none_asked = 0
    for row, decision in zip(rows, decisions, strict=True):
        if not decision.needs_triage:
            continue
        triaged += 1
        choices = offered(decision, count)
        if not choices:
            continue
        asked += 1
        gold = _row_category(row, categories)
        if gold == NONE_CATEGORY:
            none_asked += 1
        elif gold in choices:
            picked += 1
        else:
            wrong_only += 1
    return {
        "n": n,
        "triage_today": triaged / n,
        "asked": asked,
        "picked_right": picked,
        "offered_wrong_only": wrong_only,
        "none_asked": none_asked,
        "triage_with_pick": (triaged - picked) / n,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv", default=DEFAULT_CSV)
    parser.add_argument("--cv", type=int, default=5)
    parser.add_argument("--offer", type=int, nargs="+", default=[1, 2, 3])
    args = parser.parse_args()
    categories = load_category_opds()
    rows = read_rows(args.csv)
    started = time.perf_counter()
    decisions = cross_validated(rows, args.cv, categories)
    print(
        f"{platform.node()} {platform.machine()} Python {platform.python_version()}; "
        f"{len(rows)} rows, {args.cv}-fold CV in {time.perf_counter() - started:.0f}s"
    )
    print(
        f"{'offered':>7} {'triage today':>12} {'asked':>5} {'right':>5} "
        f"{'wrong only':>10} {'NONE asked':>10} {'triage w/ pick':>14}"
    )
    for count in args.offer:
        m = measure(rows, decisions, categories, count)
        print(
            f"{count:>7} {m['triage_today']:>12.3f} {m['asked']:>5} {m['picked_right']:>5} "
            f"{m['offered_wrong_only']:>10} {m['none_asked']:>10} {m['triage_with_pick']:>14.3f}"
        )


if __name__ == "__main__":
    main()
