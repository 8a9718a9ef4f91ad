"""The outbox: every message to a citizen is a row first, written in the transaction of the event
that causes it, and sent afterwards by a job.

Send protocol, per row: claim it (queued → sending, attempts + 1, committed) before calling the
provider, then mark it sent with the provider's id. Twilio's Messages API and Meta's Cloud API
take no idempotency key, so a process that dies after the provider accepted but before the
row was marked sent leaves it `sending`; the sweep sends it again after
OUTBOX_SENDING_STALE_SECONDS and counts the attempt in `ambiguous_attempts` (the citizen may get
it twice; a lost acknowledgement is the worse failure). Gateway rows are `held` and collected by
the gateway with the row id as its idempotency key, so they are never sent twice.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from rq import Retry
from sqlalchemy import case, or_, select, update
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from ticketing.extensions import db
from ticketing.models import CHAT_CHANNELS, InboundMessage, OutboxMessage, Ticket
from ticketing.models.base import utcnow
from ticketing.models.tickets import ASSISTED_CHANNELS
from ticketing.queueing import QUEUE_OUTBOUND, SEND_OUTBOX_JOB, try_enqueue
from ticketing.services.chat_markup import telegram_buttons, telegram_reply_markup, whatsapp_interactive

log = logging.getLogger(__name__)

WHATSAPP_PROVIDERS = ("meta_whatsapp",)
WHATSAPP_WINDOW = timedelta(hours=24)
# Delivery states only move forward: a late `sent` callback never undoes `delivered`.
STATE_RANK = {"queued": 0, "sending": 1, "held": 1, "sent": 2, "delivered": 3, "read": 4}
_PENDING_KEY = "aduan_outbox_pending"


class TransientSendError(Exception):
    """The provider may accept it later (5xx, 429, timeout, connection refused)."""


class PermanentSendError(Exception):
    """Retrying will not help (4xx: bad number, bad credentials, template rejected)."""


class RetryLater(Exception):
    """Raised by the job so that RQ schedules the next attempt with backoff."""


@dataclass
class SendRequest:
    """What a sender needs; senders never touch the database."""

    outbox_id: int
    channel: str  # the provider door actually used (may differ from the row's on fallback)
    recipient: str
    body: str
    idempotency_key: str
    template: str | None = None
    template_language: str = "id"
    template_params: list = field(default_factory=list)
    row_channel: str | None = None  # the row's own door, when `channel` is a fallback
    # Telegram inline keyboard rows of (label, callback data): the answers the message asks for.
    buttons: list = field(default_factory=list)
    # E-mail to an outside body (services/handoff_mail.py): its subject and attachments as
    # (file name, content type, bytes).
    subject: str = ""
    attachments: list = field(default_factory=list)
    # A WhatsApp Cloud API `interactive` object (reply buttons, a list, a location request).
    interactive: dict | None = None
    # A Telegram reply keyboard (the location request), when no inline buttons are asked for.
    reply_markup: dict | None = None


# -- writing rows ------------------------------------------------------------------------------


def add_message(
    *,
    ticket: Ticket | None,
    channel: str,
    recipient: str,
    kind: str,
    body: str,
    template_params: list | None = None,
) -> OutboxMessage:
    """Add a row to the current transaction; it is dispatched after commit."""
    row = OutboxMessage(
        ticket_id=ticket.id if ticket is not None else None,
        channel=channel,
        recipient=recipient,
        kind=kind,
        body=body,
        template_params=list(template_params or []),
        idempotency_key=uuid.uuid4().hex,
        state="held" if channel == "gateway" else "queued",
    )
    db.session.add(row)
    return row


def reply_route(ticket: Ticket) -> tuple[str, str] | None:
    """(provider, recipient) the citizen used for this ticket, or None for other channels."""
    if not ticket.reporter_phone:
        return None
    if ticket.channel in ASSISTED_CHANNELS:
        # A caller or walk-in gave a number for updates: SMS, by whichever SMS door is set up.
        if not current_app.config.get("TWILIO_ACCOUNT_SID") and current_app.config.get("SMS_GATEWAY_SECRET"):
            return "gateway", ticket.reporter_phone
        return "twilio_sms", ticket.reporter_phone
    if ticket.channel not in CHAT_CHANNELS:
        return None
    provider = db.session.scalar(
        select(InboundMessage.provider)
        .where(InboundMessage.ticket_id == ticket.id)
        .order_by(InboundMessage.id)
        .limit(1)
    )
    if provider is None:
        provider = {"whatsapp": "meta_whatsapp", "telegram": "telegram"}.get(ticket.channel, "twilio_sms")
    return provider, ticket.reporter_phone


# -- dispatch after commit ---------------------------------------------------------------------


@sa_event.listens_for(Session, "after_flush")
def _collect_new_rows(session, flush_context) -> None:
    for obj in session.new:
        if isinstance(obj, OutboxMessage) and obj.state == "queued":
            session.info.setdefault(_PENDING_KEY, set()).add(obj.id)


def dispatch_after_commit(outbox_id: int) -> None:
    """Send an existing row (e.g. a deferred acknowledgement released) once this commits."""
    db.session.info.setdefault(_PENDING_KEY, set()).add(outbox_id)


@sa_event.listens_for(Session, "after_commit")
def _dispatch_after_commit(session) -> None:
    pending = session.info.pop(_PENDING_KEY, None)
    if pending:
        for outbox_id in sorted(pending):
            enqueue_send(outbox_id)


@sa_event.listens_for(Session, "after_transaction_end")
def _forget_at_transaction_end(session, transaction) -> None:
    # The outermost transaction ended: after a commit the ids were already dispatched above;
    # after a rollback the rows never existed. (A savepoint ending is not the end.)
    if transaction.parent is None:
        session.info.pop(_PENDING_KEY, None)


def retry_intervals() -> list[int]:
    raw = str(current_app.config.get("OUTBOX_RETRY_INTERVALS", "5,30,120,600,1800"))
    return [int(part) for part in raw.split(",") if part.strip()] or [5]


def max_attempts() -> int:
    return len(retry_intervals()) + 1


def enqueue_send(outbox_id: int, job_id: str | None = None) -> bool:
    intervals = retry_intervals()
    return try_enqueue(
        SEND_OUTBOX_JOB,
        outbox_id,
        queue=QUEUE_OUTBOUND,
        job_id=job_id or f"outbox-{outbox_id}",
        retry=Retry(max=len(intervals), interval=intervals),
    )


def requeue_unsent(limit: int = 500) -> int:
    """Sweep: queued rows nobody picked up (Redis was down) and `sending` rows whose sender died.

    A dead sender's RQ job still looks `started`, so the ambiguous resend gets its own job id;
    the claim in `deliver` is what keeps two jobs from sending the same row."""
    now = utcnow()
    queued_cutoff = now - timedelta(seconds=current_app.config.get("OUTBOX_SWEEP_AGE_SECONDS", 60))
    stale_cutoff = now - timedelta(seconds=current_app.config.get("OUTBOX_SENDING_STALE_SECONDS", 300))
    rows = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.state, OutboxMessage.attempts)
        .where(
            or_(
                (OutboxMessage.state == "queued") & (OutboxMessage.updated_at < queued_cutoff),
                (OutboxMessage.state == "sending") & (OutboxMessage.claimed_at < stale_cutoff),
            )
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    db.session.rollback()  # end the read before talking to Redis
    queued = 0
    for outbox_id, state, attempts in rows:
        job_id = f"outbox-{outbox_id}" if state == "queued" else f"outbox-{outbox_id}-a{attempts}"
        queued += enqueue_send(outbox_id, job_id=job_id)
    return queued


# -- sending -----------------------------------------------------------------------------------


def _claim(outbox_id: int) -> tuple[SendRequest, int] | None:
    """Take the row for one attempt: (what to send, the attempt's number), or None when it is
    not ours. The request is read before the claim commits, so nothing is reloaded after."""
    row = db.session.get(OutboxMessage, outbox_id)
    if row is None:
        db.session.rollback()
        return None
    now = utcnow()
    stale = now - timedelta(seconds=current_app.config.get("OUTBOX_SENDING_STALE_SECONDS", 300))
    if row.state == "queued":
        ambiguous = False
    elif row.state == "sending" and row.claimed_at is not None and row.claimed_at < stale:
        ambiguous = True
    else:
        db.session.rollback()
        return None
    # Compare-and-set on (state, attempts): of two racing jobs exactly one wins.
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == outbox_id,
            OutboxMessage.state == row.state,
            OutboxMessage.attempts == row.attempts,
        )
        .values(
            state="sending",
            attempts=row.attempts + 1,
            claimed_at=now,
            updated_at=now,
            ambiguous_attempts=row.ambiguous_attempts + (1 if ambiguous else 0),
        )
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        return None
    request, attempt = build_request(row), row.attempts + 1
    db.session.commit()
    if ambiguous:
        log.warning(
            "outbox %s: previous attempt died after calling the provider; sending again (possible duplicate)",
            outbox_id,
        )
    return request, attempt


def in_whatsapp_window(recipient: str) -> bool:
    last = db.session.scalar(
        select(InboundMessage.received_at)
        .where(InboundMessage.sender == recipient, InboundMessage.provider.in_(WHATSAPP_PROVIDERS))
        .order_by(InboundMessage.id.desc())
        .limit(1)
    )
    return last is not None and utcnow() - last < WHATSAPP_WINDOW


def template_for(kind: str) -> str | None:
    name = current_app.config.get(f"WHATSAPP_TEMPLATE_{kind.upper()}", f"aduan_{kind}")
    return None if not name or name.lower() in {"none", "-"} else name


def chat_buttons(kind: str, params: list) -> list:
    """Buttons for a message that asks a question; each answers with the very text a citizen
    would type (`5`, `CEK <nomor>`), so the conversation reads a tap like a typed reply and
    clients without buttons lose nothing."""
    if kind == "resolved":
        return [[(str(n), str(n)) for n in range(1, 6)]]
    if kind == "cek_choices":
        return [[(str(number), f"CEK {number}")] for number in params[:5]]
    return telegram_buttons(kind, params)


def build_request(row: OutboxMessage) -> SendRequest:
    request = SendRequest(
        outbox_id=row.id,
        channel=row.channel,
        recipient=row.recipient,
        body=row.body,
        idempotency_key=row.idempotency_key,
    )
    if row.channel == "telegram":
        request.buttons = chat_buttons(row.kind, row.template_params or [])
        request.reply_markup = telegram_reply_markup(row.kind)
    elif row.channel in WHATSAPP_PROVIDERS:
        request.interactive = whatsapp_interactive(row.kind, row.body, row.template_params or [])
    elif row.channel == "email":
        from ticketing.services.handoff_mail import email_extras

        request.subject, request.attachments = email_extras(row)
    if row.channel in WHATSAPP_PROVIDERS and not in_whatsapp_window(row.recipient):
        # Free text outside the 24-hour window is rejected by Meta (or silently dropped by some
        # BSPs): use the approved template, else fall back to SMS when Twilio is configured.
        template = template_for(row.kind)
        if template:
            request.template = template
            request.template_language = current_app.config.get("WHATSAPP_TEMPLATE_LANGUAGE", "id")
            request.template_params = list(row.template_params or [])
        elif (
            row.recipient.startswith("+")
            and current_app.config.get("TWILIO_ACCOUNT_SID")
            and current_app.config.get("TWILIO_FROM_NUMBER")
        ):
            # (A username's BSUID has no number to text: it waits for the template or fails.)
            request.row_channel, request.channel = request.channel, "twilio_sms"
    return request


def deliver(outbox_id: int, senders: dict) -> str:
    """One send attempt for one row. Returns the row's state; raises RetryLater for RQ to retry.

    `senders` maps a provider to an object with `send(SendRequest) -> provider_message_id`
    (workers/senders.py); the service never imports worker code. No transaction is held open
    across the provider's HTTP call."""
    claim = _claim(outbox_id)
    if claim is None:
        return "skipped"
    request, attempts = claim
    via = "template" if request.template else ("sms_fallback" if request.row_channel else "text")
    if current_app.config.get("OUTBOUND_MODE") == "log":
        log.info(
            "outbox %s (log mode) to %s via %s: %s",
            outbox_id,
            request.recipient,
            request.channel,
            request.body,
        )
        return _finish(outbox_id, attempts, state="sent", provider_message_id=f"log-{outbox_id}", via="log")
    sender = senders.get(request.channel)
    if sender is None:
        return _finish(outbox_id, attempts, state="failed", error=f"no sender for {request.channel}")
    try:
        provider_id = sender.send(request)
    except PermanentSendError as exc:
        return _finish(outbox_id, attempts, state="failed", error=str(exc)[:1000])
    except TransientSendError as exc:
        if attempts >= max_attempts():
            return _finish(outbox_id, attempts, state="failed", error=str(exc)[:1000])
        _finish(outbox_id, attempts, state="queued", error=str(exc)[:1000])
        raise RetryLater(f"outbox {outbox_id} attempt {attempts}: {exc}") from exc
    return _finish(outbox_id, attempts, state="sent", provider_message_id=provider_id, via=via)


def _finish(
    outbox_id: int,
    attempts: int,
    *,
    state: str,
    provider_message_id: str | None = None,
    via: str | None = None,
    error: str | None = None,
) -> str:
    """Record the attempt's outcome in one UPDATE (no reload of the row)."""
    values: dict = {"updated_at": utcnow()}
    if state == "sent":
        # A status callback may have raced ahead of us and already said `delivered`/`read`.
        values["state"] = case(
            (OutboxMessage.state.in_(("delivered", "read")), OutboxMessage.state), else_="sent"
        )
        values["sent_at"] = utcnow()
    else:
        values["state"] = state
    if provider_message_id is not None:
        values["provider_message_id"] = provider_message_id
    if via is not None:
        values["sent_via"] = via
    if error is not None:
        values["last_error"] = error
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == outbox_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if state == "failed":
        log.error("outbox %s failed for good after %s attempts: %s", outbox_id, attempts, error)
    return state


# -- provider feedback and collection ----------------------------------------------------------


def record_status(provider_message_id: str, status: str, error: str | None = None) -> bool:
    """Meta (and Twilio) status callbacks. Unknown ids are ignored: they may be someone else's."""
    row = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.provider_message_id == provider_message_id)
    )
    if row is None:
        db.session.rollback()
        return False
    status = {"undelivered": "failed"}.get(status, status)
    if status == "failed":
        row.state, row.last_error = "failed", error or "provider reported failure"
    elif status in STATE_RANK and STATE_RANK[status] > STATE_RANK.get(row.state, 0):
        row.state = status
        if status in ("delivered", "read") and row.delivered_at is None:
            row.delivered_at = utcnow()
    db.session.commit()
    return True


