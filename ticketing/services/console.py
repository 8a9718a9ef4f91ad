"""Reads the staff console needs beyond the API's (queue counts, the router's suggestions, a
ticket's messages and photos) and the officer's "after" photo of a resolution.

Every ticket read starts from `queries.scoped_tickets`/`visible_ticket`, so an officer never
sees another OPD's ticket here either; every change goes through `lifecycle.apply_action`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.models import (
    OPEN_STATUSES,
    InboundMessage,
    MediaAttachment,
    Opd,
    PossibleDuplicate,
    Ticket,
    TicketEvent,
    TicketPhoto,
    User,
)
from ticketing.services.lifecycle import apply_action
from ticketing.services.media import IMAGE_EXTENSIONS, ServedMedia, served_media, sniff_image_type
from ticketing.services.queries import list_tickets, scoped_tickets

# A resolution photo is what a phone camera or the console's resize produces (told by its bytes).
PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
QUEUE_LIMIT = 100


@dataclass
class QueueSection:
    key: str
    tickets: list[Ticket]


def queue_counts(user: User) -> dict[str, int]:
    """Open tickets by status, and overdue ones, that `user` can see."""
    scoped = scoped_tickets(user).where(Ticket.status.in_(OPEN_STATUSES)).subquery()
    rows = db.session.execute(select(scoped.c.status, func.count()).group_by(scoped.c.status))
    counts = {status: 0 for status in OPEN_STATUSES}
    counts.update({status: total for status, total in rows})
    counts["overdue"] = (
        db.session.scalar(select(func.count()).select_from(scoped).where(scoped.c.overdue.is_(True))) or 0
    )
    return counts


def officer_queue(
    user: User,
    *,
    status: str | None = None,
    q: str | None = None,
    category: str | None = None,
    overdue_only: bool = False,
) -> list[QueueSection]:
    """The OPD's work: overdue first, then new (assigned), then in progress."""
    common = {"q": q, "category": category, "limit": QUEUE_LIMIT}
    wanted = [status] if status else ["assigned", "in_progress", "on_hold"]  # on hold: issue #17
    sections = [QueueSection("overdue", list_tickets(user, status=wanted, overdue=True, **common).items)]
    if not overdue_only:
        for key in wanted:
            sections.append(
                QueueSection(key, list_tickets(user, status=[key], overdue=False, **common).items)
            )
    if status in ("resolved", "closed", "rejected"):
        return [QueueSection(status, list_tickets(user, status=[status], **common).items)]
    for section in sections:
        # Least time left first: the deadline decides what an officer opens next.
        section.tickets.sort(key=by_time_left)
    return sections


def by_time_left(ticket: Ticket):
    return (ticket.sla_due_at is None, ticket.sla_due_at or ticket.created_at, ticket.id)


def triage_queue(user: User) -> list[Ticket]:
    """Tickets waiting for an operator: bounced back by an OPD first, then oldest first."""
    tickets = list_tickets(user, status=["triage", "received"], limit=QUEUE_LIMIT).items
    return sorted(tickets, key=lambda t: (not t.flagged_for_supervisor, -t.return_count, t.id))


def escalations(user: User) -> list[Ticket]:
    """Tickets at an OPD past their SLA: the operator chases or reassigns them."""
    tickets = list_tickets(user, status=["assigned", "in_progress"], overdue=True, limit=QUEUE_LIMIT).items
    return sorted(tickets, key=by_time_left)


