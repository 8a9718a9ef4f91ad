"""Choosing where the router stops deciding: the triage threshold and the none-guard, tuned on
out-of-fold probabilities of the training data itself, with the same decision rules the router
applies (the emergency floor, long narratives kept as complaints)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import StratifiedKFold

from ticketing.router.categories import NONE_CATEGORY
from ticketing.router.classifier import fit_calibrated, vectorize
from ticketing.router.reading import read

# Threshold search: a wrong automatic assignment costs an agency a bounce and the citizen a day, a triage
# costs an operator a few seconds, and a non-complaint in an agency queue looks careless; hence the weights.
COST_WRONG, COST_TRIAGE, COST_NONE_TO_OPD = 3.0, 1.0, 20.0
MAX_TRIAGE = 0.12
DEFAULT_THRESHOLD, DEFAULT_NONE_GUARD = 0.35, 0.30
# An emergency category (a short or round-the-clock SLA: a fire engine, a disaster team) is only
# assigned automatically above this confidence: a vague "ada yang aneh, tolong dicek" at 45 % must
# not start a 2-hour clock at DAMKAR. Rules (an active fire) are not held back by it.
EMERGENCY_MIN_CONFIDENCE = 0.60
# A story this long (after courtesies) is a complaint unless the non-complaint class is sure of
# itself: real complaints are long and polite, and "not a complaint" must not swallow them.
LONG_NARRATIVE_WORDS = 18
NONE_SURE = 0.80


def is_long_narrative(text: str) -> bool:
    reading = read(text)
    return not reading.courtesy_only and reading.words >= LONG_NARRATIVE_WORDS


@dataclass(frozen=True)
class _OutOfFold:
    """Per row, what the router would do before thresholds: its choice and what a wrong one costs."""

    p: np.ndarray  # confidence of the choice
    p_none: np.ndarray
    forced: np.ndarray  # a long narrative the model thought was not a complaint: triage
    complaint: np.ndarray  # the choice is a complaint category
    emergency: np.ndarray  # the choice is an emergency category
    wrong_cost: np.ndarray  # the cost of assigning the choice automatically
    weights: np.ndarray

    def cost(self, threshold: float, guard: float) -> tuple[float, float]:
        triage = (
            self.forced
            | (self.p < threshold)
            | (self.complaint & (self.p_none >= guard))
            | (self.emergency & (self.p < EMERGENCY_MIN_CONFIDENCE))
        )
        cost = COST_TRIAGE * self.weights[triage].sum() + self.wrong_cost[~triage].sum()
        return float(cost), float(self.weights[triage].sum() / max(self.weights.sum(), 1e-9))


def _out_of_fold(
    probas: np.ndarray,
    classes: list[str],
    labels: list[str],
    categories: dict[str, str | None],
    long_rows: np.ndarray,
    emergency: frozenset[str],
    weights: np.ndarray,
) -> _OutOfFold:
    rows = np.arange(len(probas))
    top = probas.argmax(axis=1)
    none_idx = classes.index(NONE_CATEGORY) if NONE_CATEGORY in classes else None
    p_none = probas[:, none_idx] if none_idx is not None else np.zeros(len(probas))
    forced = np.zeros(len(probas), dtype=bool)
    if none_idx is not None:
        complaint_only = probas.copy()
        complaint_only[:, none_idx] = -1.0
        forced = (top == none_idx) & long_rows & (p_none < NONE_SURE)
        top = np.where(forced, complaint_only.argmax(axis=1), top)
    chosen = [classes[i] for i in top]
    wrong = np.array(
        [
            0.0
            if categories.get(c) == categories.get(label)
            else (COST_NONE_TO_OPD if label == NONE_CATEGORY else COST_WRONG)
            for c, label in zip(chosen, labels, strict=True)
        ]
    )
    return _OutOfFold(
        p=probas[rows, top],
        p_none=p_none,
        forced=forced,
        complaint=np.array([c != NONE_CATEGORY for c in chosen]),
        emergency=np.array([c in emergency for c in chosen]),
        wrong_cost=wrong * weights,
        weights=weights,
    )


def tune_threshold(
    texts: list[str],
    labels: list[str],
    categories: dict[str, str | None],
    *,
    weights: list[float] | None = None,
    emergency: frozenset[str] = frozenset(),
    folds: int = 3,
    seed: int = 0,
) -> tuple[float, float, dict]:
    """Pick the triage threshold and none-guard from out-of-fold probabilities of the training data
    only; rows count by their training weight, so a large history (real text) sets the threshold."""
    counts = Counter(labels)
    folds = min(folds, min(counts.values()))
    if folds < 2 or len(counts) < 2:
        return DEFAULT_THRESHOLD, DEFAULT_NONE_GUARD, {"tuned": False}
    weight = np.ones(len(texts)) if weights is None else np.asarray(weights, dtype=float)
    classes = sorted(counts)
    oof = np.zeros((len(texts), len(classes)))
    # One vocabulary for every fold (the held-out fold's words are known, never its labels): the
    # text is prepared and vectorised once instead of once per fold.
    _, _, features = vectorize(list(texts))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_idx, test_idx in splitter.split(texts, labels):
        clf = fit_calibrated(
            features[train_idx], [labels[i] for i in train_idx], [float(weight[i]) for i in train_idx]
        )
        cols = [classes.index(c) for c in clf.classes_]
        oof[np.ix_(test_idx, cols)] = clf.predict_proba(features[test_idx])
    long_rows = np.array([is_long_narrative(t) for t in texts])
    out_of_fold = _out_of_fold(oof, classes, labels, categories, long_rows, emergency, weight)
    best = None
    for threshold in np.arange(0.10, 0.80, 0.01):
        for guard in (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 1.01):
            cost, triage = out_of_fold.cost(threshold, guard)
            if triage > MAX_TRIAGE:
                continue
            key = (cost, -threshold)
            if best is None or key < best[0]:
                best = (key, float(round(threshold, 2)), guard, triage)
    if best is None:
        return DEFAULT_THRESHOLD, DEFAULT_NONE_GUARD, {"tuned": False}
    _, threshold, guard, triage = best
    return (
        threshold,
        guard,
        {"tuned": True, "folds": folds, "oof_triage": round(triage, 4), "oof_cost": round(best[0][0], 2)},
    )
