"""The kind of a report (pengaduan, aspirasi, informasi) proposed from its text.

A small naive Bayes over the words and word pairs present, learned from hand-written synthetic
examples (`config/routing/kind_examples.csv`, no real citizen's text) and from the router's seed
complaints as more pengaduan, each weighing SEED_WEIGHT of a hand-written example (they are
many and long: at full weight every aspirasi read as a complaint; without them one complaint in
six looked like something else). Priors are uniform. Pure Python, trained in well under a second
when first used. Only a confident aspirasi or informasi changes a ticket's kind; an unsure one is
left to the operators (triage), and a complaint stays a complaint.

Measured (5-fold over the hand-written examples, seeds always in training; realistic_eval.csv):
informasi 22 of 28 right, aspirasi 13 of 29 (the rest stay complaints), no hand-written complaint
and 86 of the 88 realistic complaints kept as pengaduan.
"""

from __future__ import annotations

import csv
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from config.settings import CONFIG_DIR
from ticketing.router.normalize import normalize

EXAMPLES_FILE = CONFIG_DIR / "routing" / "kind_examples.csv"
SEEDS_FILE = CONFIG_DIR / "routing" / "seed_examples.csv"
KINDS = ("pengaduan", "aspirasi", "informasi")
DEFAULT_KIND = "pengaduan"
SMOOTHING = 0.5
SEED_WEIGHT = 0.05
# Naive Bayes multiplies one likelihood per word and so is overconfident on longer texts;
# scores are divided by this before the softmax so that "unsure" means something.
TEMPERATURE = 2.0


def features(text: str) -> list[str]:
    words = normalize(text).split()
    return words + [f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)]


@dataclass(frozen=True)
class KindModel:
    priors: dict[str, float]
    likelihoods: dict[str, dict[str, float]]
    unseen: dict[str, float]

    def scores(self, text: str) -> dict[str, float]:
        tokens = [t for t in features(text) if any(t in table for table in self.likelihoods.values())]
        logits = {
            kind: self.priors[kind] + sum(self.likelihoods[kind].get(t, self.unseen[kind]) for t in tokens)
            for kind in self.priors
        }
        top = max(logits.values())
        weights = {kind: math.exp((value - top) / TEMPERATURE) for kind, value in logits.items()}
        total = sum(weights.values())
        return {kind: weights[kind] / total for kind in logits}


def train(examples: list[tuple[str, str, float]]) -> KindModel:
    """`examples` as (text, kind, weight); each text counts its distinct features once."""
    counts: dict[str, Counter] = {kind: Counter() for kind in KINDS}
    for text, kind, weight in examples:
        for token in set(features(text)):
            counts[kind][token] += weight
    vocabulary = set().union(*counts.values())
    likelihoods, unseen = {}, {}
    for kind in KINDS:
        denominator = sum(counts[kind].values()) + SMOOTHING * len(vocabulary)
        likelihoods[kind] = {t: math.log((n + SMOOTHING) / denominator) for t, n in counts[kind].items()}
        unseen[kind] = math.log(SMOOTHING / denominator)
    return KindModel({kind: 0.0 for kind in KINDS}, likelihoods, unseen)


def read_examples(path: str | Path = EXAMPLES_FILE) -> list[tuple[str, str, float]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return [(row["text"], row["kind"], 1.0) for row in csv.DictReader(handle) if row["kind"] in KINDS]


def read_seed_complaints(path: str | Path = SEEDS_FILE) -> list[tuple[str, str, float]]:
    """The router's seeds that are complaints (`opd` not NONE), as light pengaduan examples."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            (row["text"], DEFAULT_KIND, SEED_WEIGHT)
            for row in csv.DictReader(handle)
            if row.get("opd") != "NONE"
        ]


@lru_cache(maxsize=2)
def model(path: str = str(EXAMPLES_FILE)) -> KindModel:
    return train(read_examples(path) + read_seed_complaints())


def propose_kind(text: str, min_confidence: float = 0.6, path: str = str(EXAMPLES_FILE)) -> dict:
    """{kind, confidence, unsure, scores}: `unsure` when the best kind is not a complaint and its
    probability is under `min_confidence` (then the operators decide)."""
    scores = model(path).scores(text)
    kind = max(scores, key=scores.get)
    confidence = scores[kind]
    unsure = kind != DEFAULT_KIND and confidence < min_confidence
    return {
        "kind": kind,
        "confidence": round(confidence, 4),
        "unsure": unsure,
        "scores": {k: round(v, 4) for k, v in scores.items()},
    }
