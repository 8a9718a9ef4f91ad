"""Bodies outside the city (PLN, BPJN, the police, a developer) and the tickets handed to them.

An outside body is reference data of a region, like an OPD: (region_code, code) is its key. A
hand-off is one forwarding of one ticket to one body; the body's staff answer through a signed
link in the e-mail (services/handoffs.py), without an account. The ticket keeps a copy of the
body's code, its reference and expected date for every payload (no join on the hot paths); the
hand-off row is the record of who acknowledged, updated and finished it, and when.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, ForeignKeyConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ticketing.extensions import db
from ticketing.models.base import IdMixin, TimestampMixin, UTCDateTime
from ticketing.models.regions import region_column

# What kind of body it is (shown in the console and the API; no behaviour hangs on it).
EXTERNAL_BODY_KINDS = ("utility", "national_agency", "provincial_agency", "police", "private", "other")
# sent → acknowledged → done; `recalled` when the command centre took the ticket back.
HANDOFF_STATES = ("sent", "acknowledged", "done", "recalled")
OPEN_HANDOFF_STATES = ("sent", "acknowledged")


class ExternalBody(db.Model):
    __tablename__ = "external_bodies"

    region_code: Mapped[str] = region_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(24), nullable=False, default="other")
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)


class ExternalHandoff(IdMixin, TimestampMixin, db.Model):
    """One forwarding of a ticket to a body. A ticket's current hand-off is its newest row."""

    __tablename__ = "external_handoffs"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), nullable=False)
    body_region_code: Mapped[str] = mapped_column(String(16), nullable=False)
    body_code: Mapped[str] = mapped_column(String(32), nullable=False)
    state: Mapped[str] = mapped_column(String(16), default="sent", nullable=False)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    forwarded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_update_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Reminders to the body (services/handoffs.py `send_reminders`): the last one and how many,
    # so a sweep that runs twice reminds once.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reminder_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)

    __table_args__ = (
        ForeignKeyConstraint(
            ["body_region_code", "body_code"], ["external_bodies.region_code", "external_bodies.code"]
        ),
        Index("ix_external_handoffs_ticket_id_id", "ticket_id", "id"),
        # The reminder sweep reads the hand-offs still waiting.
        Index("ix_external_handoffs_state_id", "state", "id"),
    )
