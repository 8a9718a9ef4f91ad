"""Keyword override rules kept as data (config/routing/rules.json), matched on normalised text."""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ticketing.router.normalize import CONFIG_DIR

RULES_PATH = CONFIG_DIR / "rules.json"


@dataclass(frozen=True)
class Rule:
    name: str
    category: str
    all: tuple[re.Pattern[str], ...]
    any: tuple[re.Pattern[str], ...]
    none: tuple[re.Pattern[str], ...]

    def matches(self, text: str) -> bool:
        if any(p.search(text) for p in self.none):
            return False
        if not all(p.search(text) for p in self.all):
            return False
        return not self.any or any(p.search(text) for p in self.any)


def _compile(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


def load_rules(path: str | os.PathLike | None = None) -> tuple[Rule, ...]:
    data = json.loads(Path(path or RULES_PATH).read_text(encoding="utf-8"))
    return tuple(
        Rule(name=r["name"], category=r["category"], all=_compile(r.get("all", [])),
             any=_compile(r.get("any", [])), none=_compile(r.get("none", [])))
        for r in data["rules"]
    )


def first_match(rules: tuple[Rule, ...], normalised_text: str) -> Rule | None:
    for rule in rules:
        if rule.matches(normalised_text):
            return rule
    return None