def collect_held(limit: int = 50) -> list[dict]:
    """Messages waiting for the SMS gateway. Returned again until acknowledged: the gateway
    de-duplicates by `id`, so a lost answer re-sends nothing."""
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.channel == "gateway", OutboxMessage.state == "held")
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    result = [
        {"id": str(r.id), "to": r.recipient, "text": r.body, "created_at": r.created_at.isoformat()}
        for r in rows
    ]
    db.session.rollback()
    return result


def acknowledge_held(ids: list[int]) -> int:
    now = utcnow()
    done = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.channel == "gateway", OutboxMessage.state == "held")
        .values(
            state="sent",
            sent_at=now,
            updated_at=now,
            sent_via="gateway",
            attempts=OutboxMessage.attempts + 1,
            provider_message_id="gateway-" + db.cast(OutboxMessage.id, db.String),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return done


# -- for operators -----------------------------------------------------------------------------


def failed_outbox(limit: int = 100) -> list[OutboxMessage]:
    """Messages that will not be sent without a person looking at them."""
    return db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.state == "failed")
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    ).all()


def possible_duplicates(limit: int = 100) -> list[OutboxMessage]:
    """Messages re-sent after a crash mid-call: the citizen may have received them twice."""
    return db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.ambiguous_attempts > 0)
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    ).all()
