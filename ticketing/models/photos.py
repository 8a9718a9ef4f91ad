"""Photos staff attach to a ticket (the "after" photo of a resolution), kept in `media/`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ticketing.extensions import db
from ticketing.models.base import IdMixin, UTCDateTime, utcnow


class TicketPhoto(IdMixin, db.Model):
    __tablename__ = "ticket_photos"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), nullable=False)
    # The history entry the photo belongs to (the resolve), so it shows beside its note.
    event_id: Mapped[int | None] = mapped_column(ForeignKey("ticket_events.id"), nullable=True)
    uploaded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(16), default="after", nullable=False)
    # Relative to MEDIA_DIR, so the media folder can move with the instance.
    path: Mapped[str] = mapped_column(String(300), nullable=False)
    content_type: Mapped[str] = mapped_column(String(40), nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    __table_args__ = (Index("ix_ticket_photos_ticket_id", "ticket_id"),)
