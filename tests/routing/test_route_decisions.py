"""Routing split into deciding (pure: text -> plan) and applying (writes through the lifecycle's
transition table), and the emergency confidence floor (issue 22, bug 3) on the city's SLA data."""

from __future__ import annotations

import pytest

from ticketing.router import RoutingDecision
from ticketing.services.routing import CategoryFacts, decide_route

VAGUE = "Ada yang aneh di dekat rumah saya, tolong dicek"
FACTS = {
    "kebakaran": CategoryFacts("kebakaran", "DAMKAR", 2, True),
    "jalan-rusak": CategoryFacts("jalan-rusak", "PUPR", 168, False),
    "air-bersih": CategoryFacts("air-bersih", "PDAM", 24, False),
}


class _StubRouter:
    """Answers one fixed decision: what deciding does with it is under test, not the model."""

    emergency_threshold = 0.6

    def __init__(self, category: str, opd: str, confidence: float, rule: str | None = None):
        self.categories = {c: f.default_opd for c, f in FACTS.items()}
        self.decision = RoutingDecision(
            category,
            opd,
            confidence,
            True,
            False,
            [(category, opd, confidence), ("lainnya", None, 0.1)],
            "stub",
            rule,
        )

    def route(self, text):
        return self.decision


def test_deciding_is_pure_and_holds_emergencies_to_a_higher_confidence():
    # No app, no database: a plan from text alone.
    pothole = decide_route(_StubRouter("jalan-rusak", "PUPR", 0.45), VAGUE, facts=FACTS.get)
    assert (pothole.action, pothole.target, pothole.category) == ("route", "PUPR", "jalan-rusak")
    fire = decide_route(_StubRouter("kebakaran", "DAMKAR", 0.45), VAGUE, facts=FACTS.get)
    assert (fire.action, fire.target, fire.category) == ("route_to_triage", None, "kebakaran")
    assert fire.data["held_back"] == "emergency_confidence"
    assert decide_route(_StubRouter("kebakaran", "DAMKAR", 0.9), VAGUE, facts=FACTS.get).target == "DAMKAR"
    # A rule (an active fire) is not held back.
    ruled = decide_route(_StubRouter("kebakaran", "DAMKAR", 0.45, rule="active-fire"), VAGUE, facts=FACTS.get)
    assert ruled.target == "DAMKAR"


def test_the_floor_follows_the_citys_sla_table_not_a_list():
    water = _StubRouter("air-bersih", "PDAM", 0.45)
    assert decide_route(water, VAGUE, facts=FACTS.get).target == "PDAM"
    round_the_clock = dict(FACTS, **{"air-bersih": CategoryFacts("air-bersih", "PDAM", 24, True)})
    assert decide_route(water, VAGUE, facts=round_the_clock.get).target is None


def test_a_citizen_chosen_category_is_planned_without_the_model():
    plan = decide_route(None, "apa saja", chosen=FACTS["jalan-rusak"])
    assert (plan.action, plan.target, plan.confidence, plan.data["method"]) == (
        "route",
        "PUPR",
        1.0,
        "citizen_category",
    )


def test_vague_text_goes_to_triage_not_to_damkar(routed):
    ticket = routed(VAGUE)
    assert (ticket.status, ticket.opd_code, ticket.sla_due_at) == ("triage", None, None)


def test_the_router_changes_status_through_the_lifecycle_table(routed, monkeypatch):
    from ticketing.errors import APIError
    from ticketing.services import lifecycle

    ticket = routed("Lampu penerangan jalan di gang 5 mati sudah seminggu, gelap sekali")
    assert (ticket.status, ticket.opd_code) == ("assigned", "DISHUB")
    assert ticket.sla_due_at is not None and ticket.sla_remind_at is not None  # lifecycle.start_sla
    # The table, not the router, says where that leads: point it elsewhere and routing follows.
    table = dict(lifecycle.TRANSITIONS)
    table[("received", "route")] = lifecycle.Transition("triage", frozenset({lifecycle.ROLE_SYSTEM}))
    monkeypatch.setattr(lifecycle, "TRANSITIONS", table)
    second = routed("Lampu penerangan jalan di gang 7 mati sudah seminggu, gelap sekali")
    assert second.status == "triage"
    # And without the router's transition in the table at all, routing is refused like any change.
    del table[("received", "route")]
    with pytest.raises(APIError) as refused:
        routed("Lampu penerangan jalan di gang 9 mati sudah seminggu, gelap sekali")
    assert refused.value.code == "forbidden"
