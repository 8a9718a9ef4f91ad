"""Build config/areas/kediri.geojson: APPROXIMATE kelurahan and kecamatan boundaries of the demo city.

    .venv/bin/python config/areas/build_areas.py

The project has no access to the official boundaries while it is written, so the demo city's areas
are made honestly rather than pretended: each kelurahan is the Voronoi cell of an approximate
centroid (kediri_centroids.csv, placed by hand from public maps), clipped to an approximate city
outline (OUTLINE below); each kecamatan is the union of its kelurahan cells. Points near a border
can land in the neighbouring kelurahan. A real city replaces the output file with its official
polygons (BIG/Dukcapil/BPS boundary data exported as GeoJSON, EPSG:4326) carrying the same
properties; see config/areas/README.md. Nothing in the application reads the CSV or this script.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from shapely import MultiPoint, Point, Polygon, unary_union, voronoi_polygons
from shapely.geometry import mapping

HERE = Path(__file__).resolve().parent
CENTROIDS = HERE / "kediri_centroids.csv"
OUTPUT = HERE / "kediri.geojson"
# Approximate outline of Kota Kediri (lon, lat), clockwise from the north-west; about 63 km².
OUTLINE = [
    (111.9620, -7.7850),
    (111.9800, -7.7760),
    (112.0000, -7.7770),
    (112.0200, -7.7740),
    (112.0420, -7.7780),
    (112.0560, -7.7900),
    (112.0560, -7.8100),
    (112.0650, -7.8300),
    (112.0640, -7.8500),
    (112.0540, -7.8640),
    (112.0350, -7.8620),
    (112.0150, -7.8520),
    (111.9980, -7.8480),
    (111.9820, -7.8540),
    (111.9650, -7.8460),
    (111.9520, -7.8300),
    (111.9530, -7.8050),
]
NOTE = (
    "APPROXIMATE boundaries for the demo city only: Voronoi cells around hand-placed kelurahan "
    "centroids clipped to an approximate city outline (config/areas/build_areas.py). Replace "
    "with official BIG/Dukcapil boundaries for real use."
)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def unit_opd_code(kind: str, code: str) -> str:
    """The OPD row that lets a kelurahan or kecamatan office receive tickets (KEL-BANDAR-LOR)."""
    return f"{'KEL' if kind == 'kelurahan' else 'KEC'}-{code.upper()}"


def _rounded(geometry):
    # 5 decimals is about a metre: plenty for approximate polygons and keeps the file small.
    from shapely import set_precision

    return set_precision(geometry, 1e-5)


def build() -> dict:
    rows = list(csv.DictReader(CENTROIDS.open(encoding="utf-8")))
    outline = Polygon(OUTLINE)
    points = [Point(float(r["lon"]), float(r["lat"])) for r in rows]
    for row, point in zip(rows, points, strict=True):
        if not outline.contains(point):
            raise SystemExit(f"{row['kelurahan']} centroid lies outside the outline")
    cells = voronoi_polygons(MultiPoint(points), extend_to=outline.buffer(0.05))
    by_point = {}
    for cell in cells.geoms:
        owner = next(i for i, p in enumerate(points) if cell.contains(p))
        by_point[owner] = cell.intersection(outline)
    features, per_kecamatan = [], {}
    for i, row in enumerate(rows):
        kecamatan_code = slug(row["kecamatan"])
        code = slug(row["kelurahan"])
        geometry = _rounded(by_point[i])
        per_kecamatan.setdefault(kecamatan_code, (row["kecamatan"], []))[1].append(by_point[i])
        features.append(
            {
                "type": "Feature",
                "geometry": mapping(geometry),
                "properties": {
                    "kind": "kelurahan",
                    "code": code,
                    "name": row["kelurahan"],
                    "kecamatan_code": kecamatan_code,
                    "opd_code": unit_opd_code("kelurahan", code),
                    "aliases": [a for a in row.get("aliases", "").split("|") if a],
                    "needs_prefix": row.get("needs_prefix") == "1",
                    "approximate": True,
                },
            }
        )
    for code, (name, parts) in per_kecamatan.items():
        geometry = _rounded(unary_union(parts))
        features.append(
            {
                "type": "Feature",
                "geometry": mapping(geometry),
                "properties": {
                    "kind": "kecamatan",
                    "code": code,
                    "name": name,
                    "kecamatan_code": code,
                    "opd_code": unit_opd_code("kecamatan", code),
                    "aliases": [],
                    "needs_prefix": name.lower() in {"kota", "pesantren"},
                    "approximate": True,
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "name": "kota-kediri-areas",
        "approximate": True,
        "note": NOTE,
        "features": features,
    }


if __name__ == "__main__":
    collection = build()
    OUTPUT.write_text(
        json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    kinds = [f["properties"]["kind"] for f in collection["features"]]
    print(f"{OUTPUT}: {kinds.count('kecamatan')} kecamatan, {kinds.count('kelurahan')} kelurahan")
