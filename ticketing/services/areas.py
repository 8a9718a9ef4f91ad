"""Area units of the city: which kelurahan/kecamatan a complaint is in, and their offices as OPDs.

The polygons are read once per process (AREAS_GEOJSON_PATH); the kelurahan and kecamatan offices
are Opd rows of kind `kelurahan`/`kecamatan` (KEL-BANDAR-LOR, KEC-MOJOROTO) so their officers log
in and work a queue exactly like an agency's.
"""
from __future__ import annotations

import logging
import threading

from flask import current_app

from ticketing.extensions import db
from ticketing.models import Category, Opd
from ticketing.router.areas import AreaIndex, AreaMatch
from ticketing.router.categories import area_unit_kind, load_area_categories
from ticketing.services.seeding import get_or_add

log = logging.getLogger(__name__)

_indexes: dict[str, AreaIndex] = {}
_lock = threading.Lock()


def get_area_index() -> AreaIndex:
    path = current_app.config["AREAS_GEOJSON_PATH"]
    index = _indexes.get(path)
    if index is None:
        with _lock:
            index = _indexes.get(path)
            if index is None:
                index = _indexes[path] = AreaIndex(path)
    return index


def locate(lat: float | None, lon: float | None, text: str | None) -> AreaMatch | None:
    return get_area_index().locate(lat, lon, text)


def unit_opd_for(unit_target: str | None, match: AreaMatch | None) -> tuple[str | None, str | None]:
    """For "@kelurahan"/"@kecamatan": (the office's Opd code or None, the kind wanted).

    None when the place is unknown, or when the office was never seeded or is inactive: the
    ticket then goes to triage rather than to a queue nobody reads."""
    kind = area_unit_kind(unit_target)
    if kind is None:
        return None, None
    unit = None
    if match is not None:
        unit = match.kelurahan if kind == "kelurahan" else match.kecamatan
    if unit is None:
        return None, kind
    office = db.session.get(Opd, unit.opd_code)
    if office is None or not office.active:
        return None, kind
    return office.code, kind


def seed_area_units() -> dict[str, int]:
    """Kecamatan and kelurahan offices as OPDs, and the categories they handle; idempotent.

    Kept apart from the agency seeding so that screens built around the agencies (the wall's
    OPD board, the monthly report) choose whether to show the 49 offices."""
    index = get_area_index()
    created = {"units": 0, "categories": 0}
    for unit in index.units():
        office = get_or_add(Opd, unit.opd_code, created, "units")
        office.name = f"{'Kelurahan' if unit.kind == 'kelurahan' else 'Kecamatan'} {unit.name}"
        office.kind = unit.kind
        office.handles = ("surat pengantar dan keterangan, pelayanan kantor, lingkungan RT/RW"
                          if unit.kind == "kelurahan" else "pelayanan kantor kecamatan")
    db.session.flush()
    for row in load_area_categories():
        category = get_or_add(Category, row["code"], created, "categories")
        category.name = row["name"]
        # No default agency: the office is the ticket's own kelurahan/kecamatan (routing.py).
        category.default_opd_code = None
        category.sla_hours = row.get("sla_hours", 72)
        category.sla_24x7 = False
    db.session.commit()
    return created
