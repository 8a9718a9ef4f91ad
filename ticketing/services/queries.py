"""Reading tickets for staff: the scoped query, the work list and the full ticket.

Officers are limited to their own OPD in `scoped_tickets`, the one place every staff read starts
from, so no caller can forget it; wall tokens likewise to what the wall page shows. Lists page
by keyset (newest first, cursor = last id): page 50 costs what page 1 costs.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Select, and_, literal_column, or_, select, union_all

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.models import OPEN_STATUSES, Ticket, TicketEvent, User
from ticketing.models.base import utcnow
from ticketing.models.tickets import EXTERNAL_STATUSES
from ticketing.roles import OPD_SCOPED_ROLES, WALL
from ticketing.schemas import malformed
from ticketing.services.duplicates import possible_duplicate_numbers
from ticketing.services.events import events_since, handoff_fields, isoformat, ticket_basics, wall_ticket
from ticketing.services.intake import normalize_ticket_number
from ticketing.services.lifecycle import actions_for
from ticketing.services.regions import ticket_region_clause, ticket_region_codes
from ticketing.services.transfer_views import transfer_details, transferred_away, transferred_away_ticket

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
# Must match the expression of the GIN index on tickets (models/tickets.py) to be used.
SEARCH_CONFIG = literal_column("'simple'::regconfig")


# A wall token reads what the wall page shows (API.md §4): the open tickets and the day's
# movement, as wall payloads; not the city's history, not addresses, not free-text search.
WALL_HISTORY = timedelta(hours=24)


def scoped_tickets(user: User) -> Select:
    """All tickets `user` may see. Officers: their OPD's only. Walls: open ones and those that
    moved in the last day."""
    # Every account reads its own regions only (services/regions.py), before any role rule.
    query = select(Ticket).where(ticket_region_clause(user))
    if user.role in OPD_SCOPED_ROLES:
        query = query.where(Ticket.opd_code == user.opd_code)
    elif user.role == WALL:
        query = query.where(
            or_(
                Ticket.status.in_(OPEN_STATUSES + EXTERNAL_STATUSES),
                Ticket.updated_at >= utcnow() - WALL_HISTORY,
            )
        )
    return query


def events_for(user: User, since_id: int, limit: int) -> list[dict]:
    """The catch-up feed as `user` may read it: an officer's OPD only, a wall's last day only."""
    return events_since(
        since_id,
        limit=limit,
        region_codes=ticket_region_codes(user),
        opd_code=user.opd_code if user.role in OPD_SCOPED_ROLES else None,
        not_before=utcnow() - WALL_HISTORY if user.role == WALL else None,
    )


def list_item_for(user: User, ticket: Ticket) -> dict:
    """A work-list row: the wall payload for a wall, the full row for people who work tickets."""
    return wall_ticket(ticket) if user.role == WALL else list_item(ticket)


def visible_ticket(user: User, ticket_number: str) -> Ticket:
    """The ticket if `user` may see it; 404 alike for missing and for another OPD's ticket."""
    number = normalize_ticket_number(ticket_number)
    ticket = None
    if number is not None:
        ticket = db.session.scalar(scoped_tickets(user).where(Ticket.ticket_number == number))
        # A ticket transferred to another region stays readable, read-only, where it was (#16).
        ticket = ticket or transferred_away_ticket(user, number)
    if ticket is None:
        raise APIError(404, "not_found", catalogue.text("error.ticket_not_found"))
    return ticket


def encode_cursor(ticket_id: int) -> str:
    return base64.urlsafe_b64encode(str(ticket_id).encode()).decode().rstrip("=")


# Ids are 64-bit: a larger "id" is no cursor of ours and overflows the databases.
MAX_CURSOR_ID = 2**63 - 1


