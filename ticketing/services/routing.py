"""Routing a received ticket to the OPD responsible, or to the operators' triage queue."""
from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from ticketing.extensions import db
from ticketing.models import Category, Ticket
from ticketing.models.base import utcnow
from ticketing.services.events import publish_events, record_event

log = logging.getLogger(__name__)

_router = None
_router_lock = threading.Lock()


def get_router():
    """The router model, loaded once per process (the worker keeps it warm)."""
    global _router
    if _router is None:
        with _router_lock:
            if _router is None:
                from ticketing.router import load_router

                started = time.perf_counter()
                _router = load_router(current_app.config.get("ROUTING_MODEL_PATH"))
                log.info("router %s loaded in %.1fs", _router.version,
                         time.perf_counter() - started)
    return _router


def reset_router() -> None:
    global _router
    with _router_lock:
        _router = None


def sla_due_at(category: Category, start):
    """Deadline of a ticket assigned at `start`: the category's hours counted on the working
    calendar (office hours, no weekends or holidays), or on the clock for 24/7 categories."""
    from ticketing.services.sla import due_at

    return due_at(start, category.sla_hours, category.sla_24x7)


def route_ticket(ticket_id: int) -> Ticket | None:
    """Decide where a `received` ticket goes. Running it twice changes nothing the second time."""
    query = select(Ticket).where(Ticket.id == ticket_id).with_for_update()
    ticket = db.session.scalar(query)
    if ticket is None:
        db.session.rollback()
        log.warning("route_ticket: ticket %s does not exist", ticket_id)
        return None
    if ticket.status != "received":
        db.session.rollback()
        return ticket

    data: dict = {}
    if ticket.category_chosen and ticket.category_code:
        category = db.session.get(Category, ticket.category_code)
        data = {"method": "citizen_category", "category": category.code}
        opd_code = category.default_opd_code
        confidence = 1.0
    else:
        decision = get_router().route(ticket.description)
        data = {
            "method": "rule" if decision.rule else "model",
            "model_version": decision.model_version,
            "rule": decision.rule,
            "category": decision.category,
            "opd": decision.opd,
            "confidence": round(decision.confidence, 4),
            "is_complaint": decision.is_complaint,
            "candidates": [
                {"category": c, "opd": o, "confidence": round(p, 4)}
                for c, o, p in decision.candidates
            ],
        }
        category = db.session.get(Category, decision.category) if decision.category else None
        opd_code = None if decision.needs_triage or not decision.is_complaint else decision.opd
        confidence = decision.confidence
        if category is not None:
            ticket.category_code = category.code

    now = utcnow()
    from_status = ticket.status
    ticket.routing_confidence = confidence
    ticket.routed_at = now
    if opd_code and category is not None:
        ticket.status = "assigned"
        ticket.opd_code = opd_code
        ticket.assigned_at = now
        ticket.sla_due_at = sla_due_at(category, now)
    else:
        ticket.status = "triage"
    event = record_event(ticket, type="ticket.routed", action="route", actor_label="router",
                         from_status=from_status, public=True, data=data)
    db.session.commit()
    publish_events([(event, ticket)])
    return ticket
