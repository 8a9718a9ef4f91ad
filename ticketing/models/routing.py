"""Links the router leaves for the operators: possible duplicates, never merged automatically."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ticketing.extensions import db
from ticketing.models.base import IdMixin, UTCDateTime, utcnow


class PossibleDuplicate(IdMixin, db.Model):
    """`ticket` (the newer complaint) may report the same problem as `original` (open, nearby,
    similar text, same category). The operator decides: reject as duplicate, or ignore."""

    __tablename__ = "possible_duplicates"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), nullable=False)
    original_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), nullable=False)
    distance_m: Mapped[float] = mapped_column(Float, nullable=False)
    similarity: Mapped[float] = mapped_column(Float, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    __table_args__ = (
        UniqueConstraint("ticket_id", "original_id", name="uq_possible_duplicates_pair"),
        Index("ix_possible_duplicates_original_id", "original_id"),
    )
