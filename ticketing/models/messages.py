"""What citizens send us (inbound) and what we send them (the outbox).

Inbound rows are the raw record of every provider delivery; the unique provider message id is
what turns a gateway's hundredth redelivery into a no-op. Outbox rows are written in the same
transaction as the event that causes them and carry their own send state.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ticketing.extensions import db
from ticketing.models.base import BigIntId, IdMixin, TimestampMixin, UTCDateTime, utcnow

# Where a message came in, and therefore which door answers it.
PROVIDERS = ("twilio_sms", "twilio_whatsapp", "meta_whatsapp", "gateway", "telegram")

# queued → sending → sent → delivered (→ read); `held` waits for the gateway to collect it;
# `failed` is final and shown to operators; `deferred` is a chat acknowledgement waiting for
# routing while an incident is active (services/incidents.py releases or replaces it).
OUTBOX_STATES = ("queued", "sending", "held", "sent", "delivered", "read", "failed", "deferred")


class InboundMessage(db.Model):
    __tablename__ = "inbound_messages"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    provider: Mapped[str] = mapped_column(String(24), nullable=False)
    provider_message_id: Mapped[str] = mapped_column(String(128), nullable=False)
    sender: Mapped[str] = mapped_column(String(140), nullable=False)  # E.164, tg:…, wa:<BSUID>
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # text, location, image, …
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    payload: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # What the conversation made of it: ticket, attached, followup, status, help, …
    effect: Mapped[str | None] = mapped_column(String(24), nullable=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True)

    __table_args__ = (
        UniqueConstraint("provider", "provider_message_id", name="uq_inbound_messages_provider_message_id"),
        # "The last complaint from this sender" and the 24-hour WhatsApp window.
        Index("ix_inbound_messages_sender_id", "sender", "id"),
    )


class OutboxMessage(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "outbox_messages"

    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True)
    channel: Mapped[str] = mapped_column(String(24), nullable=False)  # one of PROVIDERS
    recipient: Mapped[str] = mapped_column(String(140), nullable=False)  # as inbound `sender`
    kind: Mapped[str] = mapped_column(String(32), nullable=False)  # ack, routed, resolved, …
    body: Mapped[str] = mapped_column(Text, nullable=False)
    # Template name and parameters for WhatsApp outside the 24-hour window.
    template: Mapped[str | None] = mapped_column(String(128), nullable=True)
    template_params: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    # One key per row: sent to providers that honour one, our own dedupe key otherwise.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    state: Mapped[str] = mapped_column(String(16), default="queued", nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    # Attempts that crashed after the call went out: the provider may have sent it twice.
    ambiguous_attempts: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    # How it actually went out (e.g. "template", "sms_fallback", "log").
    sent_via: Mapped[str | None] = mapped_column(String(24), nullable=True)
    provider_message_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (
        Index("ix_outbox_messages_state_updated_at", "state", "updated_at"),
        Index("ix_outbox_messages_provider_message_id", "provider_message_id"),
        Index("ix_outbox_messages_ticket_id", "ticket_id"),
    )


class MediaAttachment(IdMixin, TimestampMixin, db.Model):
    """A photo or file a citizen sent; the file itself is fetched later by a job."""

    __tablename__ = "media_attachments"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), nullable=False)
    inbound_message_id: Mapped[int] = mapped_column(ForeignKey("inbound_messages.id"), nullable=False)
    provider: Mapped[str] = mapped_column(String(24), nullable=False)
    media_ref: Mapped[str] = mapped_column(String(1000), nullable=False)  # Meta id or Twilio URL
    content_type: Mapped[str | None] = mapped_column(String(100), nullable=True)
    state: Mapped[str] = mapped_column(String(16), default="pending", nullable=False)
    path: Mapped[str | None] = mapped_column(String(500), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Real download attempts (services/media_fetch.py): the sweep gives up after a few.
    fetch_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0", nullable=False)

    __table_args__ = (
        Index("ix_media_attachments_ticket_id", "ticket_id"),
        # The sweep of attachments stuck `pending`.
        Index("ix_media_attachments_state_updated_at", "state", "updated_at"),
    )
