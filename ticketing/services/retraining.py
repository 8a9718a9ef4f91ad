"""Retraining the router on the city's own history (`flask retrain-router`, weekly job).

Each resolved or closed ticket teaches the router where such a complaint really belongs: the
OPD that finally resolved it, after any re-dispositions by operators and returns by OPDs.
  * When operators keep sending one category to another OPD (at least OVERRIDE_MIN_TICKETS and
    OVERRIDE_SHARE of that category's history), the category itself moves: the new model maps
    it to that OPD (a per-city override of the category -> OPD table).
  * Otherwise a ticket whose final OPD is not its category's, or a row known by its OPD only,
    is labelled with the final OPD's category closest to the text (by a classifier trained on the
    seeds and the history's own category-labelled rows).
  * History rows outweigh the seeds as they grow, and a keyword rule the history contradicts
    steps aside (ticketing/router/weighting.py).
  * Tickets rejected as spam teach the non-complaint class.
The model is evaluated on a held-out slice of history and seeds (by a stable hash of the text,
so the slice does not move between runs), then trained on everything and saved atomically with
its version, sizes, overrides and figures; workers pick it up within a minute (routing.get_router).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from ticketing.extensions import db
from ticketing.models import Opd, Ticket
from ticketing.router import load_category_opds, load_seed_examples, train_router
from ticketing.router.categories import AREA_UNIT_PREFIX, NONE_CATEGORY
from ticketing.router.classifier import fit_classifier
from ticketing.router.evaluate import NONE_OPD, score
from ticketing.router.regions import region_table
from ticketing.services.regions import default_region_code

log = logging.getLogger(__name__)

OVERRIDE_MIN_TICKETS = 5
OVERRIDE_SHARE = 0.6
HOLDOUT_SHARE = 0.2
MAX_HISTORY = 50_000  # newest first; training time grows with it, recent practice matters most


@dataclass(frozen=True)
class HistoryRow:
    text: str
    category: str | None
    final_opd: str | None  # an OPD code, "@kelurahan"/"@kecamatan" for an office, NONE for spam


def load_history(limit: int = MAX_HISTORY, region_code: str | None = None) -> list[HistoryRow]:
    """One region's history (default: `DEFAULT_REGION`): its codes name its own agencies only."""
    region_code = region_code or default_region_code()
    kinds = dict(db.session.execute(select(Opd.code, Opd.kind).where(Opd.region_code == region_code)).all())
    rows = db.session.execute(
        select(
            Ticket.description, Ticket.category_code, Ticket.opd_code, Ticket.status, Ticket.rejection_reason
        )
        .where(Ticket.region_code == region_code)
        .where(
            (Ticket.status.in_(("resolved", "closed")) & Ticket.opd_code.is_not(None))
            | ((Ticket.status == "rejected") & (Ticket.rejection_reason == "spam"))
        )
        .order_by(Ticket.id.desc())
        .limit(limit)
    ).all()
    db.session.rollback()  # a long training must not hold a read transaction open
    history = []
    for text, category, opd, status, _reason in rows:
        if not text or not text.strip():
            continue
        if status == "rejected":
            history.append(HistoryRow(text, NONE_CATEGORY, NONE_OPD))
            continue
        kind = kinds.get(opd, "agency")
        history.append(HistoryRow(text, category, opd if kind == "agency" else AREA_UNIT_PREFIX + kind))
    return history


def learn_overrides(history: list[HistoryRow], categories: dict[str, str | None]) -> dict[str, str]:
    """Categories the operators consistently send to another OPD than the table's default."""
    finals: dict[str, Counter] = defaultdict(Counter)
    for row in history:
        if row.category and row.category in categories and row.final_opd != NONE_OPD:
            finals[row.category][row.final_opd] += 1
    overrides = {}
    for category, counts in finals.items():
        total = sum(counts.values())
        opd, count = counts.most_common(1)[0]
        if (
            total >= OVERRIDE_MIN_TICKETS
            and count / total >= OVERRIDE_SHARE
            and opd != categories.get(category)
        ):
            overrides[category] = opd
    return overrides


