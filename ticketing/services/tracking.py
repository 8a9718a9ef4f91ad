"""What a citizen may see of their own ticket: status and public history, no personal data."""

from __future__ import annotations

from urllib.parse import quote

from flask import current_app
from sqlalchemy import select

from ticketing import catalogue
from ticketing.extensions import db
from ticketing.models import Ticket, TicketEvent
from ticketing.services.external_bodies import waiting_on
from ticketing.services.intake import find_ticket, tracking_token_matches
from ticketing.services.regions import find_category
from ticketing.services.regions import opd_names as region_opd_names

# The citizen's tracking page (ticketing/citizen/): the receipt, the chat acknowledgement and
# the tracking page itself all link here.
TRACKING_PATH = "/lacak/{ticket_number}?token={token}"


def tracking_path(ticket_number: str, token: str) -> str:
    return TRACKING_PATH.format(ticket_number=quote(ticket_number), token=quote(token, safe=""))


def public_tracking_url(ticket_number: str, token: str) -> str | None:
    """The tracking link on the public origin, or None when PUBLIC_BASE_URL is unset (a link
    to an address the citizen cannot reach is worse than none)."""
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    return base + tracking_path(ticket_number, token) if base else None


def ticket_for_citizen(ticket_number: str, token: str | None) -> Ticket | None:
    ticket = find_ticket(ticket_number)
    if ticket is None or not tracking_token_matches(ticket, token):
        return None
    return ticket


def _public_note(event: TicketEvent, opd_names: dict[str, str]) -> str | None:
    if event.note:
        return event.note
    if event.type == "ticket.created":
        return catalogue.text("event.created")
    if event.type == "ticket.routed":
        if event.to_status == "assigned":
            opd = event.data.get("opd") or ""
            return catalogue.text("event.routed", opd_name=opd_names.get(opd, opd))
        return catalogue.text("event.triage")
    return None


def public_view(ticket: Ticket) -> dict:
    events = db.session.scalars(
        select(TicketEvent)
        .where(TicketEvent.ticket_id == ticket.id, TicketEvent.public.is_(True))
        .order_by(TicketEvent.id)
    ).all()
    # The ticket's own region's OPDs: the history names the ones it went through.
    opd_names = {code: name for (_, code), name in region_opd_names([ticket.region_code]).items()}
    category = find_category(ticket.region_code, ticket.category_code)
    return {
        "ticket_number": ticket.ticket_number,
        "status": ticket.status,
        "status_label": catalogue.text(f"status.{ticket.status}"),
        "category_code": ticket.category_code,
        "category_name": category.name if category else None,
        "opd_code": ticket.opd_code,
        "opd_name": opd_names.get(ticket.opd_code) if ticket.opd_code else None,
        # Handed to an outside body (issue #17): who has it now, for the tracking page.
        "external_body_name": waiting_on(ticket),
        "channel": ticket.channel,
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
        "sla_due_at": ticket.sla_due_at,
        "history": [
            {"created_at": e.created_at, "to_status": e.to_status, "note": _public_note(e, opd_names)}
            for e in events
        ],
    }
