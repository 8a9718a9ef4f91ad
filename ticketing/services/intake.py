"""Taking a complaint in: store it, answer, and hand it to routing.

The ticket is committed before anyone is told it exists; routing is queued after commit and,
if Redis is down, picked up later by `requeue_stale_received`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.models import Ticket
from ticketing.models.base import insert_unless_taken, utcnow
from ticketing.pii import summarize
from ticketing.queueing import QUEUE_ROUTING, ROUTE_TICKET_JOB, try_enqueue
from ticketing.services.events import record_event
from ticketing.services.kinds import DEFAULT_KIND, initial_due_at
from ticketing.services.region_choice import intake_region
from ticketing.services.regions import default_region_code, find_category

# No 0/O or 1/I: read out over the phone and typed on a keypad without doubt.
TICKET_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
TICKET_GROUP = 4


def new_ticket_number() -> str:
    raw = "".join(secrets.choice(TICKET_ALPHABET) for _ in range(2 * TICKET_GROUP))
    return f"{raw[:TICKET_GROUP]}-{raw[TICKET_GROUP:]}"


def normalize_ticket_number(value: str) -> str | None:
    """Accept what people type: lower case, spaces, no dash. None when it cannot be one."""
    raw = "".join(ch for ch in value.upper() if ch.isalnum())
    if len(raw) != 2 * TICKET_GROUP or any(ch not in TICKET_ALPHABET for ch in raw):
        return None
    return f"{raw[:TICKET_GROUP]}-{raw[TICKET_GROUP:]}"


def hash_tracking_token(token: str) -> str:
    # The token is 128 random bits, so a plain SHA-256 cannot be brute-forced.
    return hashlib.sha256(token.encode()).hexdigest()


def tracking_token_matches(ticket: Ticket, token: str | None) -> bool:
    if not token:
        return False
    return hmac.compare_digest(ticket.tracking_token_hash, hash_tracking_token(token))


@dataclass
class NewTicket:
    ticket: Ticket
    tracking_token: str
    # True when an Idempotency-Key named a ticket filed before: nothing new was stored.
    replayed: bool = False
    # The `ticket.created` event, still open to additions until the caller commits.
    event: object = None
    # What the receipt shows, read before the commit expires the ticket (no reload query).
    ticket_number: str = ""
    status: str = ""
    created_at: object = None


def route_job_id(ticket_id: int) -> str:
    return f"route-ticket-{ticket_id}"


def enqueue_routing(ticket: Ticket, *, fresh: bool = False) -> bool:
    """Queue the ticket's routing; `fresh` for a ticket just filed (see queueing.enqueue)."""
    # The identity key needs no reload of a ticket the commit just expired.
    ticket_id = sa_inspect(ticket).identity[0]
    return try_enqueue(
        ROUTE_TICKET_JOB, ticket_id, queue=QUEUE_ROUTING, job_id=route_job_id(ticket_id), fresh=fresh
    )


