"""Ticket history and the live feed.

`record_event` appends to the history inside the caller's transaction; `publish_events`
pushes committed events to the sockets. Services call the second only after commit.
"""
from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select, text

from ticketing import realtime
from ticketing.extensions import db
from ticketing.models import Ticket, TicketEvent, User

SUMMARY_LENGTH = 140

# PostgreSQL hands out sequence values before commit, so a reader could see event 11 before
# event 10 commits and skip 10 forever. Serialising the event-writing tail of transactions
# with one advisory lock makes ids become visible in order; SQLite is serial already.
EVENT_ORDER_LOCK_KEY = 7_261_003

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
_PHONE = re.compile(r"(?<![\w])(?:\+?62|0)[\s.-]?8(?:[\s.-]?\d){6,12}(?!\d)")


def mask_personal_data(value: str) -> str:
    value = _EMAIL.sub("[email]", value)
    value = _NIK.sub("[NIK]", value)
    return _PHONE.sub("[telepon]", value)


def summarize(description: str) -> str:
    summary = " ".join(mask_personal_data(description).split())
    if len(summary) <= SUMMARY_LENGTH:
        return summary
    return summary[: SUMMARY_LENGTH - 1].rstrip() + "…"


def isoformat(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def wall_ticket(ticket: Ticket) -> dict:
    """The only view of a ticket that leaves for screens: no reporter identity, ever."""
    location = None
    if ticket.lat is not None and ticket.lon is not None:
        location = {"lat": round(ticket.lat, 3), "lon": round(ticket.lon, 3)}
    return {
        "ticket_number": ticket.ticket_number,
        "status": ticket.status,
        "category": ticket.category_code,
        "opd": ticket.opd_code,
        "channel": ticket.channel,
        "created_at": isoformat(ticket.created_at),
        "updated_at": isoformat(ticket.updated_at),
        "sla_due_at": isoformat(ticket.sla_due_at),
        "overdue": ticket.overdue,
        "location": location,
        "summary": summarize(ticket.description),
    }


def record_event(ticket: Ticket, *, type: str, action: str, actor: User | None = None,
                 actor_label: str | None = None, from_status: str | None = None,
                 note: str | None = None, public: bool = False,
                 data: dict | None = None) -> TicketEvent:
    """Append one history row for `ticket` (already flushed) in the current transaction."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                           {"key": EVENT_ORDER_LOCK_KEY})
    event = TicketEvent(
        ticket_id=ticket.id, type=type, action=action, from_status=from_status,
        to_status=ticket.status, actor_user_id=actor.id if actor else None,
        actor_label=actor.username if actor else (actor_label or "system"),
        note=note, public=public, data=data or {},
    )
    db.session.add(event)
    # The citizen's SMS/WhatsApp notification commits with the event or not at all.
    from ticketing.services.notifications import notify_for_event

    notify_for_event(ticket, event)
    return event


def event_payload(event: TicketEvent, ticket: Ticket) -> dict:
    # `action` tells screens what happened (accept, sla_reminder, sla_escalated, …).
    return {"event_id": event.id, "type": event.type, "action": event.action,
            "at": isoformat(event.created_at), "ticket": wall_ticket(ticket)}


def publish_events(pairs: list[tuple[TicketEvent, Ticket]]) -> None:
    """Push committed events to the wall and to the owning OPD's officers."""
    for event, ticket in pairs:
        realtime.publish(event.type, event_payload(event, ticket), opd_code=ticket.opd_code)


def events_since(since_id: int, *, opd_code: str | None = None, limit: int = 500) -> list[dict]:
    """Catch-up feed for screens that were away; `opd_code` limits it to one OPD's tickets."""
    query = (select(TicketEvent, Ticket).join(Ticket, Ticket.id == TicketEvent.ticket_id)
             .where(TicketEvent.id > since_id).order_by(TicketEvent.id).limit(limit))
    if opd_code is not None:
        query = query.where(Ticket.opd_code == opd_code)
    return [event_payload(event, ticket) for event, ticket in db.session.execute(query)]


def latest_event_id() -> int:
    return db.session.scalar(select(db.func.max(TicketEvent.id))) or 0
