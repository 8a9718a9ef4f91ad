"""The complaint router: override rules in front of a calibrated linear text classifier over categories.

Predicting the category gives the OPD through the city's category table, so one model serves both and a
city can move a category to another OPD without retraining. `lainnya` (not a complaint) is an ordinary
class; a message is only ever sent to an OPD when the model is confident *and* the non-complaint class is
not a serious contender (`none_guard`), because a greeting or an ad landing in an agency queue is worse
than an operator spending a few seconds on triage.

The model reads what reading.py leaves of a complaint (no courtesies, the ask twice); a long story is a
complaint unless the model is sure it is not, and an emergency category (a short or round-the-clock SLA)
needs EMERGENCY_MIN_CONFIDENCE before it is assigned. A city's history trains with the seeds and
outweighs them as it grows (weighting.py).
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import logging
import os
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ticketing.router.categories import NONE_CATEGORY, emergency_categories, load_category_opds
from ticketing.router.classifier import Classifier, fit_classifier
from ticketing.router.normalize import CONFIG_DIR, normalize
from ticketing.router.reading import read
from ticketing.router.rules import RULE_CONFIDENCE, Rule, first_match, load_rules
from ticketing.router.tuning import (
    DEFAULT_NONE_GUARD,
    EMERGENCY_MIN_CONFIDENCE,
    LONG_NARRATIVE_WORDS,
    NONE_SURE,
    tune_threshold,
)
from ticketing.router.weighting import rules_history_contradicts, training_weights

log = logging.getLogger(__name__)

SEEDS_PATH = CONFIG_DIR / "seed_examples.csv"
DEFAULT_MODEL_PATH = Path(__file__).resolve().parents[2] / "instance" / "router.joblib"
FORMAT_VERSION = 1
_Model = Classifier  # routers saved before the classifier had its own module unpickle through this name


@dataclass(frozen=True)
class RoutingDecision:
    category: str | None
    opd: str | None
    confidence: float
    is_complaint: bool
    needs_triage: bool
    candidates: list[tuple[str, str | None, float]]
    model_version: str
    rule: str | None
    # Another region holds the matter (router/authority.py): a Proposal to transfer it there.
    proposal: object | None = None


def _first(ranked: list[tuple[str, float]], category: str, confidence: float) -> list[tuple[str, float]]:
    return [(category, confidence)] + [cp for cp in ranked if cp[0] != category]


@dataclass
class Router:
    model: Classifier
    categories: dict[str, str | None]
    rules: tuple[Rule, ...]
    version: str
    threshold: float
    none_guard: float = DEFAULT_NONE_GUARD
    metrics: dict = field(default_factory=dict)
    emergency: frozenset[str] = frozenset()
    emergency_threshold: float = EMERGENCY_MIN_CONFIDENCE

    def route(self, text: str) -> RoutingDecision:
        return self._decide(text, self.model.proba_one(text))

    def route_many(self, texts: list[str]) -> list[RoutingDecision]:
        """Batch form of route(); one matrix product instead of one per text."""
        if not texts:
            return []
        probas = self.model.proba(list(texts))
        return [self._decide(t, p) for t, p in zip(texts, probas, strict=False)]

    def _decide(self, text: str, proba: np.ndarray) -> RoutingDecision:
        ranked = sorted(
            zip(self.model.classes, proba.tolist(), strict=True), key=lambda cp: cp[1], reverse=True
        )
        reading = read(text)
        # Rules read the complaint without its courtesies: a fire report that ends "terima kasih"
        # is still a fire, while a thank-you that starts with it stays a thank-you.
        body = reading.body
        rule_name: str | None = None
        forced_triage = False
        if not normalize(text).strip():
            # Emoji-only, empty or punctuation-only messages carry nothing to route.
            rule_name, ranked = "empty-text", _first(ranked, NONE_CATEGORY, 1.0)
        elif reading.courtesy_only:
            rule_name, ranked = "courtesy-only", _first(ranked, NONE_CATEGORY, RULE_CONFIDENCE)
        else:
            rule = first_match(self.rules, body)
            if rule is not None:
                rule_name, ranked = rule.name, _first(ranked, rule.category, RULE_CONFIDENCE)
            elif (
                ranked[0][0] == NONE_CATEGORY
                and reading.words >= LONG_NARRATIVE_WORDS
                and ranked[0][1] < NONE_SURE
            ):
                # A long story is a complaint unless the model is sure it is not: an operator places it.
                forced_triage = True
                ranked = [cp for cp in ranked if cp[0] != NONE_CATEGORY] + [
                    cp for cp in ranked if cp[0] == NONE_CATEGORY
                ]
        top, confidence = ranked[0]
        p_none = dict(ranked).get(NONE_CATEGORY, 0.0) if rule_name is None else 0.0
        is_complaint = top != NONE_CATEGORY
        if rule_name is not None:
            needs_triage = False
        elif is_complaint:
            needs_triage = (
                forced_triage
                or confidence < self.threshold
                or p_none >= self.none_guard
                or (
                    top in getattr(self, "emergency", ())
                    and confidence < getattr(self, "emergency_threshold", 1.0)
                )
            )
        else:
            needs_triage = confidence < self.threshold
        if needs_triage and rule_name is None:
            # A purely local matter the model cannot place (kerja bakti, the RT) is the kelurahan's.
            local = first_match(self.rules, body, when="unsure")
            if local is not None:
                rule_name, needs_triage, is_complaint = local.name, False, True
                ranked = _first(ranked, local.category, RULE_CONFIDENCE)
                top, confidence = ranked[0]
        opd = self.categories.get(top) if is_complaint and not needs_triage else None
        return RoutingDecision(
            category=str(top) if is_complaint else None,
            opd=opd,
            confidence=float(confidence),
            is_complaint=is_complaint,
            needs_triage=needs_triage,
            candidates=[(str(c), self.categories.get(c), float(p)) for c, p in ranked[:3]],
            model_version=self.version,
            rule=rule_name,
        )

    def with_categories(self, categories: dict[str, str | None]) -> Router:
        """The same model with another category -> OPD table (a city moved a category to another OPD)."""
        return Router(
            self.model,
            dict(categories),
            self.rules,
            self.version,
            self.threshold,
            self.none_guard,
            dict(self.metrics),
            getattr(self, "emergency", frozenset()),
            getattr(self, "emergency_threshold", EMERGENCY_MIN_CONFIDENCE),
        )

    def save(self, path: str | os.PathLike) -> None:
        import joblib

        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        joblib.dump({"format": FORMAT_VERSION, "router": self}, tmp, compress=3)
        os.replace(tmp, target)  # atomic: a worker loading concurrently never sees half a file


def train_router(
    examples: Iterable[tuple[str, str]],
    *,
    categories: dict[str, str | None],
    history: Iterable[tuple[str, str]] = (),
    version: str | None = None,
    threshold: float | None = None,
    none_guard: float | None = None,
    rules: tuple[Rule, ...] | None = None,
    emergency: Iterable[str] | None = None,
) -> Router:
    """Train on (text, category_code) pairs: `examples` are the seeds, `history` the city's own
    labelled complaints, which outweigh the seeds as they grow (weighting.py) and silence a rule
    they contradict. threshold=None tunes it by CV on these examples."""
    seeds = [(t, c) for t, c in examples if t and c]
    taught = [(t, c) for t, c in history if t and c]
    pairs = seeds + taught
    unknown = sorted({c for _, c in pairs} - set(categories))
    if unknown:
        raise ValueError(f"examples use categories missing from the table: {unknown}")
    texts, labels = [t for t, _ in pairs], [c for _, c in pairs]
    if len(set(labels)) < 2:
        raise ValueError("need examples of at least two categories")
    weights = training_weights(len(seeds), len(taught))
    active_rules = load_rules() if rules is None else rules
    active_rules = tuple(r for r in active_rules if r.category in categories)
    contradicted = rules_history_contradicts(active_rules, taught, categories) if taught else {}
    active_rules = tuple(r for r in active_rules if r.name not in contradicted)
    emergency_set = frozenset(emergency_categories() if emergency is None else emergency) & set(categories)
    tuning: dict = {"tuned": False}
    if threshold is None:
        threshold, tuned_guard, tuning = tune_threshold(
            texts, labels, categories, weights=weights, emergency=emergency_set
        )
        none_guard = tuned_guard if none_guard is None else none_guard
    model = fit_classifier(texts, labels, weights=weights)
    digest = hashlib.sha1("\n".join(f"{c}\t{t}" for t, c in pairs).encode("utf-8")).hexdigest()[:8]
    version = version or f"router-{_dt.date.today():%Y%m%d}-{digest}"
    metrics = {
        "training_size": len(pairs),
        "seed_size": len(seeds),
        "history_size": len(taught),
        "seed_weight": round(weights[0], 4) if seeds else None,
        "rules_contradicted": contradicted,
        "class_counts": dict(Counter(labels)),
        "threshold_tuning": tuning,
        "trained_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
    }
    return Router(
        model=model,
        categories=dict(categories),
        rules=active_rules,
        version=version,
        threshold=float(threshold),
        none_guard=DEFAULT_NONE_GUARD if none_guard is None else none_guard,
        metrics=metrics,
        emergency=emergency_set,
    )


def read_rows(path: str | os.PathLike) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_seed_examples(path: str | os.PathLike | None = None) -> list[tuple[str, str]]:
    return [(r["text"], r["category"]) for r in read_rows(path or SEEDS_PATH)]


_cache: dict[str, Router] = {}
_cache_lock = threading.Lock()


def load_router(path: str | os.PathLike | None = None) -> Router:
    """Load a saved router. With no file at the path, train one from the seed examples (seconds), keep it
    in memory, and, when an explicit path was given, save it there so the next process starts fast."""
    explicit = path is not None
    target = Path(path) if explicit else Path(os.environ.get("ADUAN_ROUTER_MODEL", DEFAULT_MODEL_PATH))
    key = str(target.resolve())
    if target.exists():
        import joblib

        payload = joblib.load(target)
        return payload["router"] if isinstance(payload, dict) else payload
    with _cache_lock:
        if key not in _cache:
            log.warning("router model %s not found; training from seed examples", target)
            router = train_router(load_seed_examples(), categories=load_category_opds())
            if explicit:
                try:
                    router.save(target)
                except OSError as exc:  # a read-only deployment still routes, it just retrains per process
                    log.warning("could not save router model to %s: %s", target, exc)
            _cache[key] = router
        return _cache[key]


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()
