"""Command line: train, evaluate and try the router without the app.

python -m ticketing.router train [--out instance/router.joblib]
python -m ticketing.router eval ../shared/routing/dev.csv [--cv 5] [--errors]
python -m ticketing.router route "lampu jalan mati di jl dhoho"
"""

from __future__ import annotations

import argparse
import json
import sys

from ticketing.router import (
    evaluate_rows,
    format_report,
    load_category_opds,
    load_router,
    load_seed_examples,
    read_rows,
    train_router,
)
from ticketing.router.model import DEFAULT_MODEL_PATH


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ticketing.router")
    sub = parser.add_subparsers(dest="command", required=True)
    train = sub.add_parser("train", help="train from the seed examples (plus --extra CSVs) and save")
    train.add_argument("--out", default=str(DEFAULT_MODEL_PATH))
    train.add_argument("--extra", nargs="*", default=[], help="more labelled CSVs to train on")
    ev = sub.add_parser("eval", help="score a labelled CSV")
    ev.add_argument("csv")
    ev.add_argument("--cv", type=int, default=None)
    ev.add_argument("--model", default=None, help="saved model (default: train from seeds)")
    ev.add_argument("--errors", action="store_true")
    route = sub.add_parser("route", help="route one text")
    route.add_argument("text")
    route.add_argument("--model", default=None)
    args = parser.parse_args(argv)

    categories = load_category_opds()
    if args.command == "train":
        history = [
            (r["text"], r["category"]) for path in args.extra for r in read_rows(path) if r.get("category")
        ]
        router = train_router(load_seed_examples(), history=history, categories=categories)
        router.save(args.out)
        print(
            f"{router.version} threshold={router.threshold} none_guard={router.none_guard} "
            f"n={router.metrics['training_size']} -> {args.out}"
        )
    elif args.command == "eval":
        rows = read_rows(args.csv)
        router = None
        if not args.cv:
            router = (
                load_router(args.model)
                if args.model
                else train_router(load_seed_examples(), categories=categories)
            )
        result = evaluate_rows(rows, router=router, cv=args.cv, categories=categories)
        if args.errors:
            for err in result["errors"]:
                print(json.dumps(err, ensure_ascii=False))
        print(format_report(result))
    else:
        router = (
            load_router(args.model)
            if args.model
            else train_router(load_seed_examples(), categories=categories)
        )
        print(router.route(args.text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
