"""The bodies responsible (OPD) and the complaint categories they own.

Codes are the natural keys: they are part of the external contract and never change. They are
unique within a region (issue #16): Kediri's `PUPR` and Blitar's `PUPR` are two agencies, so the
primary keys are (region_code, code); look rows up with services/regions.py (`find_opd`,
`find_category`), never by code alone.
"""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKeyConstraint, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from ticketing.extensions import db
from ticketing.models.regions import region_column


class Opd(db.Model):
    __tablename__ = "opds"

    region_code: Mapped[str] = region_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    handles: Mapped[str] = mapped_column(Text, default="", nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    # `agency` (a dinas/badan), or an area office that receives tickets like one: `kecamatan`,
    # `kelurahan` (services/areas.py seeds them as KEC-<code>, KEL-<code>).
    kind: Mapped[str] = mapped_column(String(16), default="agency", server_default="agency", nullable=False)


class Category(db.Model):
    __tablename__ = "categories"

    region_code: Mapped[str] = region_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(48), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    # An OPD of the category's own region.
    default_opd_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    sla_hours: Mapped[int] = mapped_column(Integer, nullable=False)
    # Fires and disasters run on the clock, not on office hours.
    sla_24x7: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    # Proof of fix (services/proof.py): resolving needs an "after" photo taken at the place.
    needs_proof: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(), nullable=False)

    __table_args__ = (
        ForeignKeyConstraint(["region_code", "default_opd_code"], ["opds.region_code", "opds.code"]),
    )
