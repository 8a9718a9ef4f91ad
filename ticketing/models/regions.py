"""Regions: the jurisdictions one deployment serves (issue #16), by Kemendagri code.

A province (`35` Jawa Timur) and its cities and regencies (`35.71` Kota Kediri, `35.72` Kota
Blitar). Every tenant table carries `region_code` and its indexes lead with it: OPDs,
categories (their primary keys are (region_code, code): codes are unique within a region only),
users, API keys and tickets. The kecamatan/kelurahan offices are OPD rows, the SLA calendar is
config (holidays.json), so both follow from those tables.

The ticket's children (history events, outbox and inbound messages, media, photos, possible
duplicates) reach their region through their ticket and carry no copy: every staff read of them
starts from a ticket already scoped by region (services/regions.py), and a transfer to another
region (issue #16) moves a ticket with its whole thread by updating one row, where copies would
have to be rewritten in step. Audit entries belong to the accounts that wrote them.

A single-city deployment has one region, `DEFAULT_REGION`; nobody needs to name it.
"""

from __future__ import annotations

import hashlib
import json

from flask import current_app, has_app_context
from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, validates

from config.settings import env_str
from ticketing.extensions import db

DEFAULT_REGION_CODE = "35.71"
REGION_CODE_LENGTH = 16


def default_region_code() -> str:
    """`DEFAULT_REGION`: the region of everything nobody placed elsewhere (a single city's all)."""
    if has_app_context():
        return current_app.config.get("DEFAULT_REGION") or DEFAULT_REGION_CODE
    return env_str("DEFAULT_REGION", DEFAULT_REGION_CODE)


def boundary_digest(boundary: dict | None) -> str | None:
    if boundary is None:
        return None
    canonical = json.dumps(boundary, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def region_column(**kwargs) -> Mapped[str]:
    """`region_code` of a tenant table: NOT NULL, the default region when none is given."""
    return mapped_column(
        String(REGION_CODE_LENGTH),
        ForeignKey("regions.code"),
        nullable=False,
        default=default_region_code,
        **kwargs,
    )


class Region(db.Model):
    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(REGION_CODE_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    # The province of a city or regency; None for a province (or a lone city).
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), nullable=True)
    population: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # A GeoJSON geometry (Polygon/MultiPolygon, lon-lat): where a located complaint belongs.
    # Tens of KB a city: loaded only when read (a region row is read on most requests).
    boundary: Mapped[dict | None] = mapped_column(JSON(none_as_null=True), nullable=True, deferred=True)
    # SHA-256 of the boundary's canonical JSON, set with it: a process keeps each prepared
    # shape until the digest changes, without reading the boundaries for every located complaint.
    boundary_digest: Mapped[str | None] = mapped_column(String(64), nullable=True)

    @validates("boundary")
    def _digest_boundary(self, _key: str, boundary: dict | None) -> dict | None:
        self.boundary_digest = boundary_digest(boundary)
        return boundary
