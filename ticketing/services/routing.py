"""Routing a received ticket to the OPD responsible, an area office, or the operators' triage queue."""
from __future__ import annotations

import logging
import os
import threading
import time

from flask import current_app
from sqlalchemy import select

from ticketing.extensions import db
from ticketing.models import Category, Ticket
from ticketing.models.base import utcnow
from ticketing.router.categories import area_unit_kind
from ticketing.services.events import record_event

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
            log.info("router %s loaded in %.1fs%s", router.version, time.perf_counter() - started,
                     f" (replaces {previous})" if previous else "")
        _router_checked_at = now
    return _router


def reset_router() -> None:
    global _router, _router_stamp, _router_checked_at
    with _router_lock:
        _router, _router_stamp, _router_checked_at = None, None, 0.0


def sla_due_at(category: Category, start):
    """Deadline of a ticket assigned at `start`: the category's hours counted on the working
    calendar (office hours, no weekends or holidays), or on the clock for 24/7 categories."""
    from ticketing.services.sla import due_at

    return due_at(start, category.sla_hours, category.sla_24x7)


def _candidates(decision) -> list[dict]:
    return [{"category": c, "opd": o, "confidence": round(p, 4)} for c, o, p in decision.candidates]


def route_ticket(ticket_id: int) -> Ticket | None:
    """Decide where a `received` ticket goes. Running it twice changes nothing the second time.

    The `ticket.routed` event says why: method, model version, rule, chosen unit, confidence,
    the runner-up, the area found and any possible duplicates, so an operator can judge it."""
    from ticketing.services.areas import locate, unit_opd_for
    from ticketing.services.duplicates import link_possible_duplicates

    query = select(Ticket).where(Ticket.id == ticket_id).with_for_update()
    ticket = db.session.scalar(query)
    if ticket is None:
        db.session.rollback()
        log.warning("route_ticket: ticket %s does not exist", ticket_id)
        return None
    if ticket.status != "received":
        db.session.rollback()
        return ticket

    area = locate(ticket.lat, ticket.lon, ticket.description)
    if area is not None:
        ticket.kelurahan_code, ticket.kecamatan_code = area.kelurahan_code, area.kecamatan_code

    data: dict = {}
    router = None
    if ticket.category_chosen and ticket.category_code:
        category = db.session.get(Category, ticket.category_code)
        data = {"method": "citizen_category", "category": category.code}
        opd_code = category.default_opd_code
        if opd_code is None:
            router = get_router()
            opd_code = router.categories.get(category.code)  # "@kelurahan" for an office's category
        confidence = 1.0
    else:
        router = get_router()
        decision = router.route(ticket.description)
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
        }
        category = db.session.get(Category, decision.category) if decision.category else None
        opd_code = None if decision.needs_triage or not decision.is_complaint else decision.opd
        confidence = decision.confidence
        if category is not None:
            ticket.category_code = category.code

    for candidate in data.get("candidates", []):
        # "@kelurahan" means this ticket's kelurahan office: name it, so an operator can pick it.
        if area_unit_kind(candidate["opd"]) is not None:
            candidate["opd"] = unit_opd_for(candidate["opd"], area)[0]
    unit_code, unit_kind = unit_opd_for(opd_code, area)
    if area_unit_kind(opd_code) is not None:
        # An office's matter: the ticket's own kelurahan/kecamatan, or triage when unknown.
        data["unit_wanted"] = unit_kind
        opd_code = unit_code
    data["unit"] = opd_code if category is not None else None
    data["unit_kind"] = unit_kind or ("agency" if data["unit"] else None)
    data.update(area.as_data() if area is not None else
                {"kelurahan": None, "kecamatan": None, "area_source": None})

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
        data["unit"] = None
    if ticket.category_code:
        db.session.flush()
        data["duplicates"] = link_possible_duplicates(ticket)
    else:
        data["duplicates"] = []
    record_event(ticket, type="ticket.routed", action="route", actor_label="router",
                 from_status=from_status, public=True, data=data)
    db.session.commit()
    return ticket
