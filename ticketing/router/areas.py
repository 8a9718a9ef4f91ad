"""Kelurahan and kecamatan of a complaint: point-in-polygon on the city's GeoJSON, or a place name
in the text ("kel. Bandar Lor", "kec. Mojoroto", "di Sukorame"). Pure Python + shapely.

The GeoJSON (config/areas/kediri.geojson) holds one Feature per unit with properties `kind`
(kelurahan | kecamatan), `code`, `name`, `kecamatan_code`, `opd_code`, `aliases`, `needs_prefix`.
A city replaces the file with its official boundaries carrying the same properties.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from shapely import STRtree, prepare
from shapely.geometry import Point, shape

from ticketing.router.normalize import normalize

AREAS_PATH = Path(__file__).resolve().parents[2] / "config" / "areas" / "kediri.geojson"
# Words that introduce an area name. normalize() has already expanded "kel"/"kec" to the full word.
_KELURAHAN_PREFIX = r"(?:kelurahan|kalurahan|desa|ds|kel)"
_KECAMATAN_PREFIX = r"(?:kecamatan|kec|kcmtn)"


@dataclass(frozen=True)
class AreaUnit:
    kind: str  # kelurahan | kecamatan
    code: str
    name: str
    kecamatan_code: str
    opd_code: str


@dataclass(frozen=True)
class AreaMatch:
    kelurahan: AreaUnit | None
    kecamatan: AreaUnit | None
    source: str  # point | text

    @property
    def kelurahan_code(self) -> str | None:
        return self.kelurahan.code if self.kelurahan else None

    @property
    def kecamatan_code(self) -> str | None:
        return self.kecamatan.code if self.kecamatan else None

    def as_data(self) -> dict:
        return {
            "kelurahan": self.kelurahan_code,
            "kecamatan": self.kecamatan_code,
            "area_source": self.source,
        }


class AreaIndex:
    """Loaded once per process (services/areas.py keeps it); lookups are microseconds."""

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        data = json.loads(Path(path or AREAS_PATH).read_text(encoding="utf-8"))
        self.approximate = bool(data.get("approximate"))
        self.kelurahan: dict[str, AreaUnit] = {}
        self.kecamatan: dict[str, AreaUnit] = {}
        geometries, owners = [], []
        prefixed: dict[str, AreaUnit] = {}
        bare: dict[str, AreaUnit] = {}
        kecamatan_names: dict[str, AreaUnit] = {}
        for feature in data["features"]:
            props = feature["properties"]
            unit = AreaUnit(
                kind=props["kind"],
                code=props["code"],
                name=props["name"],
                kecamatan_code=props.get("kecamatan_code") or props["code"],
                opd_code=props["opd_code"],
            )
            names = {normalize(props["name"])} | {normalize(a) for a in props.get("aliases", [])}
            names.discard("")
            if unit.kind == "kelurahan":
                self.kelurahan[unit.code] = unit
                geometry = shape(feature["geometry"])
                prepare(geometry)
                geometries.append(geometry)
                owners.append(unit)
                for name in names:
                    prefixed[name] = unit
                    if not props.get("needs_prefix"):
                        bare[name] = unit
            elif unit.kind == "kecamatan":
                self.kecamatan[unit.code] = unit
                for name in names:
                    kecamatan_names[name] = unit
        self._tree = STRtree(geometries)
        self._geometries, self._owners = geometries, owners
        self._prefixed, self._bare, self._kecamatan_names = prefixed, bare, kecamatan_names
        self._kel_prefixed_re = self._pattern(_KELURAHAN_PREFIX + r"\s+", prefixed)
        self._kec_prefixed_re = self._pattern(_KECAMATAN_PREFIX + r"\s+", kecamatan_names)
        self._bare_re = self._pattern("", bare)
        # A kecamatan named like a common word ("kota", "pesantren") needs its prefix; the others
        # are recognised alone ("di Mojoroto").
        self._kec_bare_re = self._pattern(
            "",
            {
                n: u
                for n, u in kecamatan_names.items()
                if not any(
                    f["properties"].get("needs_prefix")
                    for f in data["features"]
                    if f["properties"]["kind"] == "kecamatan" and f["properties"]["code"] == u.code
                )
            },
        )

    @staticmethod
    def _pattern(prefix: str, names: dict[str, AreaUnit]) -> re.Pattern[str] | None:
        if not names:
            return None
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        return re.compile(rf"\b{prefix}({alternatives})\b")

    def _kecamatan_of(self, unit: AreaUnit) -> AreaUnit | None:
        return self.kecamatan.get(unit.kecamatan_code)

    def at_point(self, lat: float, lon: float) -> AreaMatch | None:
        point = Point(lon, lat)
        for i in self._tree.query(point):
            if self._geometries[i].covers(point):
                unit = self._owners[i]
                return AreaMatch(unit, self._kecamatan_of(unit), "point")
        return None

    def in_text(self, text: str) -> AreaMatch | None:
        """The place the text names: a prefixed kelurahan first, then a bare kelurahan name, then a
        kecamatan. Among several, the longest name (then the first) wins."""
        norm = normalize(text or "")
        if not norm:
            return None
        for regex, table in ((self._kel_prefixed_re, self._prefixed), (self._bare_re, self._bare)):
            unit = self._longest(regex, table, norm)
            if unit is not None:
                return AreaMatch(unit, self._kecamatan_of(unit), "text")
        for regex in (self._kec_prefixed_re, self._kec_bare_re):
            unit = self._longest(regex, self._kecamatan_names, norm)
            if unit is not None:
                return AreaMatch(None, unit, "text")
        return None

    @staticmethod
    def _longest(regex: re.Pattern[str] | None, table: dict[str, AreaUnit], norm: str) -> AreaUnit | None:
        if regex is None:
            return None
        found = [m.group(1) for m in regex.finditer(norm)]
        if not found:
            return None
        return table[max(found, key=len)]

    def locate(self, lat: float | None, lon: float | None, text: str | None) -> AreaMatch | None:
        """The pin when it falls inside the city (it is more precise than a mention), else the text."""
        if lat is not None and lon is not None:
            match = self.at_point(lat, lon)
            if match is not None:
                return match
        return self.in_text(text or "")

    def units(self) -> list[AreaUnit]:
        return [*self.kecamatan.values(), *self.kelurahan.values()]