def label_history(
    history: list[HistoryRow], categories: dict[str, str | None], classifier=None
) -> list[tuple[str, str]]:
    """(text, category) pairs: the category whose OPD (after overrides) resolved the ticket.

    A row known by its OPD only (a legacy export, or a ticket re-disposed to an OPD that owns
    several categories) takes that OPD's category the classifier finds closest to the text, so it
    teaches its OPD fully."""
    owned: dict[str, list[str]] = defaultdict(list)
    for category, opd in categories.items():
        if opd:
            owned[opd].append(category)
    examples = []
    for row in history:
        if row.final_opd == NONE_OPD:
            examples.append((row.text, NONE_CATEGORY))
        elif row.category and categories.get(row.category) == row.final_opd:
            examples.append((row.text, row.category))
        elif owned.get(row.final_opd):
            choices = owned[row.final_opd]
            if len(choices) > 1 and classifier is not None:
                proba = dict(zip(classifier.classes, classifier.proba_one(row.text), strict=False))
                choices = sorted(choices, key=lambda c: proba.get(c, 0.0), reverse=True)
            examples.append((row.text, choices[0]))
        # An OPD that owns no category (a new agency) cannot be learned until it gets one.
    return examples


def _chooser(history: list[HistoryRow], categories: dict[str, str | None], seeds: list[tuple[str, str]]):
    """A classifier to pick the category of rows known by OPD only; None when no row needs one."""
    counts = Counter(opd for opd in categories.values() if opd)
    if not any(
        row.final_opd != NONE_OPD
        and counts.get(row.final_opd, 0) > 1
        and categories.get(row.category or "") != row.final_opd
        for row in history
    ):
        return None
    labelled = [
        (row.text, row.category)
        for row in history
        if row.category and categories.get(row.category) == row.final_opd
    ]
    pairs = seeds + labelled
    return fit_classifier([t for t, _ in pairs], [c for _, c in pairs])


def train_on_history(
    history: list[HistoryRow],
    *,
    seeds: list[tuple[str, str]] | None = None,
    base_categories: dict[str, str | None] | None = None,
    version: str | None = None,
):
    """A fresh router from the seeds plus a labelled history: the one path `retrain-router`, the
    weekly job and `routing-eval --train` share. Returns (router, overrides, history examples)."""
    base_categories = load_category_opds() if base_categories is None else base_categories
    seeds = load_seed_examples() if seeds is None else seeds
    overrides = learn_overrides(history, base_categories)
    categories = {**base_categories, **overrides}
    examples = label_history(history, categories, classifier=_chooser(history, categories, seeds))
    router = train_router(seeds, history=examples, categories=categories, version=version)
    router.metrics.update(history_tickets=len(history), overrides=overrides)
    return router, overrides, examples


def history_from_rows(rows: list[dict]) -> list[HistoryRow]:
    """Labelled CSV rows (id,channel,text,opd,category; `category` may be empty) as history."""
    history = []
    for row in rows:
        text = (row.get("text") or "").strip()
        opd = (row.get("opd") or "").strip() or NONE_OPD
        category = (row.get("category") or "").strip() or None
        if text:
            history.append(HistoryRow(text, NONE_CATEGORY if opd == NONE_OPD else category, opd))
    return history


