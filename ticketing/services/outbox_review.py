"""The operator's look at messages that failed for good: what went wrong in words, a retry, or
"handled" once the citizen was reached another way. Both are logged in the audit log."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select, update

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.models import OutboxMessage, Ticket, User
from ticketing.models.base import utcnow
from ticketing.services.administration import record
from ticketing.services.outbox import enqueue_send

FAILED, QUEUED, HANDLED = "failed", "queued", "handled"
# The sender's error texts (workers/senders.py, services/outbox.py) by what they mean.
ERROR_PATTERNS = (
    (re.compile(r"unreachable"), "outbox.error.unreachable"),
    (re.compile(r"answered (5\d\d|408|409|425|429)\b"), "outbox.error.provider_down"),
    (re.compile(r"answered 4\d\d\b"), "outbox.error.refused"),
    (re.compile(r"without JSON"), "outbox.error.unclear"),
    (re.compile(r"no sender for"), "outbox.error.no_sender"),
)


@dataclass
class FailedMessage:
    row: OutboxMessage
    ticket_number: str | None
    kind_text: str
    error_text: str


def error_in_words(error: str | None) -> str:
    for pattern, key in ERROR_PATTERNS:
        if error and pattern.search(error):
            return catalogue.text(key)
    return catalogue.text("outbox.error.other")


def failed_messages(limit: int = 100) -> list[FailedMessage]:
    """Messages that will not be sent without a person looking at them, newest first."""
    rows = db.session.execute(
        select(OutboxMessage, Ticket.ticket_number)
        .outerjoin(Ticket, Ticket.id == OutboxMessage.ticket_id)
        .where(OutboxMessage.state == FAILED)
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    ).all()
    return [
        FailedMessage(
            row,
            number,
            catalogue.text(f"outbox.kind.{row.kind}")
            if f"outbox.kind.{row.kind}" in catalogue.CATALOGUE["id"]
            else row.kind,
            error_in_words(row.last_error),
        )
        for row, number in rows
    ]


def _take_failed(outbox_id: int, state: str) -> OutboxMessage:
    """Move one failed row to `state` with a compare-and-set: two operators, one change."""
    changed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == outbox_id, OutboxMessage.state == FAILED)
        .values(state=state, updated_at=utcnow(), **({"attempts": 0} if state == QUEUED else {}))
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        db.session.rollback()
        raise APIError(409, "invalid_transition", catalogue.text("error.outbox_not_failed"))
    return db.session.get(OutboxMessage, outbox_id)


def retry_failed(actor: User, outbox_id: int) -> OutboxMessage:
    """Send a failed message again with a fresh set of attempts."""
    row = _take_failed(outbox_id, QUEUED)
    record(actor, "outbox.retry", "outbox", row.id, {"state": [FAILED, QUEUED]})
    db.session.commit()
    enqueue_send(row.id, job_id=f"outbox-{row.id}-retry-{utcnow().timestamp():.0f}")
    return row


def mark_handled(actor: User, outbox_id: int) -> OutboxMessage:
    """The citizen was reached another way: the message leaves the failed list."""
    row = _take_failed(outbox_id, HANDLED)
    record(actor, "outbox.handled", "outbox", row.id, {"state": [FAILED, HANDLED]})
    db.session.commit()
    return row
