"""Complaint router: Indonesian text -> category -> OPD, or triage. Pure Python (no Flask, DB or Redis).

The model and its evaluation need numpy, scipy and scikit-learn (about a second of imports):
they load on first use of a name below, so a process that only normalises text (the web's
duplicate check) or never routes (most web and CLI processes) starts without them.
"""

from __future__ import annotations

from importlib import import_module

from ticketing.router.categories import NONE_CATEGORY, load_category_opds
from ticketing.router.normalize import normalize, stem_text

_LAZY = {
    "evaluate_rows": "ticketing.router.evaluate",
    "format_report": "ticketing.router.evaluate",
    "Router": "ticketing.router.model",
    "RoutingDecision": "ticketing.router.model",
    "load_router": "ticketing.router.model",
    "load_seed_examples": "ticketing.router.model",
    "read_rows": "ticketing.router.model",
    "train_router": "ticketing.router.model",
}

__all__ = ["NONE_CATEGORY", "load_category_opds", "normalize", "stem_text", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
