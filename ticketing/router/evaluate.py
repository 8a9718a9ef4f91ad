"""Scoring the router on labelled rows (id,channel,text,opd,category), with or without cross-validation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

import numpy as np
from sklearn.model_selection import StratifiedKFold

from ticketing.router.categories import NONE_CATEGORY, load_category_opds
from ticketing.router.model import Router, RoutingDecision, load_router, load_seed_examples, train_router

NONE_OPD = "NONE"


def _row_category(row: dict, categories: dict[str, str | None]) -> str | None:
    """The training label of a row: its category, or the only category of its OPD when a row has
    no category."""
    category = (row.get("category") or "").strip()
    if category:
        return category
    opd = (row.get("opd") or "").strip()
    if opd in ("", NONE_OPD):
        return NONE_CATEGORY
    owned = [c for c, o in categories.items() if o == opd]
    return owned[0] if len(owned) == 1 else None


def _label_opd(row: dict, categories: dict[str, str | None]) -> str:
    opd = (row.get("opd") or "").strip()
    if opd:
        return opd
    return categories.get(row.get("category") or NONE_CATEGORY) or NONE_OPD


def _top_opd(decision: RoutingDecision, categories: dict[str, str | None]) -> str:
    """The OPD of the router's top choice, whether or not it was confident enough to assign it."""
    if not decision.is_complaint:
        return NONE_OPD
    return categories.get(decision.category) or NONE_OPD


def score(rows: list[dict], decisions: list[RoutingDecision], categories: dict[str, str | None]) -> dict:
    n = len(rows)
    gold = [_label_opd(r, categories) for r in rows]
    pred = [_top_opd(d, categories) for d in decisions]
    triaged = [d.needs_triage for d in decisions]
    correct = [g == p for g, p in zip(gold, pred, strict=False)]
    auto = [c for c, t in zip(correct, triaged, strict=False) if not t]
    none_to_opd = sum(
        1
        for g, d in zip(gold, decisions, strict=False)
        if g == NONE_OPD and d.is_complaint and not d.needs_triage
    )
    per_opd = {}
    for opd in sorted(set(gold) | set(pred)):
        tp = sum(1 for g, p in zip(gold, pred, strict=False) if g == p == opd)
        support, predicted = gold.count(opd), pred.count(opd)
        per_opd[opd] = {
            "precision": tp / predicted if predicted else 0.0,
            "recall": tp / support if support else 0.0,
            "support": support,
            "predicted": predicted,
        }
    category_correct = sum(
        1
        for r, d in zip(rows, decisions, strict=False)
        if (d.category or NONE_CATEGORY) == _row_category(r, categories)
    )
    errors = [
        {
            "id": r.get("id"),
            "text": r.get("text"),
            "label": f"{g}/{r.get('category')}",
            "predicted": f"{p}/{d.category}",
            "confidence": round(d.confidence, 3),
            "triage": d.needs_triage,
            "rule": d.rule,
        }
        for r, d, g, p in zip(rows, decisions, gold, pred, strict=False)
        if g != p
    ]
    return {
        "n": n,
        "accuracy": sum(correct) / n if n else 0.0,
        "auto_accuracy": sum(auto) / len(auto) if auto else 0.0,
        "triage": sum(triaged) / n if n else 0.0,
        "none_to_opd": none_to_opd,
        "category_accuracy": category_correct / n if n else 0.0,
        "rules_fired": dict(Counter(d.rule for d in decisions if d.rule)),
        # Left to triage with a proposal to transfer to the region holding the authority.
        "authority": dict(Counter(p.rule for d in decisions if (p := getattr(d, "proposal", None)))),
        "per_opd": per_opd,
        "errors": errors,
    }


def evaluate_rows(
    rows: list[dict],
    *,
    router: Router | None = None,
    cv: int | None = None,
    seed_examples: Iterable[tuple[str, str]] | None = None,
    categories: dict[str, str | None] | None = None,
    random_state: int = 0,
    trainer: Callable[[list[dict]], Router] | None = None,
    wrap: Callable[[Router], Router] | None = None,
) -> dict:
    """Score rows. With cv=K each stratified fold is scored by a router trained on the seed examples plus
    the other folds as history (threshold tuned inside that training data), or by `trainer(other
    folds' rows)` when given; otherwise by `router` (default: load_router()). `wrap` turns each
    router into the one tickets meet (router/authority.RegionRouter: a city's provincial matters)."""
    wrap = wrap or (lambda router: router)
    categories = load_category_opds() if categories is None else categories
    rows = list(rows)
    if not cv:
        router = wrap(router or load_router())
        decisions = router.route_many([r["text"] for r in rows])
        result = score(rows, decisions, router.categories if router.categories else categories)
        result.update(mode="router", model_version=router.version, threshold=router.threshold)
        return result
    seeds = list(load_seed_examples() if seed_examples is None else seed_examples)
    labels = [_row_category(r, categories) for r in rows]
    decisions: list[RoutingDecision | None] = [None] * len(rows)
    thresholds = []
    splitter = StratifiedKFold(n_splits=cv, shuffle=True, random_state=random_state)
    strata = np.array([lab or (r.get("opd") or "?") for lab, r in zip(labels, rows, strict=False)])
    for train_idx, test_idx in splitter.split(np.zeros(len(rows)), strata):
        if trainer is not None:
            fold_router = trainer([rows[i] for i in train_idx])
        else:
            extra = [(rows[i]["text"], labels[i]) for i in train_idx if labels[i]]
            fold_router = train_router(seeds, history=extra, categories=categories)
        fold_router = wrap(fold_router)
        thresholds.append(fold_router.threshold)
        fold_decisions = fold_router.route_many([rows[i]["text"] for i in test_idx])
        for i, decision in zip(test_idx, fold_decisions, strict=True):
            decisions[i] = decision
    result = score(rows, decisions, categories)  # type: ignore[arg-type]
    result.update(mode=f"cv{cv}", thresholds=thresholds, seed_size=len(seeds))
    return result


def format_report(result: dict) -> str:
    lines = [f"{'OPD':<16} {'prec':>6} {'recall':>6} {'support':>7} {'predicted':>9}"]
    for opd, m in sorted(result["per_opd"].items()):
        lines.append(
            f"{opd:<16} {m['precision']:>6.3f} {m['recall']:>6.3f} {m['support']:>7d} {m['predicted']:>9d}"
        )
    extras = [
        f"mode={result.get('mode', '?')}",
        f"none_to_opd={result.get('none_to_opd', 0)}",
        f"category_accuracy={result.get('category_accuracy', 0.0):.3f}",
    ]
    proposed = sorted(result.get("authority", {}).items())
    extras.append("authority=" + (",".join(f"{k}:{v}" for k, v in proposed) or "0"))
    if result.get("rules_fired"):
        extras.append("rules=" + ",".join(f"{k}:{v}" for k, v in sorted(result["rules_fired"].items())))
    lines.append(" ".join(extras))
    lines.append(
        f"accuracy={result['accuracy']:.3f} auto_accuracy={result['auto_accuracy']:.3f} "
        f"triage={result['triage']:.3f} n={result['n']}"
    )
    return "\n".join(lines)
