from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKeyConstraint, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ticketing.extensions import db
from ticketing.models.base import IdMixin, TimestampMixin, UTCDateTime
from ticketing.models.regions import region_column
from ticketing.roles import ROLES

__all__ = ["ROLES", "User"]


class User(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    # The account's region: it sees that region's tickets (a province's, its cities' too).
    region_code: Mapped[str] = region_column()
    # An officer's OPD, in the account's own region.
    opd_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    # Bumped to revoke every token issued so far.
    token_version: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (
        ForeignKeyConstraint(["region_code", "opd_code"], ["opds.region_code", "opds.code"]),
        Index("ix_users_region_role", "region_code", "role"),
    )
