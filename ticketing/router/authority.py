"""Matters of another region's authority (issue #16): a city's complaint the province holds.

Citizens do not know who is responsible: a broken provincial road, an SMA, an inter-city bus or a
provincial hospital all reach the city's command centre. config/routing/authority.json holds
rules that recognise them, each naming the holding region, its agency and its category there.

- A complaint filed in a city that a rule of a region above it (its province) matches is not
  sent to the city's own OPD: it waits in the city's triage with a proposal to transfer it to
  that agency; an operator accepts by transferring (services/transfers.py). Only a city rule
  that dispatches at once (a fire, a storm on the roofs) or discards (spam) keeps its decision.
- A complaint filed in the province itself is routed there by the same rules (RegionRouter).

The rules read the cleaned text (lower-case, punctuation gone) without the slang table, which
reads the school `sma` as the word `sama`.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from ticketing.router.normalize import CONFIG_DIR, clean
from ticketing.router.rules import RULE_CONFIDENCE, Rule

AUTHORITY_PATH = CONFIG_DIR / "authority.json"


@dataclass(frozen=True)
class AuthorityRule:
    rule: Rule
    region: str
    opd: str
    category: str | None


@dataclass(frozen=True)
class Proposal:
    """Transfer this complaint to `opd` of `region` (its category there), because rule `rule`."""

    region: str
    opd: str
    category: str | None
    rule: str

    def as_data(self) -> dict:
        return {"region": self.region, "opd": self.opd, "category": self.category, "rule": self.rule}


def _compile(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


@cache
def _load(path: str) -> tuple[AuthorityRule, ...]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    shared_none = data.get("shared_none", [])
    return tuple(
        AuthorityRule(
            rule=Rule(
                name=r["name"],
                category=r.get("category") or "",
                all=_compile(r.get("all", [])),
                any=_compile(r.get("any", [])),
                none=_compile(r.get("none", []) + shared_none),
            ),
            region=r["region"],
            opd=r["opd"],
            category=r.get("category"),
        )
        for r in data["rules"]
    )


def load_authority(path: str | os.PathLike | None = None) -> tuple[AuthorityRule, ...]:
    """The authority rules (config/routing/authority.json unless `path`); none without the file."""
    source = Path(path) if path is not None else AUTHORITY_PATH
    if not source.exists():
        return ()
    return _load(str(source.resolve()))


def propose(
    text: str, holders: tuple[str, ...] | list[str], rules: tuple[AuthorityRule, ...] | None = None
) -> Proposal | None:
    """The first rule of a region in `holders` (the regions above the complaint's: its province)
    that matches `text`, as a proposal; None when no rule does."""
    if not holders or not text:
        return None
    cleaned = clean(text)
    for item in load_authority() if rules is None else rules:
        if item.region in holders and item.rule.matches(cleaned):
            return Proposal(item.region, item.opd, item.category, item.rule.name)
    return None


def keeps_own_decision(router, decision) -> bool:
    """Whether the city's own decision stands against a proposal: a rule that always fires (a
    fire, a storm on the roofs, spam), never the model or a fallback for unsure texts."""
    if decision.rule is None:
        return False
    for rule in getattr(router, "rules", ()):
        if rule.name == decision.rule:
            return getattr(rule, "when", "always") == "always"
    return decision.rule in ("empty-text", "courtesy-only")


@dataclass
class RegionRouter:
    """A region's router (the model of its categories) with the authority rules: the region's own
    route to its agencies, those of the regions above it (`holders`) propose a transfer. Answers
    like a Router, with `proposal` set on decisions another region holds."""

    router: object
    region: str
    holders: tuple[str, ...] = ()
    authority: tuple[AuthorityRule, ...] | None = None

    def __getattr__(self, name: str):
        # categories, version, threshold, rules, emergency_threshold… are the model's.
        if name == "router":
            raise AttributeError(name)
        return getattr(self.router, name)

    def route(self, text: str):
        return self._weigh(text, self.router.route(text))

    def route_many(self, texts: list[str]) -> list:
        return [self._weigh(t, d) for t, d in zip(texts, self.router.route_many(texts), strict=True)]

    def _weigh(self, text: str, decision):
        match = propose(text, (self.region, *self.holders), self.authority)
        if match is None or keeps_own_decision(self.router, decision):
            return decision
        if match.region != self.region:
            # Not this region's to assign: its operators transfer it (or place it) from triage.
            return replace(decision, opd=None, needs_triage=True, is_complaint=True, proposal=match)
        categories = self.router.categories
        if match.category not in categories:
            return decision
        # The region's own matter, named by a rule (a provincial road filed with the province).
        opd = categories[match.category] or match.opd
        candidates = [(match.category, opd, RULE_CONFIDENCE)]
        candidates += [c for c in decision.candidates if c[0] != match.category][:2]
        return replace(
            decision,
            category=match.category,
            opd=opd,
            confidence=RULE_CONFIDENCE,
            is_complaint=True,
            needs_triage=False,
            candidates=candidates,
            rule=match.rule,
        )
