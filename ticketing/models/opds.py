"""The bodies responsible (OPD) and the complaint categories they own.

Codes are the natural keys: they are part of the external contract and never change.
"""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ticketing.extensions import db


class Opd(db.Model):
    __tablename__ = "opds"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    handles: Mapped[str] = mapped_column(Text, default="", nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    # `agency` (a dinas/badan), or an area office that receives tickets like one: `kecamatan`,
    # `kelurahan` (services/areas.py seeds them as KEC-<code>, KEL-<code>).
    kind: Mapped[str] = mapped_column(String(16), default="agency", server_default="agency", nullable=False)


class Category(db.Model):
    __tablename__ = "categories"

    code: Mapped[str] = mapped_column(String(48), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    default_opd_code: Mapped[str | None] = mapped_column(ForeignKey("opds.code"), nullable=True)
    sla_hours: Mapped[int] = mapped_column(Integer, nullable=False)
    # Fires and disasters run on the clock, not on office hours.
    sla_24x7: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
