"""Keyword override rules kept as data (config/routing/rules.json), matched on normalised text."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ticketing.router.normalize import CONFIG_DIR

RULES_PATH = CONFIG_DIR / "rules.json"
# What a matching rule reports as its confidence: the router trusts a rule over the model.
RULE_CONFIDENCE = 0.99
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
        if any(_found(p, text) for p in self.none):
            return False
        if not all(_found(p, text) for p in self.all):
            return False
        return not self.any or any(_found(p, text) for p in self.any)


def _found(pattern: re.Pattern[str], text: str) -> bool:
    """`pattern.search(text)`, in linear time when the pattern reads "A.*B".

    Searched as one regex, "A.*B" runs `.*` to the end of the text from every A and backs off
    to look for B: quadratic in a text repeating A ("slot slot slot …", 55 ms at 4,000
    characters). Searching A, then B from where A ended, is one pass each, and finds the same
    thing whenever the first A to start is also the first to end, as for every rule here (each
    piece before a `.*` ends in a word boundary after fixed words). Applied at match time, so
    a router pickled with the rules inside gets it too."""
    pieces = _pieces(pattern.pattern, pattern.flags)
    if len(pieces) == 1 or ("\n" in text and not pattern.flags & re.DOTALL):
        return pattern.search(text) is not None
    position = 0
    for piece in pieces:
        found = piece.search(text, position)
        if found is None:
            return False
        position = found.end()
    return True


@cache
def _pieces(source: str, flags: int) -> tuple[re.Pattern[str], ...]:
    """The pattern cut at every top-level `.*` (none when it has a top-level `|`)."""
    parts, start, depth, in_class, index = [], 0, 0, False, 0
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if source[index + 1 : index + 2] == "]":  # "[]…]": a literal "]" first
                index += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and char == "|":
            return (re.compile(source, flags),)
        elif depth == 0 and source.startswith(".*", index):
            parts.append(source[start:index])
            index += 3 if source.startswith(".*?", index) else 2
            start = index
            continue
        index += 1
    parts.append(source[start:])
    return tuple(re.compile(part, flags) for part in parts if part)


def _compile(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


def _read(path: Path) -> tuple[Rule, ...]:
    data = json.loads(path.read_text(encoding="utf-8"))
    shared_none = data.get("shared_none", [])
    return tuple(
        Rule(
            name=r["name"],
            category=r["category"],
            all=_compile(r.get("all", [])),
            any=_compile(r.get("any", [])),
            none=_compile(r.get("none", []) + shared_none),
            when=r.get("when", "always"),
        )
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
