"""What people read of hand-offs to outside bodies (issue #17): the body's page behind its
signed link, and the wall's count of tickets waiting on outside bodies apart from the city's
backlog. Reads only; the changes are services/handoffs.py's."""

from __future__ import annotations

from sqlalchemy import func, select

from ticketing import catalogue
from ticketing.extensions import db
from ticketing.formatting import day_label, local
from ticketing.models import ExternalHandoff, Ticket, TicketEvent
from ticketing.models.tickets import EXTERNAL_STATUSES
from ticketing.pii import mask_personal_data
from ticketing.services import handoff_mail
from ticketing.services.handoffs import BODY_ACTIONS, body_of, current_handoff
from ticketing.services.lifecycle import ROLE_EXTERNAL, actions_for

# The history entries the body sees: its own steps and the forwarding, not the city's notes.
BODY_HISTORY = ("forward_external", *BODY_ACTIONS, "external_reminder")


def page_view(handoff: ExternalHandoff) -> dict:
    """Everything the body's page shows, and which of its actions fit now."""
    ticket = db.session.get(Ticket, handoff.ticket_id)
    body = body_of(handoff)
    is_current = current_handoff(ticket).id == handoff.id
    open_now = is_current and handoff.state in ("sent", "acknowledged")
    allowed = actions_for(ROLE_EXTERNAL, ticket.status) if open_now else []
    events = db.session.scalars(
        select(TicketEvent)
        .where(TicketEvent.ticket_id == ticket.id, TicketEvent.action.in_(BODY_HISTORY))
        .order_by(TicketEvent.id)
    )
    history = [
        {
            "at": local(event.created_at),
            "label": catalogue.text(f"action.{event.action}"),
            "note": event.note if event.action != "forward_external" else (event.data or {}).get("note"),
        }
        for event in events
        if (event.data or {}).get("handoff") == handoff.id
    ]
    return {
        "ticket_number": ticket.ticket_number,
        "body_name": body.name,
        "created": local(ticket.created_at),
        "description": mask_personal_data(ticket.description),
        "address": mask_personal_data(ticket.address) if ticket.address else None,
        "map_link": handoff_mail.map_link(ticket),
        "photos": [name for name, path in handoff_mail.ticket_photos(ticket) if path.is_file()],
        "state": handoff.state if is_current else "recalled",
        "state_label": catalogue.text(f"status.{ticket.status}"),
        "reference": ticket.external_reference if is_current else None,
        "expected": day_label(ticket.external_expected_at)
        if is_current and ticket.external_expected_at
        else None,
        "history": history,
        "can_ack": "external_ack" in allowed and handoff.acknowledged_at is None,
        "can_update": "external_update" in allowed,
        "can_done": "external_done" in allowed,
    }


def photo_file(handoff: ExternalHandoff, name: str):
    """(bytes, type) of one of the ticket's photos by its page name, or None."""
    ticket = db.session.get(Ticket, handoff.ticket_id)
    for photo_name, path in handoff_mail.ticket_photos(ticket):
        if photo_name == name:
            return handoff_mail.image_file(path)
    return None


# -- what screens show apart from the city's backlog ------------------------------------------

SNAPSHOT_EXTERNAL_LIMIT = 200


def external_counts(scope: list | tuple = ()) -> dict:
    """Tickets waiting on outside bodies: how many, and how many per body. `scope`: WHERE
    terms limiting the tickets (the screen's regions)."""
    rows = db.session.execute(
        select(Ticket.external_body_code, func.count())
        .where(*scope, Ticket.status.in_(EXTERNAL_STATUSES))
        .group_by(Ticket.external_body_code)
    ).all()
    by_body = {code or "-": count for code, count in rows}
    return {"total": sum(by_body.values()), "by_body": by_body}


def waiting_tickets(opd_code: str | None = None, scope: list | tuple = ()) -> list[Ticket]:
    """The tickets waiting on outside bodies, longest waiting first (the wall's own strip)."""
    query = (
        select(Ticket)
        .where(*scope, Ticket.status.in_(EXTERNAL_STATUSES))
        .order_by(Ticket.updated_at, Ticket.id)
        .limit(SNAPSHOT_EXTERNAL_LIMIT)
    )
    if opd_code is not None:
        query = query.where(Ticket.opd_code == opd_code)
    return list(db.session.scalars(query))