def routing_candidates(tickets: list[Ticket], limit: int = 3) -> dict[int, list[dict]]:
    """The router's best OPDs per ticket from its latest `ticket.routed` event, one row per OPD
    (the best category for it), highest confidence first."""
    events = _latest_routed_events(tickets)
    if not events:
        return {}
    # Each ticket's candidates are OPDs of its own region.
    region_of = {ticket.id: ticket.region_code for ticket in tickets}
    regions = set(region_of.values())
    names = {
        (region, code): name
        for region, code, name in db.session.execute(
            select(Opd.region_code, Opd.code, Opd.name).where(Opd.region_code.in_(regions))
        )
    }
    result: dict[int, list[dict]] = {}
    for event in events:
        seen: dict[str, dict] = {}
        region = region_of.get(event.ticket_id)
        for candidate in (event.data or {}).get("candidates") or []:
            opd = candidate.get("opd") if isinstance(candidate, dict) else None
            if not opd or opd in seen or (region, opd) not in names:
                continue
            seen[opd] = {
                "opd": opd,
                "opd_name": names[(region, opd)],
                "category": candidate.get("category"),
                "confidence": float(candidate.get("confidence") or 0.0),
            }
        result[event.ticket_id] = sorted(seen.values(), key=lambda c: -c["confidence"])[:limit]
    return result


def _latest_routed_events(tickets: list[Ticket]) -> list[TicketEvent]:
    ids = [ticket.id for ticket in tickets]
    if not ids:
        return []
    latest = (
        select(func.max(TicketEvent.id))
        .where(TicketEvent.ticket_id.in_(ids), TicketEvent.type == "ticket.routed")
        .group_by(TicketEvent.ticket_id)
    )
    return list(db.session.scalars(select(TicketEvent).where(TicketEvent.id.in_(latest))))


def possible_duplicate_tickets(tickets: list[Ticket]) -> dict[int, list[str]]:
    """Ticket numbers each ticket may repeat (the router's links, most similar first)."""
    ids = [ticket.id for ticket in tickets]
    if not ids:
        return {}
    rows = db.session.execute(
        select(PossibleDuplicate.ticket_id, Ticket.ticket_number)
        .join(Ticket, Ticket.id == PossibleDuplicate.original_id)
        .where(PossibleDuplicate.ticket_id.in_(ids))
        .order_by(PossibleDuplicate.ticket_id, PossibleDuplicate.similarity.desc(), Ticket.id)
    )
    found: dict[int, list[str]] = {}
    for ticket_id, number in rows:
        if len(found.setdefault(ticket_id, [])) < 5:
            found[ticket_id].append(number)
    return found


def reopen_note(ticket: Ticket) -> str | None:
    """The citizen's words when they last reopened the ticket, for the officer to read."""
    if not ticket.reopen_count:
        return None
    return db.session.scalar(
        select(TicketEvent.note)
        .where(TicketEvent.ticket_id == ticket.id, TicketEvent.action == "reopen")
        .order_by(TicketEvent.id.desc())
        .limit(1)
    )


def last_notes(tickets: list[Ticket], action: str) -> dict[int, str]:
    """Each ticket's note on its latest `action` event (why an OPD returned it, say)."""
    ids = [ticket.id for ticket in tickets]
    if not ids:
        return {}
    latest = (
        select(func.max(TicketEvent.id))
        .where(TicketEvent.ticket_id.in_(ids), TicketEvent.action == action)
        .group_by(TicketEvent.ticket_id)
    )
    return dict(
        db.session.execute(
            select(TicketEvent.ticket_id, TicketEvent.note).where(TicketEvent.id.in_(latest))
        ).all()
    )


def routed_as_complaint(tickets: list[Ticket]) -> dict[int, bool]:
    """Whether the router read each ticket as a complaint (False: a greeting, a thank-you)."""
    return {
        event.ticket_id: (event.data or {}).get("is_complaint") is not False
        for event in _latest_routed_events(tickets)
    }


def citizen_messages(ticket: Ticket) -> list[InboundMessage]:
    return list(
        db.session.scalars(
            select(InboundMessage).where(InboundMessage.ticket_id == ticket.id).order_by(InboundMessage.id)
        )
    )


def citizen_media(ticket: Ticket) -> list[MediaAttachment]:
    return list(
        db.session.scalars(
            select(MediaAttachment).where(MediaAttachment.ticket_id == ticket.id).order_by(MediaAttachment.id)
        )
    )


