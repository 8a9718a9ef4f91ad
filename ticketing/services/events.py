"""Ticket history and the live feed.

`record_event` appends to the history inside the caller's transaction. When that transaction
commits, the events it recorded are pushed to the sockets (never before the commit, never for a
rolled-back one); the payloads are built just before the commit, while the rows are loaded, so
publishing costs no reload queries.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from sqlalchemy import Engine, and_, bindparam, create_engine, func, insert, or_, select, text
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from ticketing import realtime
from ticketing.extensions import db
from ticketing.models import Ticket, TicketEvent, User
from ticketing.models.base import utcnow

# Re-exported: callers masked text through this module before ticketing.pii existed.

# Orders event ids against readers on PostgreSQL: writers hold it shared from their event INSERT
# to their commit (`_insert_and_prepare`), a catch-up read takes it exclusively (`_event_horizon`).
EVENT_ORDER_LOCK_KEY = 7_261_003


def isoformat(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def ticket_basics(ticket: Ticket) -> dict:
    """What every view of a ticket opens with (this module's `wall_ticket`, the staff list's
    `queries.list_item`): which, where it stands, whose, and its clock. Nothing about the
    reporter, so the wall view may start from it too."""
    return {
        "ticket_number": ticket.ticket_number,
        "status": ticket.status,
        "category": ticket.category_code,
        "region": ticket.region_code,
        "opd": ticket.opd_code,
        "channel": ticket.channel,
        "created_at": isoformat(ticket.created_at),
        "updated_at": isoformat(ticket.updated_at),
        "sla_due_at": isoformat(ticket.sla_due_at),
        "overdue": ticket.overdue,
    }


def wall_ticket(ticket: Ticket) -> dict:
    """The only view of a ticket that leaves for screens: no reporter identity, ever."""
    location = None
    if ticket.lat is not None and ticket.lon is not None:
        location = {"lat": round(ticket.lat, 3), "lon": round(ticket.lon, 3)}
    return {
        **ticket_basics(ticket),
        "location": location,
        "summary": ticket.summary,
        "kind": ticket.kind,
        "due_at": isoformat(ticket.due_at),
        "incident": ticket.incident_id,
        **handoff_fields(ticket),
    }


def handoff_fields(ticket: Ticket) -> dict:
    """The outside body a ticket waits on (issue #17, services/handoffs.py), in every payload."""
    return {
        "external_body": ticket.external_body_code,
        "external_reference": ticket.external_reference,
        "external_expected_at": isoformat(ticket.external_expected_at),
    }


def record_event(
    ticket: Ticket,
    *,
    type: str,
    action: str,
    actor: User | None = None,
    actor_label: str | None = None,
    from_status: str | None = None,
    note: str | None = None,
    public: bool = False,
    data: dict | None = None,
) -> TicketEvent:
    """Append one history row for `ticket` (already flushed) to the current transaction.

    The row is inserted when the transaction commits (see `_insert_and_prepare`), not now."""
    event = TicketEvent(
        ticket_id=ticket.id,
        type=type,
        action=action,
        from_status=from_status,
        to_status=ticket.status,
        actor_user_id=actor.id if actor else None,
        actor_label=actor.username if actor else (actor_label or "system"),
        note=note,
        public=public,
        data=data or {},
        created_at=utcnow(),
    )
    db.session.info.setdefault(_PENDING_EVENTS, []).append((event, ticket))
    # The citizen's SMS/WhatsApp notification commits with the event or not at all.
    from ticketing.services.notifications import notify_for_event

    notify_for_event(ticket, event)
    return event


def event_payload(event: TicketEvent, ticket: Ticket) -> dict:
    # `action` tells screens what happened (accept, sla_reminder, sla_escalated, …).
    return {
        "event_id": event.id,
        "type": event.type,
        "action": event.action,
        "at": isoformat(event.created_at),
        "ticket": wall_ticket(ticket),
        # A move between regions (issue #16): both sides, so each region's screens place it.
        **({"transfer": transfer_sides(event.data)} if event.action == "transfer" else {}),
    }


def transfer_sides(data: dict | None) -> dict:
    """The regions and OPDs a transfer moved a ticket between (services/transfers.py)."""
    data = data or {}
    return {
        "from_region": data.get("from_region"),
        "from_opd": data.get("from_opd"),
        "to_region": data.get("to_region"),
        "to_opd": data.get("opd"),
        "returned": bool(data.get("returned")),
    }


_PENDING_EVENTS = "aduan.pending_events"
_READY_PAYLOADS = "aduan.ready_payloads"


@sa_event.listens_for(Session, "before_commit")
def _insert_and_prepare(session) -> None:
    """Insert the transaction's events last, just before the commit.

    PostgreSQL hands out sequence values before commit: a screen catching up could see event 11
    before event 10 commits and skip 10 forever. So every other change is flushed first, then
    the event-order lock is taken *shared* for the event INSERTs and the COMMIT (milliseconds,
    not the whole request), and a catch-up read takes it exclusively (`_event_horizon`): it
    waits for every event id handed out to be committed or rolled back, and reads no later one
    until then. Writers never wait for each other, so their commits share WAL flushes (an
    exclusive lock here queued every commit, with its WAL flush, behind the one before; see
    BENCHMARKS.md "floor"). SQLite is serial already.
    """
    pending = session.info.pop(_PENDING_EVENTS, None)
    if not pending:
        return
    # A ticket created inside a savepoint that rolled back left the session; so do its events.
    pending = [(event, ticket) for event, ticket in pending if ticket in session]
    session.flush()
    _insert_events(session, [event for event, _ in pending], session.get_bind().dialect.name == "postgresql")
    session.info[_READY_PAYLOADS] = [
        (event.type, event_payload(event, ticket), ticket.opd_code) for event, ticket in pending
    ]


_SHARE_EVENT_ORDER = text("SELECT pg_advisory_xact_lock_shared(:key)")
_HOLD_EVENT_ORDER = text("SELECT pg_advisory_xact_lock(:key)")


def _event_horizon() -> int | None:
    """The highest event id that no event still to be committed can come below (PostgreSQL;
    None on SQLite, where writes are serial). Read in a short transaction of its own under the
    event-order lock held exclusively: that waits for the writers holding ids and keeps new
    ones out only for that instant, whatever the caller's transaction does next."""
    engine = db.session.get_bind()
    if engine.dialect.name != "postgresql":
        return None
    with _horizon_engine(engine.url.render_as_string(hide_password=False)).connect() as connection:
        connection.execute(_HOLD_EVENT_ORDER, {"key": EVENT_ORDER_LOCK_KEY})
        horizon = connection.execute(_LAST_EVENT_ID).scalar() or 0
        connection.rollback()
    return horizon


@lru_cache(maxsize=4)
def _horizon_engine(url: str) -> Engine:
    """A small pool of its own: the caller's request holds a connection of the main pool already,
    and a second one from it for every catch-up could drain that pool when many screens
    reconnect at once (each request holding one and waiting for another)."""
    return create_engine(url, pool_size=1, max_overflow=4, pool_pre_ping=True, hide_parameters=True)


_EVENT_TABLE = TicketEvent.__table__
_EVENT_COLUMNS = [column.key for column in _EVENT_TABLE.columns if column.key != "id"]
_INSERT_EVENTS = insert(_EVENT_TABLE).returning(_EVENT_TABLE.c.id, sort_by_parameter_order=True)
# The one event of most transactions, in the same statement as the shared event-order lock:
# the MATERIALIZED CTE is read, so the lock is held, before the row it feeds draws its id.
_ORDER_CTE = select(func.pg_advisory_xact_lock_shared(EVENT_ORDER_LOCK_KEY)).cte("event_order")
_INSERT_ONE_EVENT_IN_ORDER = (
    insert(_EVENT_TABLE)
    .from_select(
        _EVENT_COLUMNS,
        select(*(bindparam(key, type_=_EVENT_TABLE.c[key].type) for key in _EVENT_COLUMNS)).select_from(
            _ORDER_CTE.prefix_with("MATERIALIZED")
        ),
    )
    .returning(_EVENT_TABLE.c.id)
)


def _insert_events(session, events: list[TicketEvent], ordered: bool) -> None:
    """One INSERT … RETURNING id for the transaction's events, in the order they were recorded,
    after the event-order lock (`ordered`, PostgreSQL) is taken shared.

    A Core INSERT, not a flush: the events are append-only and never change afterwards, so the
    unit of work's bookkeeping would be pure cost on every write path (about a third of a web
    complaint's CPU before). The objects stay transient, with their ids set, for the payloads."""
    rows = [{key: getattr(event, key) for key in _EVENT_COLUMNS} for event in events]
    connection = session.connection()
    if ordered and len(rows) == 1:
        ids = connection.execute(_INSERT_ONE_EVENT_IN_ORDER, rows[0]).scalars()
    else:
        if ordered:
            connection.execute(_SHARE_EVENT_ORDER, {"key": EVENT_ORDER_LOCK_KEY})
        ids = connection.execute(_INSERT_EVENTS, rows).scalars()
    for event, event_id in zip(events, ids, strict=True):
        event.id = event_id


@sa_event.listens_for(Session, "after_commit")
def _publish_after_commit(session) -> None:
    """Push committed events to the wall and to the owning OPD's officers."""
    for name, payload, opd_code in session.info.pop(_READY_PAYLOADS, None) or ():
        realtime.publish(name, payload, opd_code=opd_code)


@sa_event.listens_for(Session, "after_transaction_end")
def _forget_at_transaction_end(session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction, not a savepoint
        session.info.pop(_PENDING_EVENTS, None)
        session.info.pop(_READY_PAYLOADS, None)


def events_since(
    since_id: int,
    *,
    opd_code: str | None = None,
    limit: int = 500,
    not_before: datetime | None = None,
    region_codes: list[str] | None = None,
) -> list[dict]:
    """Catch-up feed for screens that were away; `region_codes` limits it to those regions'
    tickets, `opd_code` to one OPD's, `not_before` to events of a recent window (a wall reads
    its day, not the city's history). A ticket transferred away still brings its transfer
    event to the region (and OPD) it left, as the live push does: a screen that was away then
    learns it left, and nothing that happened to it afterwards."""
    query = (
        select(TicketEvent, Ticket)
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .where(TicketEvent.id > since_id)
        .order_by(TicketEvent.id)
        .limit(limit)
    )
    here, left = [], [TicketEvent.action == "transfer"]
    if region_codes is not None:
        here.append(Ticket.region_code.in_(region_codes))
        left.append(TicketEvent.data["from_region"].as_string().in_(region_codes))
    if opd_code is not None:
        here.append(Ticket.opd_code == opd_code)
        left.append(TicketEvent.data["from_opd"].as_string() == opd_code)
    if here:
        query = query.where(or_(and_(*here), and_(*left)))
    if not_before is not None:
        query = query.where(TicketEvent.created_at >= not_before)
    if (horizon := _event_horizon()) is not None:
        query = query.where(TicketEvent.id <= horizon)  # the later ones come with the next read
    return [event_payload(event, ticket) for event, ticket in db.session.execute(query)]


def latest_event_id() -> int:
    """Where a screen that just loaded its snapshot resumes: no event below it is still to come."""
    horizon = _event_horizon()
    return horizon if horizon is not None else db.session.scalar(_LAST_EVENT_ID) or 0


_LAST_EVENT_ID = select(db.func.max(TicketEvent.id))
