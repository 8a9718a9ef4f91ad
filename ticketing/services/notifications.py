"""Which ticket events the citizen hears about on SMS/WhatsApp, and in what words.

Called by `record_event` inside the event's own transaction, so the outbox row commits (or rolls
back) together with the change it reports. The acknowledgement of a new ticket is written by the
conversation itself, which knows the door the message came in by.
"""

from __future__ import annotations

from ticketing import catalogue
from ticketing.models import CHAT_CHANNELS, Ticket, TicketEvent
from ticketing.models.tickets import ASSISTED_CHANNELS
from ticketing.services import incidents, outbox, proof
from ticketing.services.regions import find_opd


def notification_kind(event: TicketEvent) -> str | None:
    if event.action == "transfer":
        return "transferred"  # one message naming the new responsible body (services/transfers.py)
    if event.from_status == event.to_status:
        return None  # comments, attachments, flags: nothing the citizen needs a message for
    if event.action in ("forward_external", "external_done"):
        return None  # services/handoffs.py tells the citizen which outside body acted
    if event.type == "ticket.routed" or event.to_status == "assigned":
        return "routed" if event.to_status == "assigned" else None
    if event.to_status in ("in_progress", "resolved", "closed"):
        return event.to_status
    return None


def _responsible_body(ticket: Ticket) -> str:
    from ticketing.services.transfers import responsible_body

    return responsible_body(ticket)


def _opd_name(ticket: Ticket) -> str:
    opd = find_opd(ticket.region_code, ticket.opd_code)
    return opd.name if opd is not None else "petugas"


def _kind_message(ticket: Ticket, event: TicketEvent) -> tuple[str, str] | None:
    from ticketing.services.kind_notices import message_for

    return message_for(ticket, event, _opd_name(ticket))


def notify_for_event(ticket: Ticket, event: TicketEvent) -> None:
    """Add the citizen's outbox row for `event`, if the event is one they are told about."""
    if ticket.channel not in CHAT_CHANNELS + ASSISTED_CHANNELS or not ticket.reporter_phone:
        return
    special = _kind_message(ticket, event)  # issue #17: kinds, the PPID's steps, holds
    kind = notification_kind(event) if special is None else special[0]
    if kind is None or incidents.quiet(ticket):  # the incident's own messages tell them
        return
    route = outbox.reply_route(ticket)
    if route is None:
        return
    provider, recipient = route
    opd_name = _opd_name(ticket) if kind != "transferred" else _responsible_body(ticket)
    params = [ticket.ticket_number, opd_name]
    if special is not None:
        body = special[1]
        outbox.add_message(
            ticket=ticket, channel=provider, recipient=recipient, kind=kind, body=body, template_params=params
        )
        return
    if kind == "resolved":
        note = event.note.strip() if event.public and event.note else ""
        note_text = catalogue.text("notify.resolved_note", note=note) if note else ""
        # A `needs_proof` category asks "sudah beres?" with the photo (services/proof.py).
        body = proof.resolved_message(ticket, opd_name, note_text) or catalogue.text(
            "notify.resolved", ticket_number=ticket.ticket_number, opd_name=opd_name, note=note_text
        )
        params.append(note or "-")
    else:
        body = catalogue.text(f"notify.{kind}", ticket_number=ticket.ticket_number, opd_name=opd_name)
    outbox.add_message(
        ticket=ticket, channel=provider, recipient=recipient, kind=kind, body=body, template_params=params
    )
