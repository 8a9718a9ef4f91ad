"""Keyword override rules kept as data (config/routing/rules.json), matched on normalised text."""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ticketing.router.normalize import CONFIG_DIR

RULES_PATH = CONFIG_DIR / "rules.json"
# Rules that send a complaint to a kelurahan or kecamatan office (categories.py reads the same file).
AREA_UNITS_PATH = CONFIG_DIR / "area_units.json"


@dataclass(frozen=True)
class Rule:
    name: str
    category: str
    all: tuple[re.Pattern[str], ...]
    any: tuple[re.Pattern[str], ...]
    none: tuple[re.Pattern[str], ...]
    # "always": overrides the model; "unsure": only decides what the model would send to triage.
    when: str = "always"

    def matches(self, text: str) -> bool:
        if any(p.search(text) for p in self.none):
            return False
        if not all(p.search(text) for p in self.all):
            return False
        return not self.any or any(p.search(text) for p in self.any)


def _compile(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


def _read(path: Path) -> tuple[Rule, ...]:
    data = json.loads(path.read_text(encoding="utf-8"))
    shared_none = data.get("shared_none", [])
    return tuple(
        Rule(name=r["name"], category=r["category"], all=_compile(r.get("all", [])),
             any=_compile(r.get("any", [])), none=_compile(r.get("none", []) + shared_none),
             when=r.get("when", "always"))
        for r in data["rules"]
    )


def load_rules(path: str | os.PathLike | None = None) -> tuple[Rule, ...]:
    """The city's override rules; by default rules.json followed by the area-unit rules, so an
    agency rule (a fire) always wins over a kelurahan one."""
    if path is not None:
        return _read(Path(path))
    return _read(RULES_PATH) + (_read(AREA_UNITS_PATH) if AREA_UNITS_PATH.exists() else ())


def first_match(rules: tuple[Rule, ...], normalised_text: str, when: str = "always") -> Rule | None:
    for rule in rules:
        # Routers pickled before `when` existed hold rules without it: they are all "always".
        if getattr(rule, "when", "always") == when and rule.matches(normalised_text):
            return rule
    return None
