"""Voice notes: a WhatsApp/Twilio audio message on its own becomes a ticket in triage.

Nothing here can read it: no offline speech engine with an Indonesian model installs from the
package registries on this project's machines (the usable ones download their model from a
hub), so there is no transcription, and none is faked. The ticket goes straight to triage
(routing skipped: there is no text to route) with the voice note attached; the console plays it
(served inline only when its bytes are Ogg/MP3/MP4 audio) and the operator types what the
citizen said. That summary becomes the ticket's text and is routed by the worker like any
complaint's text.
"""

from __future__ import annotations

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.models import InboundMessage, MediaAttachment, Ticket, TicketEvent, User
from ticketing.pii import summarize
from ticketing.roles import COMMAND_CENTRE_ROLES
from ticketing.services import outbox
from ticketing.services.events import record_event
from ticketing.services.intake import create_ticket, enqueue_routing
from ticketing.services.media_fetch import enqueue_media_fetch
from ticketing.services.routing import RoutePlan, apply_route

VOICE_METHOD = "voice"  # the `method` of a voice ticket's `ticket.routed` event: its mark


def open_voice_ticket(record: InboundMessage, message, channel: str) -> Ticket:
    """A new ticket for a voice note alone: stored, acknowledged, sent to triage, one commit."""
    created = create_ticket(
        description=catalogue.text("voice.description"),
        channel=channel,
        reporter_phone=message.sender,
        commit=False,
    )
    ticket = created.ticket
    record.ticket_id, record.effect = ticket.id, "ticket"
    outbox.add_message(
        ticket=ticket,
        channel=message.provider,
        recipient=message.sender,
        kind="ack",
        body=catalogue.text("chat.voice_ack", ticket_number=ticket.ticket_number),
        template_params=[ticket.ticket_number],
    )
    attachment = MediaAttachment(
        ticket_id=ticket.id,
        inbound_message_id=record.id,
        provider=message.provider,
        media_ref=message.media_ref,
        content_type=message.media_type,
    )
    db.session.add(attachment)
    db.session.flush()
    attachment_id = attachment.id
    # Triage at once: the router has nothing to read (apply_route commits it all).
    apply_route(
        ticket, RoutePlan(None, None, 0.0, {"method": VOICE_METHOD, "candidates": [], "voice": True}), None
    )
    enqueue_media_fetch(attachment_id)
    return ticket


def is_voice_ticket(ticket: Ticket) -> bool:
    """Marked `voice`: its routing was skipped because it arrived as a voice note."""
    events = db.session.scalars(
        db.select(TicketEvent).where(TicketEvent.ticket_id == ticket.id, TicketEvent.action == "route")
    ).all()
    return any((event.data or {}).get("method") == VOICE_METHOD for event in events)


def add_voice_summary(user: User, ticket: Ticket, summary: str) -> Ticket:
    """The operator's words for a voice note: they become the ticket's text and the ticket is
    routed by the worker like a new text complaint."""
    summary = (summary or "").strip()
    if user.role not in COMMAND_CENTRE_ROLES:
        raise APIError(403, "forbidden", catalogue.text("error.forbidden"))
    if ticket.status != "triage" or not is_voice_ticket(ticket):
        raise APIError(409, "invalid_transition", catalogue.text("voice.not_waiting"))
    if len(summary) < 10:
        raise APIError(
            422,
            "invalid_fields",
            catalogue.text("error.invalid_fields"),
            {"summary": [catalogue.text("voice.summary_short")]},
        )
    from_status = ticket.status
    ticket.description, ticket.summary = summary[:4000], summarize(summary[:4000])
    # Back to `received`: routing starts over on text it never had, exactly as for a complaint
    # typed in (route_ticket ignores any other status, so a double submit routes once).
    ticket.status = "received"
    record_event(
        ticket,
        type="ticket.updated",
        action="voice_summary",
        actor=user,
        from_status=from_status,
        note=summary[:4000],
        data={"voice": True},
    )
    db.session.commit()
    enqueue_routing(ticket)
    return ticket
