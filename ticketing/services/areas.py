"""Area units of the city: which kelurahan/kecamatan a complaint is in, and their offices as OPDs.

The polygons are read once per process (AREAS_GEOJSON_PATH); the kelurahan and kecamatan offices
are Opd rows of kind `kelurahan`/`kecamatan` (KEL-BANDAR-LOR, KEC-MOJOROTO) so their officers log
in and work a queue exactly like an agency's.
"""

from __future__ import annotations

import logging
import threading

from flask import current_app

from ticketing.router.areas import AreaIndex, AreaMatch
from ticketing.router.categories import area_unit_kind
from ticketing.services.regions import default_region_code, find_opd

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


def unit_opd_for(
    unit_target: str | None, match: AreaMatch | None, region_code: str | None = None
) -> tuple[str | None, str | None]:
    """For "@kelurahan"/"@kecamatan": (the office's Opd code or None, the kind wanted), an
    office of `region_code` (default: the default region, whose areas AREAS_GEOJSON_PATH holds).

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
    office = find_opd(region_code or default_region_code(), unit.opd_code)
    if office is None or not office.active:
        return None, kind
    return office.code, kind