def decode_cursor(cursor: str) -> int:
    """The id in a `next_cursor`; a cursor we never issued is a malformed request (400)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        value = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 19 else -1
    except (binascii.Error, UnicodeDecodeError, ValueError):
        value = -1
    if not 0 <= value <= MAX_CURSOR_ID:
        raise malformed("cursor", catalogue.text("field.cursor"))
    return value


def _search(query: Select, q: str) -> Select:
    number = normalize_ticket_number(q)
    if number is not None:
        return query.where(Ticket.ticket_number == number)
    if db.session.get_bind().dialect.name == "postgresql":
        document = db.func.to_tsvector(SEARCH_CONFIG, Ticket.description)
        return query.where(document.op("@@")(db.func.websearch_to_tsquery(SEARCH_CONFIG, q)))
    # SQLite: every word must appear somewhere in the description (case-insensitive).
    words = [word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for word in q.split()]
    return query.where(and_(*[Ticket.description.ilike(f"%{word}%", escape="\\") for word in words]))


def _newest_of_each_status(query: Select, statuses: list[str], count: int) -> list[Ticket]:
    """`status IN (…) ORDER BY id DESC` walks one OPD's whole history once the open tickets run
    out (page 50 of the queue took 0.5 s on a million tickets). One short index range per
    status on (opd_code, status, id), merged by the database in the same statement, stays a
    few milliseconds at any depth."""
    id_query = query.with_only_columns(Ticket.id)
    newest = union_all(
        *[
            select(
                id_query.where(Ticket.status == status)
                .order_by(Ticket.id.desc())
                .limit(count)
                .subquery()
                .c.id
            )
            for status in statuses
        ]
    ).subquery()
    return list(
        db.session.scalars(
            select(Ticket).where(Ticket.id.in_(select(newest.c.id))).order_by(Ticket.id.desc()).limit(count)
        )
    )


@dataclass
class TicketPage:
    items: list[Ticket]
    next_cursor: str | None
    read_only: bool = False  # transferred away: read, never acted on (issue #16)


def list_tickets(
    user: User,
    *,
    status: list[str] | None = None,
    opd: str | None = None,
    category: str | None = None,
    channel: str | None = None,
    overdue: bool | None = None,
    flagged: bool | None = None,
    q: str | None = None,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
    transferred: str | None = None,
) -> TicketPage:
    # `transferred=away`: the tickets transferred to another region, read-only (issue #16).
    away = transferred == "away"
    query = transferred_away(user) if away else scoped_tickets(user)
    if status and len(status) == 1:
        query = query.where(Ticket.status == status[0])
    if opd:
        query = query.where(Ticket.opd_code == opd)
    if category:
        query = query.where(Ticket.category_code == category)
    if channel:
        query = query.where(Ticket.channel == channel)
    if overdue is not None:
        query = query.where(Ticket.overdue.is_(overdue))
    if flagged is not None:
        query = query.where(Ticket.flagged_for_supervisor.is_(flagged))
    if q and q.strip():
        if user.role == WALL:  # the wall shows summaries; search reads every description
            raise APIError(403, "forbidden", catalogue.text("error.wall_search"))
        query = _search(query, q.strip())
    if cursor:
        query = query.where(Ticket.id < decode_cursor(cursor))
    limit = max(1, min(limit, MAX_LIMIT))
    if status and len(status) > 1:
        rows = _newest_of_each_status(query, sorted(set(status)), limit + 1)
    else:
        rows = list(db.session.scalars(query.order_by(Ticket.id.desc()).limit(limit + 1)))
    next_cursor = encode_cursor(rows[limit - 1].id) if len(rows) > limit else None
    return TicketPage(items=rows[:limit], next_cursor=next_cursor, read_only=away)


def list_item(ticket: Ticket) -> dict:
    location = None
    if ticket.lat is not None and ticket.lon is not None:
        location = {"lat": ticket.lat, "lon": ticket.lon, "address": ticket.address}
    return {
        **ticket_basics(ticket),
        "flagged_for_supervisor": ticket.flagged_for_supervisor,
        "return_count": ticket.return_count,
        "anonymous": ticket.anonymous,
        "confidential": ticket.confidential,
        "summary": ticket.summary,
        "location": location,
        "kind": ticket.kind,
        "due_at": isoformat(ticket.due_at),
        "incident": ticket.incident_id,
        **handoff_fields(ticket),
    }


def reporter_for(user: User, ticket: Ticket) -> dict | None:
    """Who filed it, for those who may know: never to walls, never to officers if anonymous."""
    if user.role == WALL or (ticket.anonymous and user.role in OPD_SCOPED_ROLES):
        return None
    return {"name": ticket.reporter_name, "phone": ticket.reporter_phone, "email": ticket.reporter_email}


def kind_details(ticket: Ticket) -> dict:
    """Issue #17: an information request's decision and objection, a hold, a close reason."""
    return {
        "decision": ticket.decision,
        "exemption": ticket.exemption,
        "decided_at": isoformat(ticket.decided_at),
        "extended_at": isoformat(ticket.extended_at),
        "objection_at": isoformat(ticket.objection_at),
        "objection_reason": ticket.objection_reason,
        "objection_ground": ticket.objection_ground,
        "objection_decision": ticket.objection_decision,
        "held_at": isoformat(ticket.held_at),
        "hold_until": isoformat(ticket.hold_until),
        "close_reason": ticket.close_reason,
    }


