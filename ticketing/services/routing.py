"""Routing a received ticket to the OPD responsible, an area office, or the operators' triage queue."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from ticketing.extensions import db
from ticketing.logcontext import bind as bind_log_fields
from ticketing.models import Category, Ticket
from ticketing.models.base import utcnow
from ticketing.router.categories import area_unit_kind, is_emergency
from ticketing.services import kinds
from ticketing.services.events import record_event
from ticketing.services.region_routing import router_for
from ticketing.services.regions import find_category, find_opd

log = logging.getLogger(__name__)

_router = None
_router_stamp: tuple | None = None  # (path, mtime_ns, size) of the file the router came from
_router_checked_at = 0.0
_router_lock = threading.Lock()


def _file_stamp(path: str | None) -> tuple | None:
    if not path:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (path, stat.st_mtime_ns, stat.st_size)


def get_router():
    """The router model, loaded once per process (the worker keeps it warm).

    At most every ROUTING_MODEL_CHECK_SECONDS a stat() of the model file tells whether
    `retrain-router` (or the weekly job) saved a new one; it is then loaded while the old one
    keeps routing, so workers pick up a retrained model without a restart."""
    global _router, _router_stamp, _router_checked_at
    path = current_app.config.get("ROUTING_MODEL_PATH")
    now = time.monotonic()
    if _router is not None:
        interval = current_app.config.get("ROUTING_MODEL_CHECK_SECONDS", 60)
        if now - _router_checked_at < interval:
            return _router
        _router_checked_at = now
        stamp = _file_stamp(path)
        if stamp is None or stamp == _router_stamp:
            return _router
    with _router_lock:
        stamp = _file_stamp(path)
        if _router is None or (stamp is not None and stamp != _router_stamp):
            from ticketing.router import load_router

            started = time.perf_counter()
            router = load_router(path)
            previous = _router.version if _router is not None else None
            _router, _router_stamp = router, _file_stamp(path)
            log.info(
                "router %s loaded in %.1fs%s",
                router.version,
                time.perf_counter() - started,
                f" (replaces {previous})" if previous else "",
            )
        _router_checked_at = now
    return _router


def default_router_loaded() -> bool:
    return _router is not None


def reset_router() -> None:
    global _router, _router_stamp, _router_checked_at
    with _router_lock:
        _router, _router_stamp, _router_checked_at = None, None, 0.0


def sla_due_at(category: Category, start):
    """Deadline of a ticket assigned at `start`: the category's hours counted on the working
    calendar (office hours, no weekends or holidays), or on the clock for 24/7 categories."""
    from ticketing.services.sla import due_at

    return due_at(start, category.sla_hours, category.sla_24x7)


@dataclass(frozen=True)
class CategoryFacts:
    """What deciding needs to know of a category: its OPD and how urgent its SLA is."""

    code: str
    default_opd: str | None
    sla_hours: float | None
    sla_24x7: bool

    @classmethod
    def of(cls, category: Category | None) -> CategoryFacts | None:
        if category is None:
            return None
        return cls(category.code, category.default_opd_code, category.sla_hours, bool(category.sla_24x7))


@dataclass(frozen=True)
class RoutePlan:
    """Where a ticket goes, decided from its text alone; nothing written yet.

    `target` is an OPD code, "@kelurahan"/"@kecamatan" for the office of the ticket's own area
    (resolved when applying, once the area is known), or None for triage."""

    category: str | None
    target: str | None
    confidence: float
    data: dict

    @property
    def action(self) -> str:
        """The lifecycle transition this plan takes from `received`."""
        return "route" if self.target and self.category else "route_to_triage"


def _candidates(decision) -> list[dict]:
    return [{"category": c, "opd": o, "confidence": round(p, 4)} for c, o, p in decision.candidates]


def decide_route(
    router,
    text: str,
    *,
    chosen: CategoryFacts | None = None,
    facts: Callable[[str], CategoryFacts | None] = lambda code: None,
) -> RoutePlan:
    """Decide (pure: no database, no clock) where a complaint goes: the citizen's own category,
    else the router's choice when it is sure enough. An emergency category (a short or
    round-the-clock SLA, per the city's own table) needs more confidence than others, so vague
    text never starts a 2-hour clock at DAMKAR; a rule (an active fire) is not held back."""
    if chosen is not None:
        target = chosen.default_opd or (router.categories.get(chosen.code) if router else None)
        return RoutePlan(chosen.code, target, 1.0, {"method": "citizen_category", "category": chosen.code})
    from ticketing.router.tuning import EMERGENCY_MIN_CONFIDENCE  # loaded with the router already

    decision = router.route(text)
    candidates = _candidates(decision)
    data = {
        "method": "rule" if decision.rule else "model",
        "model_version": decision.model_version,
        "rule": decision.rule,
        "category": decision.category,
        "opd": decision.opd,
        "confidence": round(decision.confidence, 4),
        "is_complaint": decision.is_complaint,
        "candidates": candidates,
        "runner_up": candidates[1] if len(candidates) > 1 else None,
        # Another region holds the matter (router/authority.py): left to triage with this proposal,
        # which an operator accepts by transferring (services/transfers.py).
        "transfer_proposal": getattr(decision, "proposal", None) and decision.proposal.as_data(),
    }
    category = facts(decision.category) if decision.category else None
    target = None if decision.needs_triage or not decision.is_complaint else decision.opd
    if (
        target
        and category is not None
        and decision.rule is None
        and is_emergency(category.sla_hours, category.sla_24x7)
        and decision.confidence < getattr(router, "emergency_threshold", EMERGENCY_MIN_CONFIDENCE)
    ):
        target, data["held_back"] = None, "emergency_confidence"
    return RoutePlan(category.code if category else None, target, decision.confidence, data)


def route_ticket(ticket_id: int) -> Ticket | None:
    """Route a `received` ticket: decide, then apply. Running it twice changes nothing the second time.

    The `ticket.routed` event says why: method, model version, rule, chosen unit, confidence,
    the runner-up, the area found and any possible duplicates, so an operator can judge it."""
    from ticketing.services import chat_questions
    from ticketing.services.areas import locate
    from ticketing.services.region_choice import unplaced, waiting_for_region

    query = select(Ticket).where(Ticket.id == ticket_id).with_for_update()
    ticket = db.session.scalar(query)
    if ticket is None:
        db.session.rollback()
        log.warning("route_ticket: ticket %s does not exist", ticket_id)
        return None
    bind_log_fields(ticket=ticket.ticket_number)
    if ticket.status != "received" or (
        chat_questions.waiting_for_citizen(ticket) or waiting_for_region(ticket)
    ):
        db.session.rollback()
        return ticket
    if unplaced(ticket):  # a province-wide number's citizen never said which city: its triage
        return apply_route(ticket, RoutePlan(None, None, 0.0, {"method": "region_unknown"}), None)

    area = locate(ticket.lat, ticket.lon, ticket.description)
    chosen = None
    if ticket.category_chosen and ticket.category_code:
        chosen = CategoryFacts.of(find_category(ticket.region_code, ticket.category_code))
    router = router_for(ticket.region_code) if chosen is None or chosen.default_opd is None else None
    plan = decide_route(
        router,
        ticket.description,
        chosen=chosen,
        facts=lambda code: CategoryFacts.of(find_category(ticket.region_code, code)),
    )
    # Another region's matter (router/authority.py) is for the operator to transfer, not a choice.
    asks = plan.action == "route_to_triage" and not plan.data.get("transfer_proposal")
    # An information request goes to a PPID whatever its topic (services/kinds.py): no question.
    asks = asks and ticket.kind != kinds.INFORMASI
    if asks and chat_questions.ask_category(ticket, plan):
        return ticket  # the chat asks the citizen first (services/chat_questions.py)
    return apply_route(ticket, plan, area)


def apply_route(ticket: Ticket, plan: RoutePlan, area, actor_label: str = "router") -> Ticket:
    """Write a routing plan: area, category, the lifecycle transition (assigned with its SLA, or
    triage), possible duplicates and the `ticket.routed` event, in one commit."""
    from ticketing.services import chat_questions
    from ticketing.services.areas import unit_opd_for
    from ticketing.services.duplicates import link_possible_duplicates
    from ticketing.services.incidents import join_on_route
    from ticketing.services.lifecycle import ROLE_SYSTEM, check_transition, start_sla

    if area is not None:
        ticket.kelurahan_code, ticket.kecamatan_code = area.kelurahan_code, area.kecamatan_code
    data = dict(plan.data)
    data["candidates"] = [dict(c) for c in data.get("candidates", [])]
    for candidate in data["candidates"]:
        # "@kelurahan" means this ticket's kelurahan office: name it, so an operator can pick it.
        if area_unit_kind(candidate["opd"]) is not None:
            candidate["opd"] = unit_opd_for(candidate["opd"], area, ticket.region_code)[0]
    if data.get("runner_up") is not None:
        data["runner_up"] = data["candidates"][1]
    opd_code = plan.target
    unit_code, unit_kind = unit_opd_for(opd_code, area, ticket.region_code)
    if area_unit_kind(opd_code) is not None:
        # An office's matter: the ticket's own kelurahan/kecamatan, or triage when unknown.
        data["unit_wanted"] = unit_kind
        opd_code = unit_code
    elif opd_code and find_opd(ticket.region_code, opd_code) is None:
        # The ticket's region has no such OPD (a city without it): its operators decide.
        data["held_back"], opd_code = "opd_not_in_region", None
    category = find_category(ticket.region_code, plan.category)
    if category is not None:
        ticket.category_code = category.code
    data["unit"] = opd_code if category is not None else None
    data["unit_kind"] = unit_kind or ("agency" if data["unit"] else None)
    data.update(
        area.as_data() if area is not None else {"kelurahan": None, "kecamatan": None, "area_source": None}
    )

    now = utcnow()
    from_status = ticket.status
    ticket.routing_confidence = plan.confidence
    ticket.routed_at = now
    # The report's kind (issue #17): proposed when not chosen, an unsure one to triage, an
    # information request to a PPID (services/kinds.py).
    opd_code, without_category = kinds.route_kind(ticket, opd_code, data, plan.data.get("rule"))
    assign = bool(opd_code and (category is not None or without_category))
    # The same state machine as every other change: received -> assigned | triage, by the system.
    transition = check_transition(ROLE_SYSTEM, ticket.status, "route" if assign else "route_to_triage")
    if assign:
        ticket.opd_code = opd_code
        ticket.assigned_at = now
        start_sla(ticket, category, now)
    else:
        data["unit"] = None
    ticket.status = transition.to_status
    # An active incident covering the report takes it in (and its deferred acknowledgement).
    join_on_route(ticket, data)
    if ticket.category_code:
        db.session.flush()
        data["duplicates"] = link_possible_duplicates(ticket)
    else:
        data["duplicates"] = []
    record_event(
        ticket,
        type="ticket.routed",
        action="route",
        actor_label=actor_label,
        from_status=from_status,
        public=True,
        data=data,
    )
    chat_questions.ask_location(ticket, category, area)
    db.session.commit()
    return ticket
