"""How much the city's own history counts against the hand-written seeds, and when it overrules a rule.

The seeds are written by people who never saw the city's complaints; its resolved tickets are the
real distribution, labelled by the agency that really did the work. So a history row always counts
fully and the seeds as a whole count less as the history grows (never less than SEED_WEIGHT_FLOOR
each, so a category the history has not met yet is still known). A keyword rule that the history
contradicts (it fires on rows whose final OPD is another) steps aside for the model.
"""

from __future__ import annotations

from collections import Counter

from ticketing.router.normalize import normalize
from ticketing.router.reading import read
from ticketing.router.rules import Rule

SEED_WEIGHT_FLOOR = 0.15
# History rows weigh this much more than a seed row of the same size of corpus: real text is what
# the router will see, and the label is what actually happened.
HISTORY_WEIGHT = 2.0
# A rule steps aside once it fired on at least this many history rows and was wrong on this share.
RULE_CONTRADICTION_MIN_ROWS = 5
RULE_CONTRADICTION_SHARE = 0.5


def seed_weight(n_seeds: int, n_history: int) -> float:
    """Each seed's weight: 1 while the history is smaller than the seeds; then n_seeds/n_history, so
    the seeds together weigh n_seeds²/n_history, a shrinking share of what the city taught."""
    if n_history <= n_seeds or n_history == 0:
        return 1.0
    return max(SEED_WEIGHT_FLOOR, n_seeds / n_history)


def training_weights(n_seeds: int, n_history: int) -> list[float]:
    """Weights of the seeds followed by the history rows, in that order."""
    return [seed_weight(n_seeds, n_history)] * n_seeds + [HISTORY_WEIGHT] * n_history


def rules_history_contradicts(
    rules: tuple[Rule, ...], history: list[tuple[str, str]], categories: dict[str, str | None]
) -> dict[str, dict]:
    """Rules whose category's OPD the history contradicts, with the counts that show it."""
    fired: dict[str, Counter] = {}
    for text, label in history:
        body = read(text).body or normalize(text)
        for rule in rules:
            if getattr(rule, "when", "always") == "always" and rule.matches(body):
                agrees = categories.get(rule.category) == categories.get(label)
                fired.setdefault(rule.name, Counter())["agree" if agrees else "disagree"] += 1
                break  # first match wins, as when routing
    contradicted = {}
    for name, counts in fired.items():
        total = counts["agree"] + counts["disagree"]
        if total >= RULE_CONTRADICTION_MIN_ROWS and counts["disagree"] / total >= RULE_CONTRADICTION_SHARE:
            contradicted[name] = {"fired": total, "contradicted": counts["disagree"]}
    return contradicted
