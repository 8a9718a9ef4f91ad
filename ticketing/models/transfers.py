"""Tickets moved from one region to another (issue #16): a city → its province, back, or a
neighbouring city.

The ticket itself moves (its `region_code`, keeping its number, citizen and thread); a transfer
row records the move. `region_code` is the SENDING region: its staff keep reading the ticket
read-only after it left (services/transfers.py), so its indexes lead with it. A transfer the
receiver sent back carries `returned_at` and the reason.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ticketing.extensions import db
from ticketing.models.base import IdMixin, UTCDateTime, utcnow
from ticketing.models.regions import REGION_CODE_LENGTH, region_column


class TicketTransfer(IdMixin, db.Model):
    __tablename__ = "ticket_transfers"

    region_code: Mapped[str] = region_column()
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), nullable=False)
    to_region_code: Mapped[str] = mapped_column(
        String(REGION_CODE_LENGTH), ForeignKey("regions.code"), nullable=False
    )
    # The OPD that held it in the sending region (its officers keep reading it) and the
    # receiver's OPD named by the transfer, if any (else the receiver's triage).
    from_opd_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    to_opd_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    from_status: Mapped[str] = mapped_column(String(16), nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    actor_label: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # Sent back by the receiver (a transfer to this one's sender): when, and the reason given.
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    return_note: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (
        # A region's transferred-away tickets (its read-only list), newest first.
        Index("ix_ticket_transfers_region_id", "region_code", "id"),
        Index("ix_ticket_transfers_region_ticket", "region_code", "ticket_id"),
        # A ticket's transfers, in order (its detail; the open one a send-back closes).
        Index("ix_ticket_transfers_ticket_id", "ticket_id", "id"),
    )
