"""Prometheus figures, computed at scrape time from the database and the RQ queues.

Nothing is counted in process memory: with several gunicorn workers and RQ workers, in-memory
counters would each see a slice. The database already records every ticket and message, so a
scrape reads the truth, whichever process answers it. Totals only grow (tickets and outbox rows
are never deleted), so they are honest Prometheus counters.
"""

from __future__ import annotations

from sqlalchemy import case, func, select

from ticketing.extensions import db
from ticketing.models import OPEN_STATUSES, Ticket
from ticketing.models.messages import OutboxMessage
from ticketing.queueing import ALL_QUEUES, get_queue, redis_connection

# Routing latency buckets (seconds): a routed ticket normally takes well under a second.
ROUTING_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 3600.0)
SENT_STATES = ("sent", "delivered", "read")


def _latency_seconds():
    """routed_at − created_at in seconds, in the dialect's own date arithmetic."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", Ticket.routed_at - Ticket.created_at)
    return (func.julianday(Ticket.routed_at) - func.julianday(Ticket.created_at)) * 86400.0


def intake_by_channel() -> dict[str, int]:
    return dict(db.session.execute(select(Ticket.channel, func.count()).group_by(Ticket.channel)).all())


def routing_latency() -> tuple[list[tuple[float, int]], int, float]:
    """Cumulative bucket counts, total count and sum, over every routed ticket (one scan)."""
    latency = _latency_seconds()
    columns = [func.sum(case((latency <= bound, 1), else_=0)) for bound in ROUTING_BUCKETS]
    row = db.session.execute(
        select(func.count(), func.coalesce(func.sum(latency), 0.0), *columns).where(
            Ticket.routed_at.is_not(None)
        )
    ).one()
    count, total, *buckets = row
    return (
        [(bound, int(n or 0)) for bound, n in zip(ROUTING_BUCKETS, buckets, strict=False)],
        int(count or 0),
        float(total or 0.0),
    )


def overdue_by_opd() -> dict[str, int]:
    return {
        opd or "-": n
        for opd, n in db.session.execute(
            select(Ticket.opd_code, func.count())
            .where(Ticket.status.in_(OPEN_STATUSES), Ticket.overdue.is_(True))
            .group_by(Ticket.opd_code)
        )
    }


def open_by_status() -> dict[str, int]:
    counts = {status: 0 for status in OPEN_STATUSES}
    counts.update(
        db.session.execute(
            select(Ticket.status, func.count())
            .where(Ticket.status.in_(OPEN_STATUSES))
            .group_by(Ticket.status)
        ).all()
    )
    return counts


def outbound_by_channel_state() -> dict[tuple[str, str], int]:
    return {
        (channel, state): n
        for channel, state, n in db.session.execute(
            select(OutboxMessage.channel, OutboxMessage.state, func.count()).group_by(
                OutboxMessage.channel, OutboxMessage.state
            )
        )
    }


def queue_depths() -> dict[str, int] | None:
    """Jobs waiting per RQ queue; None when Redis does not answer."""
    from redis.exceptions import RedisError

    try:
        connection = redis_connection()
        return {name: get_queue(name, connection).count for name in ALL_QUEUES}
    except RedisError:
        return None


def snapshot() -> dict:
    figures = {
        "intake": intake_by_channel(),
        "routing": routing_latency(),
        "overdue": overdue_by_opd(),
        "open": open_by_status(),
        "outbound": outbound_by_channel_state(),
    }
    db.session.rollback()  # end the read transaction before talking to Redis
    figures["queues"] = queue_depths()
    return figures
