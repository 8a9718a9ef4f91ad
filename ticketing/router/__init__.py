"""Complaint router: Indonesian text -> category -> OPD, or triage. Pure Python (no Flask, DB or Redis)."""

from __future__ import annotations

from ticketing.router.categories import NONE_CATEGORY, load_category_opds
from ticketing.router.evaluate import evaluate_rows, format_report
from ticketing.router.model import (
    Router,
    RoutingDecision,
    load_router,
    load_seed_examples,
    read_rows,
    train_router,
)
from ticketing.router.normalize import normalize, stem_text

__all__ = [
    "NONE_CATEGORY",
    "Router",
    "RoutingDecision",
    "evaluate_rows",
    "format_report",
    "load_category_opds",
    "load_router",
    "load_seed_examples",
    "normalize",
    "read_rows",
    "stem_text",
    "train_router",
]