def _held_out(text: str, share: float) -> bool:
    digest = hashlib.sha1(text.strip().lower().encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < share


def _figures(result: dict) -> dict:
    return {k: round(result[k], 4) for k in ("accuracy", "auto_accuracy", "triage")} | {
        "n": result["n"],
        "none_to_opd": result["none_to_opd"],
    }


def retrain_router(
    path: str | None = None,
    *,
    holdout: float = HOLDOUT_SHARE,
    save: bool = True,
    history: list[HistoryRow] | None = None,
):
    """Train from seeds + history, evaluate on a held-out slice, save; returns the new Router."""
    path = path or current_app.config["ROUTING_MODEL_PATH"]
    base_categories = load_category_opds()
    history = load_history() if history is None else history
    seeds = load_seed_examples()

    evaluation: dict = {"holdout_share": holdout}
    if holdout > 0:
        train_part = [row for row in history if not _held_out(row.text, holdout)]
        test_history = [row for row in history if _held_out(row.text, holdout)]
        train_seeds = [(t, c) for t, c in seeds if not _held_out(t, holdout)]
        test_seeds = [(t, c) for t, c in seeds if _held_out(t, holdout)]
        eval_router, _, _ = train_on_history(train_part, seeds=train_seeds, base_categories=base_categories)
        categories = eval_router.categories
        rows = [{"text": t, "category": c, "opd": categories.get(c) or NONE_OPD} for t, c in test_seeds] + [
            {"text": r.text, "category": r.category or "", "opd": r.final_opd} for r in test_history
        ]
        if rows:
            decisions = eval_router.route_many([r["text"] for r in rows])
            evaluation.update(_figures(score(rows, decisions, categories)))
            if test_history:
                first = len(test_seeds)
                evaluation["history"] = _figures(score(rows[first:], decisions[first:], categories))

    stamp = dt.datetime.now(dt.UTC)
    digest = hashlib.sha1(
        "\n".join(f"{r.final_opd}\t{r.category}\t{r.text}" for r in history).encode("utf-8")
    ).hexdigest()[:8]
    router, overrides, history_examples = train_on_history(
        history,
        seeds=seeds,
        base_categories=base_categories,
        version=f"router-{stamp:%Y%m%d-%H%M%S}-{digest}",
    )
    router.metrics.update(seed_size=len(seeds), history_size=len(history_examples), evaluation=evaluation)
    if save:
        router.save(path)
        router.metrics["regions"] = retrain_region_routers(path)
        _write_card(path, router)
        log.info(
            "router %s saved to %s (seeds=%d history=%d overrides=%s eval=%s)",
            router.version,
            path,
            len(seeds),
            len(history_examples),
            overrides,
            evaluation,
        )
    return router


def retrain_region_routers(path: str | None = None, *, save: bool = True) -> dict[str, str]:
    """Every other region's model (services/region_routing.py), from the seeds as that region
    reads them (router/regions.py) plus the region's own resolved tickets; saved beside `path`.
    Returns {region: version}. A region without categories has nothing to route to: skipped."""
    from ticketing.models import Region
    from ticketing.services.region_routing import model_path, region_categories, train_region_model

    versions: dict[str, str] = {}
    stamp = dt.datetime.now(dt.UTC)
    for code in db.session.scalars(select(Region.code).order_by(Region.code)).all():
        table = region_categories(code) if code != default_region_code() else {}
        if not table:
            continue
        history = load_history(region_code=code)
        examples = label_history(history, region_table(table))
        digest = hashlib.sha1("\n".join(f"{c}\t{t}" for t, c in examples).encode("utf-8")).hexdigest()[:8]
        router = train_region_model(
            code, history=examples, version=f"router-{code}-{stamp:%Y%m%d-%H%M%S}-{digest}"
        )
        router.metrics.update(history_tickets=len(history), history_size=len(examples))
        target = model_path(code, path)
        if save and target:
            router.save(target)
            log.info("router of region %s saved to %s (history=%d)", code, target, len(examples))
        versions[code] = router.version
    return versions


def _write_card(path: str, router) -> None:
    """A JSON file beside the model saying what it is, for people (the model file is binary)."""
    card = {
        "version": router.version,
        "threshold": router.threshold,
        "none_guard": router.none_guard,
        **{k: v for k, v in router.metrics.items() if k != "class_counts"},
    }
    target = Path(f"{path}.json")
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, target)
