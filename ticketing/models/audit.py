"""The admin audit log: who changed which user, role, OPD, category or API key, and how.

Append-only like the ticket history; the console shows it, nothing updates or deletes it. Each
entry belongs to the region the change concerns (the account, agency or key changed; else the
actor's), and an admin reads the entries of the regions it sees (issue #16).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ticketing.extensions import db
from ticketing.models.base import BigIntId, UTCDateTime, utcnow
from ticketing.models.regions import region_column


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    region_code: Mapped[str] = region_column()
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    # The username at the time, so the entry still reads right after a rename or removal.
    actor_label: Mapped[str] = mapped_column(String(64), nullable=False)
    action: Mapped[str] = mapped_column(String(48), nullable=False)  # user.create, opd.update, …
    target_type: Mapped[str] = mapped_column(String(24), nullable=False)
    target_id: Mapped[str] = mapped_column(String(64), nullable=False)
    # {field: [old, new]}; secrets (passwords, keys) are recorded as changed, never by value.
    changes: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)

    __table_args__ = (
        # The audit page (newest first) and each admin page's recent changes of one kind.
        Index("ix_audit_entries_region_id", "region_code", "id"),
        Index("ix_audit_entries_region_target", "region_code", "target_type", "id"),
    )
