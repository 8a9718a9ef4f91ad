"""The admin audit log: who changed which user, role, OPD, category or API key, and how.

Append-only like the ticket history; the console shows it, nothing updates or deletes it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ticketing.extensions import db
from ticketing.models.base import BigIntId, UTCDateTime, utcnow


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    # The username at the time, so the entry still reads right after a rename or removal.
    actor_label: Mapped[str] = mapped_column(String(64), nullable=False)
    action: Mapped[str] = mapped_column(String(48), nullable=False)  # user.create, opd.update, …
    target_type: Mapped[str] = mapped_column(String(24), nullable=False)
    target_id: Mapped[str] = mapped_column(String(64), nullable=False)
    # {field: [old, new]}; secrets (passwords, keys) are recorded as changed, never by value.
    changes: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)

    __table_args__ = (Index("ix_audit_entries_target", "target_type", "target_id"),)
