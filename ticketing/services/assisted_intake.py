"""Complaints an operator files for someone else: a caller on the phone, a walk-in at the
counter. They go through `create_ticket` like every complaint (stored, then routed by the
worker); the channel says how the citizen came, and the number they gave gets the SMS
acknowledgement and every update after it (services/outbox.reply_route)."""

from __future__ import annotations

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.models import User
from ticketing.models.tickets import ASSISTED_CHANNELS
from ticketing.phones import InvalidPhoneNumber, to_e164
from ticketing.services import outbox
from ticketing.services.intake import NewTicket, after_ticket_created, create_ticket
from ticketing.services.region_choice import intake_region
from ticketing.services.regions import visible_region_codes


def caller_phone_e164(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return to_e164(value)
    except InvalidPhoneNumber as exc:
        raise APIError(
            422,
            "invalid_fields",
            catalogue.text("error.invalid_fields"),
            {"phone": [catalogue.text("web.field.phone")]},
        ) from exc


def file_for_citizen(
    user: User,
    *,
    channel: str,
    description: str,
    category_code: str | None = None,
    caller_name: str | None = None,
    caller_phone: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
    address: str | None = None,
) -> NewTicket:
    """One complaint taken by `user`; committed, then queued for routing."""
    if channel not in ASSISTED_CHANNELS:
        raise APIError(
            422,
            "invalid_fields",
            catalogue.text("error.invalid_fields"),
            {"channel": [catalogue.text("console.intake.channel_invalid")]},
        )
    phone = caller_phone_e164(caller_phone)
    created = create_ticket(
        description=description,
        channel=channel,
        category_code=category_code,
        reporter_name=caller_name,
        reporter_phone=phone,
        lat=lat,
        lon=lon,
        address=address,
        actor_label=user.username,
        # The operator's own region, or the city of theirs whose boundary holds the point.
        region_code=intake_region(
            None, lat, lon, category_code, fallback=user.region_code, within=visible_region_codes(user)
        ),
        commit=False,
    )
    ticket = created.ticket
    if phone:
        provider_and_number = outbox.reply_route(ticket)
        if provider_and_number is not None:
            provider, recipient = provider_and_number
            outbox.add_message(
                ticket=ticket,
                channel=provider,
                recipient=recipient,
                kind="ack",
                body=catalogue.text("chat.ack", ticket_number=ticket.ticket_number),
                template_params=[ticket.ticket_number],
            )
    db.session.commit()
    after_ticket_created(ticket)
    return created
