"""Figures for screens and reports."""
from __future__ import annotations

from sqlalchemy import func, select

from ticketing.extensions import db
from ticketing.models import OPEN_STATUSES, Ticket
from ticketing.services.events import latest_event_id, wall_ticket

SNAPSHOT_TICKETS = 50


def open_counts() -> dict:
    rows = db.session.execute(
        select(Ticket.status, Ticket.opd_code, func.count())
        .where(Ticket.status.in_(OPEN_STATUSES)).group_by(Ticket.status, Ticket.opd_code)
    ).all()
    by_status: dict[str, int] = {status: 0 for status in OPEN_STATUSES}
    by_opd: dict[str, dict[str, int]] = {}
    for status, opd_code, count in rows:
        by_status[status] += count
        opd = by_opd.setdefault(opd_code or "-", {"open": 0})
        opd["open"] += count
        opd[status] = opd.get(status, 0) + count
    overdue = db.session.execute(
        select(Ticket.opd_code, func.count())
        .where(Ticket.status.in_(OPEN_STATUSES), Ticket.overdue.is_(True))
        .group_by(Ticket.opd_code)
    ).all()
    for opd_code, count in overdue:
        by_opd.setdefault(opd_code or "-", {"open": 0})["overdue"] = count
    return {"by_status": by_status, "by_opd": by_opd}


def wall_snapshot(opd_code: str | None = None) -> dict:
    """What a screen needs on connect: open counts and the newest tickets."""
    query = select(Ticket).order_by(Ticket.id.desc()).limit(SNAPSHOT_TICKETS)
    if opd_code is not None:
        query = query.where(Ticket.opd_code == opd_code)
    tickets = [wall_ticket(ticket) for ticket in db.session.scalars(query)]
    snapshot = {"last_event_id": latest_event_id(), "counts": open_counts(), "tickets": tickets}
    db.session.rollback()
    return snapshot