def hash_idempotency_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def tracking_token_for_key(key: str) -> str:
    """The tracking token of a ticket filed with an Idempotency-Key, derived from it with the
    server's secret, so that a replayed answer can carry it again (only its hash is stored)."""
    digest = hmac.new(
        current_app.config["SECRET_KEY"].encode(), b"tracking-token:" + key.encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


def _replay(key: str, description: str) -> NewTicket | None:
    ticket = db.session.scalar(select(Ticket).where(Ticket.idempotency_key_hash == hash_idempotency_key(key)))
    if ticket is None:
        return None
    if ticket.description != description:
        raise APIError(
            409,
            "idempotency_key_reused",
            catalogue.text("error.idempotency_key_reused"),
            {"Idempotency-Key": [catalogue.text("error.idempotency_key_new")]},
        )
    return NewTicket(
        ticket=ticket,
        tracking_token=tracking_token_for_key(key),
        replayed=True,
        ticket_number=ticket.ticket_number,
        status=ticket.status,
        created_at=ticket.created_at,
    )


def create_ticket(
    *,
    description: str,
    channel: str,
    category_code: str | None = None,
    reporter_name: str | None = None,
    reporter_phone: str | None = None,
    reporter_email: str | None = None,
    anonymous: bool = False,
    confidential: bool = False,
    lat: float | None = None,
    lon: float | None = None,
    address: str | None = None,
    actor_label: str = "citizen",
    commit: bool = True,
    idempotency_key: str | None = None,
    region_code: str | None = None,
    kind: str | None = None,
) -> NewTicket:
    """Store a complaint. With `commit=False` the caller owns the transaction (channels store
    the inbound message and the ticket together) and must call `after_ticket_created`.

    With an `idempotency_key` already used for the same description, the ticket filed then is
    returned (`replayed`) and nothing is stored: a client that lost our answer may retry.

    `region_code` (checked by the caller, services/regions.py) files it in that region; None:
    `DEFAULT_REGION`. The category is one of that region's."""
    region_code = region_code or default_region_code()
    if category_code is not None and find_category(region_code, category_code) is None:
        raise APIError(
            422,
            "invalid_fields",
            catalogue.text("error.unknown_category"),
            {"category": [catalogue.text("error.unknown_category_field")]},
        )
    if idempotency_key is not None:
        replayed = _replay(idempotency_key, description)
        if replayed is not None:
            return replayed
        tracking_token = tracking_token_for_key(idempotency_key)
    else:
        tracking_token = secrets.token_urlsafe(16)
    values = dict(
        idempotency_key_hash=(hash_idempotency_key(idempotency_key) if idempotency_key is not None else None),
        tracking_token_hash=hash_tracking_token(tracking_token),
        status="received",
        region_code=region_code,
        # The citizen's own choice of kind sticks; else the router proposes one (services/kinds.py).
        kind=kind or DEFAULT_KIND,
        kind_chosen=kind is not None,
        created_at=(received := utcnow()),
        due_at=initial_due_at(kind, received),
        channel=channel,
        description=description,
        summary=summarize(description),
        category_code=category_code,
        category_chosen=category_code is not None,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        reporter_email=reporter_email,
        anonymous=anonymous,
        confidential=confidential,
        lat=lat,
        lon=lon,
        address=address,
    )
    # A number already taken (one draw in ~10^6 at a million tickets) is drawn again; the
    # conflict never aborts the caller's transaction, so no savepoint is needed. A key taken
    # meanwhile (the same retry racing in twice) is the other ticket's: answer with that one.
    for _ in range(5):
        ticket = insert_unless_taken(db.session, Ticket, {"ticket_number": new_ticket_number(), **values})
        if ticket is not None:
            break
        if idempotency_key is not None:
            replayed = _replay(idempotency_key, description)
            if replayed is not None:
                return replayed
    else:
        raise RuntimeError("five ticket numbers in a row were taken")
    event = record_event(
        ticket,
        type="ticket.created",
        action="create",
        actor_label=actor_label,
        public=True,
        data={"channel": channel},
    )
    created = NewTicket(
        ticket=ticket,
        tracking_token=tracking_token,
        event=event,
        ticket_number=ticket.ticket_number,
        status=ticket.status,
        created_at=ticket.created_at,
    )
    if commit:
        db.session.commit()
        after_ticket_created(ticket)
    return created


def file_web_complaint(complaint: dict, idempotency_key: str | None) -> NewTicket:
    """Store a complaint from the web, as `ComplaintSchema` loaded it: from the JSON API, or
    from the citizen's plain form (citizen/schemas.complaint_from_form loads the same schema),
    so both file it alike. Committed, then queued for routing."""
    reporter = complaint.get("reporter") or {}
    location = complaint.get("location") or {}
    return create_ticket(
        description=complaint["description"],
        channel="web",
        category_code=complaint.get("category"),
        reporter_name=reporter.get("name"),
        reporter_phone=reporter.get("phone"),
        reporter_email=reporter.get("email"),
        anonymous=complaint["anonymous"],
        confidential=complaint["confidential"],
        lat=location.get("lat"),
        lon=location.get("lon"),
        address=location.get("address"),
        idempotency_key=idempotency_key,
        # The region named, else the one whose boundary holds the point, else DEFAULT_REGION.
        region_code=intake_region(
            complaint.get("region"), location.get("lat"), location.get("lon"), complaint.get("category")
        ),
        kind=complaint.get("kind"),
    )


def after_ticket_created(ticket: Ticket) -> None:
    """Post-commit side effects of a new ticket."""
    enqueue_routing(ticket, fresh=True)


def requeue_stale_received(older_than_seconds: int = 60, limit: int = 1000) -> int:
    """Queue routing again for tickets still `received` after a while (Redis was down, or a
    job was lost). Routing is idempotent and the job id unique, so over-queueing is harmless."""
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    ids = db.session.scalars(
        select(Ticket.id)
        .where(Ticket.status == "received", Ticket.created_at < cutoff)
        .order_by(Ticket.id)
        .limit(limit)
    ).all()
    db.session.rollback()  # end the read transaction before talking to Redis
    queued = 0
    for ticket_id in ids:
        if try_enqueue(ROUTE_TICKET_JOB, ticket_id, queue=QUEUE_ROUTING, job_id=route_job_id(ticket_id)):
            queued += 1
    return queued


def find_ticket(ticket_number: str) -> Ticket | None:
    number = normalize_ticket_number(ticket_number)
    if number is None:
        return None
    return db.session.scalar(select(Ticket).where(Ticket.ticket_number == number))