def ticket_detail(user: User, ticket: Ticket) -> dict:
    events = db.session.scalars(
        select(TicketEvent).where(TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.id)
    )
    duplicate_of = None
    if ticket.duplicate_of_id:
        duplicate_of = db.session.scalar(
            select(Ticket.ticket_number).where(Ticket.id == ticket.duplicate_of_id)
        )
    detail = list_item(ticket)
    detail.update(
        {
            "description": ticket.description,
            "reporter": reporter_for(user, ticket),
            "routing_confidence": ticket.routing_confidence,
            "routed_at": isoformat(ticket.routed_at),
            "assigned_at": isoformat(ticket.assigned_at),
            "accepted_at": isoformat(ticket.accepted_at),
            "resolved_at": isoformat(ticket.resolved_at),
            "closed_at": isoformat(ticket.closed_at),
            "reminded_at": isoformat(ticket.reminded_at),
            "escalated_at": isoformat(ticket.escalated_at),
            "rejection_reason": ticket.rejection_reason,
            "duplicate_of": duplicate_of,
            "reopen_count": ticket.reopen_count,
            "feedback": None
            if ticket.feedback_rating is None
            else {
                "rating": ticket.feedback_rating,
                "comment": ticket.feedback_comment,
                "at": isoformat(ticket.feedback_at),
                "channel": ticket.feedback_channel,
            },
            "allowed_actions": actions_for(user.role, ticket.status, ticket.kind),
            **kind_details(ticket),
            # Routing (services/routing.py): the area found and open tickets this one may repeat.
            "kelurahan": ticket.kelurahan_code,
            "kecamatan": ticket.kecamatan_code,
            "possible_duplicates": possible_duplicate_numbers(ticket),
            # Transfers between regions (issue #16): proposal, transfers, read-only for the sender.
            **transfer_details(user, ticket),
            "history": [
                {
                    "event_id": e.id,
                    "type": e.type,
                    "action": e.action,
                    "from_status": e.from_status,
                    "to_status": e.to_status,
                    "actor": e.actor_label,
                    "note": e.note,
                    "public": e.public,
                    "data": e.data,
                    "at": isoformat(e.created_at),
                }
                for e in events
            ],
        }
    )
    return detail


def latest_ticket_of(phone: str) -> Ticket | None:
    """The newest ticket this phone (or chat id) reported, in any region: what a chat citizen's
    short answer is about ("4" rates it, "sudah beres" confirms its fix, `SKM <code>` on a
    province-wide number surveys its city). Not a staff read: the caller is the citizen."""
    return db.session.scalar(
        select(Ticket).where(Ticket.reporter_phone == phone).order_by(Ticket.id.desc()).limit(1)
    )
