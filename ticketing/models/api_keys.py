"""Keys that Open311 clients (city apps, partner dashboards) post service requests with."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ticketing.extensions import db
from ticketing.models.base import IdMixin, UTCDateTime, utcnow
from ticketing.models.regions import region_column


class ApiKey(IdMixin, db.Model):
    __tablename__ = "api_keys"

    # Who the key was given to ("Aplikasi Kediri Smart City"); shown in the ticket history.
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    # The region whose requests the key posts and reads (a province's key: its cities' too).
    region_code: Mapped[str] = region_column()
    # The first characters of the key, so an admin can tell keys apart without the secret.
    key_prefix: Mapped[str] = mapped_column(String(12), nullable=False)
    # SHA-256 of the key: the key is 256 random bits, so a plain hash cannot be brute-forced.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    # What the key may read beyond the public view: None (post requests, read what anyone
    # reads) or "full_detail" (exact locations, addresses, the masked full description), given
    # only explicitly to a partner that works tickets with the city.
    scope: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (Index("ix_api_keys_region_code", "region_code"),)