def staff_photos(ticket: Ticket) -> list[TicketPhoto]:
    return list(
        db.session.scalars(
            select(TicketPhoto).where(TicketPhoto.ticket_id == ticket.id).order_by(TicketPhoto.id)
        )
    )


def media_dir() -> Path:
    return Path(current_app.config.get("MEDIA_DIR") or Path(current_app.instance_path) / "media")


def media_file(ticket: Ticket, kind: str, item_id: int) -> ServedMedia:
    """The file of a citizen attachment (`citizen`) or staff photo (`staff`) of `ticket`, and
    how to serve it: the stored content type is what a provider claimed, so the bytes decide."""
    if kind == "staff":
        photo = db.session.get(TicketPhoto, item_id)
        if photo is not None and photo.ticket_id == ticket.id:
            path = (media_dir() / photo.path).resolve()
            if path.is_relative_to(media_dir().resolve()) and path.is_file():
                return served_media(path)
    elif kind == "citizen":
        item = db.session.get(MediaAttachment, item_id)
        if item is not None and item.ticket_id == ticket.id and item.state == "stored" and item.path:
            path = Path(item.path)
            if path.is_file():
                return served_media(path)
    raise APIError(404, "not_found", catalogue.text("error.not_found"))


def check_photo(content: bytes, declared_type: str | None) -> tuple[str, str]:
    """(content type, extension) of an acceptable photo, or 413/415 as the API would answer."""
    limit = int(current_app.config["CONSOLE_PHOTO_MAX_BYTES"])
    if len(content) > limit:
        raise APIError(
            413, "payload_too_large", f"Foto terlalu besar (maksimal {limit // (1024 * 1024)} MB)."
        )
    content_type = sniff_image_type(content)
    kind = (content_type, IMAGE_EXTENSIONS[content_type]) if content_type in PHOTO_TYPES else None
    if kind is None or not (declared_type or "").startswith("image/"):
        raise APIError(415, "unsupported_media_type", "Foto harus berupa JPEG, PNG atau WebP.")
    return kind


def keep_after_photo(ticket: Ticket, user: User, photo: bytes, event_id: int | None = None) -> TicketPhoto:
    """Write an "after" photo already checked (`check_photo`) and add its row (not committed):
    tied to `event_id`, or kept for the `resolve` that names its id (services/proof.py)."""
    content_type, extension = check_photo(photo, "image/")
    relative = Path(ticket.ticket_number) / f"after-{secrets.token_hex(8)}{extension}"
    target = media_dir() / "console" / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(photo)
    row = TicketPhoto(
        ticket_id=ticket.id,
        event_id=event_id,
        uploaded_by_user_id=user.id,
        kind="after",
        path=str(Path("console") / relative),
        content_type=content_type,
        size_bytes=len(photo),
    )
    db.session.add(row)
    return row


def resolve_with_photo(
    ticket: Ticket,
    user: User,
    note: str | None,
    public: bool,
    photo: bytes | None = None,
    declared_type: str | None = None,
    geo: tuple[float, float] | None = None,
) -> Ticket:
    """Resolve through the lifecycle, then keep the "after" photo beside the resolve event.

    The photo is checked before the ticket changes (its type here, its place and time by the
    lifecycle, which refuses a `needs_proof` category's resolve without one), so a bad file
    changes nothing; it is written after the resolve commits, so a refused resolve leaves no
    orphan file."""
    if photo:
        check_photo(photo, declared_type)
    # The console holds a `needs_proof` category to its photo whatever PROOF_REQUIRED_FOR_API says.
    details = {"photo_content": photo, "geo": geo, "proof_required": True}
    ticket = apply_action(ticket, user, "resolve", note=note, public=public, details=details)
    if not photo:
        return ticket
    event_id = db.session.scalar(
        select(func.max(TicketEvent.id)).where(
            TicketEvent.ticket_id == ticket.id, TicketEvent.action == "resolve"
        )
    )
    keep_after_photo(ticket, user, photo, event_id)
    db.session.commit()
    return ticket
