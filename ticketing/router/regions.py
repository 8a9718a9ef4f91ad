"""One router per region (issue #16): each routes within its own category table.

The default region (Kota Kediri in the demo) keeps the router it always had: the seeds of
config/routing/seed_examples.csv over config/demo_city.json, unchanged. Another region's router
is trained here from those same seeds, relabelled into its table:

- a city (a peer of the default one) takes each seed's category when it has that code, else its
  only category of the seed's OPD code (Blitar's `PUPR` does what Kediri's `PUPR` does);
- a province (a region above cities) has its own examples (config/routing/province_examples.csv,
  written for the demo: provincial roads, SMA/SMK/SLB, inter-city buses, provincial hospitals,
  disasters beyond one city), and its authority rules route before it (router/authority.py);
  the same OPD code there is another agency's, so the cities' seeds never teach its categories.

A complaint the region has no agency for (Blitar has no PDAM; a pothole in a city street filed
with the province) is the class NOT_OURS: it maps to no OPD, so the region's operators place it
(or transfer it), never a wrong agency.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ticketing.router.categories import NONE_CATEGORY, load_category_opds
from ticketing.router.normalize import CONFIG_DIR
from ticketing.router.rules import load_rules

if TYPE_CHECKING:
    from ticketing.router.model import Router

NOT_OURS = "bukan-kewenangan"
OWN_EXAMPLES_PATH = CONFIG_DIR / "province_examples.csv"


def own_examples(
    categories: dict[str, str | None], path: str | os.PathLike | None = None
) -> list[tuple[str, str]]:
    """The hand-written examples of `categories` (a province's own categories)."""
    from ticketing.router.model import read_rows

    source = Path(path) if path is not None else OWN_EXAMPLES_PATH
    if not source.exists():
        return []
    return [(r["text"], r["category"]) for r in read_rows(source) if r.get("category") in categories]


def peer_examples(
    seeds: Iterable[tuple[str, str]],
    seed_categories: dict[str, str | None],
    categories: dict[str, str | None],
) -> list[tuple[str, str]]:
    """The default city's seeds in a peer city's table: the same category code, else the region's
    only category of the same OPD code, else NOT_OURS; non-complaints stay non-complaints."""
    owned: dict[str, list[str]] = defaultdict(list)
    for category, opd in categories.items():
        if opd:
            owned[opd].append(category)
    examples = []
    for text, category in seeds:
        if category == NONE_CATEGORY or category in categories:
            examples.append((text, category))
            continue
        choices = owned.get(seed_categories.get(category) or "", [])
        examples.append((text, choices[0] if len(choices) == 1 else NOT_OURS))
    return examples


def holder_examples(
    seeds: Iterable[tuple[str, str]], categories: dict[str, str | None], own: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """A province's examples: its own, the cities' non-complaints, the cities' matters as NOT_OURS."""
    return own + [
        (text, NONE_CATEGORY if category == NONE_CATEGORY else NOT_OURS) for text, category in seeds
    ]


def region_table(categories: dict[str, str | None]) -> dict[str, str | None]:
    """A region's category -> OPD table with the two classes that never go to an OPD."""
    return {**categories, NONE_CATEGORY: None, NOT_OURS: None}


def train_region_router(
    region: str,
    categories: dict[str, str | None],
    *,
    holds_authority: bool,
    emergency: Iterable[str] = (),
    history: Iterable[tuple[str, str]] = (),
    seeds: list[tuple[str, str]] | None = None,
    seed_categories: dict[str, str | None] | None = None,
    own: list[tuple[str, str]] | None = None,
    version: str | None = None,
) -> Router:
    """A router for `region`'s `categories` (code -> OPD), from the default city's seeds as the
    module docstring says, plus the region's own labelled `history`."""
    # The model (scikit-learn) loads here, when a router is trained, not when a web process starts.
    from ticketing.router.model import load_seed_examples, train_router

    seeds = load_seed_examples() if seeds is None else seeds
    table = region_table(categories)
    if holds_authority:
        examples = holder_examples(seeds, table, own_examples(table) if own is None else own)
    else:
        seed_categories = load_category_opds() if seed_categories is None else seed_categories
        examples = peer_examples(seeds, seed_categories, table)
    return train_router(
        examples,
        categories=table,
        history=[(t, c) for t, c in history if c in table],
        rules=load_rules(),
        emergency=set(emergency),
        version=version,
    )
