"""Regions (issue #16): which jurisdiction a row belongs to, and which ones an account may see.

- OPD and category codes are unique within a region only: look them up with `find_opd` and
  `find_category` (a ticket's OPD is `find_opd(ticket.region_code, ticket.opd_code)`).
- Every staff read is scoped with `visible_region_codes(account)` (a user or an API key): its
  own region and, for a province account, every city and regency under it. `in_visible_regions`
  builds the WHERE clause for any region column.
- `region_of_point` places a located complaint by the regions' boundaries.

A single-city deployment has one region, `DEFAULT_REGION`; every function works without anyone
naming it.
"""

from __future__ import annotations

import threading

from shapely import prepare
from shapely.geometry import Point, shape
from sqlalchemy import ColumnElement, Select, select

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.models import Category, Opd, Region, Ticket
from ticketing.models.regions import default_region_code

__all__ = [
    "default_region_code",
    "ensure_region",
    "ensure_default_region",
    "get_region",
    "find_opd",
    "find_category",
    "opd_names",
    "category_names",
    "child_region_codes",
    "region_codes_under",
    "visible_region_codes",
    "in_visible_regions",
    "scope_to_visible_regions",
    "can_see_region",
    "ticket_region_codes",
    "ticket_region_clause",
    "region_of_point",
    "complaint_region",
    "list_regions",
    "region_payload",
    "region_payloads",
]

# Names of well-known regions for the rows the migration and `ensure_default_region` create
# before anyone seeds the real ones (seed-demo, config/demo_province.json).
KNOWN_NAMES = {"35": "Provinsi Jawa Timur", "35.71": "Kota Kediri", "35.72": "Kota Blitar"}


def get_region(code: str | None) -> Region | None:
    if not code or not isinstance(code, str):
        return None
    return db.session.get(Region, code)


def ensure_region(
    code: str,
    *,
    name: str | None = None,
    parent_code: str | None = None,
    population: int | None = None,
    boundary: dict | None = None,
) -> tuple[Region, bool]:
    """The region row `code`, added when missing (True) and updated with what is given. Flushes,
    never commits: the caller's transaction decides."""
    region = db.session.get(Region, code)
    created = region is None
    if created:
        region = Region(code=code, name=name or KNOWN_NAMES.get(code, code))
        db.session.add(region)
    elif name:
        region.name = name
    if parent_code is not None:
        region.parent_code = parent_code
    if population is not None:
        region.population = population
    if boundary is not None:
        region.boundary = boundary
    db.session.flush()
    return region, created


def ensure_default_region() -> Region:
    """`DEFAULT_REGION`'s row (and its province, for a code like `35.71`), added when missing, as
    the migration does: a fresh database can hold OPDs and accounts before any seeding."""
    code = default_region_code()
    if (region := db.session.get(Region, code)) is not None:
        return region
    parent = code.rsplit(".", 1)[0] if "." in code else None
    if parent:
        ensure_region(parent)
    region, _ = ensure_region(code, parent_code=parent)
    return region


def find_opd(region_code: str | None, code: str | None) -> Opd | None:
    """The OPD `code` of region `region_code` (None for a missing one or a missing code)."""
    if not code or not isinstance(code, str) or not region_code:
        return None
    return db.session.get(Opd, (region_code, code))


def find_category(region_code: str | None, code: str | None) -> Category | None:
    if not code or not isinstance(code, str) or not region_code:
        return None
    return db.session.get(Category, (region_code, code))


def opd_names(region_codes: list[str] | None = None) -> dict[tuple[str, str], str]:
    """{(region_code, opd_code): name}, of `region_codes` only when given."""
    query = select(Opd.region_code, Opd.code, Opd.name)
    if region_codes is not None:
        query = query.where(Opd.region_code.in_(region_codes))
    return {(region, code): name for region, code, name in db.session.execute(query)}


def category_names(region_codes: list[str] | None = None) -> dict[tuple[str, str], str]:
    """{(region_code, category_code): name}, of `region_codes` only when given."""
    query = select(Category.region_code, Category.code, Category.name)
    if region_codes is not None:
        query = query.where(Category.region_code.in_(region_codes))
    return {(region, code): name for region, code, name in db.session.execute(query)}


def child_region_codes(code: str) -> list[str]:
    return list(
        db.session.scalars(select(Region.code).where(Region.parent_code == code).order_by(Region.code))
    )


def region_codes_under(code: str) -> list[str]:
    """`code` and every region below it (a province: its cities and regencies), `code` first."""
    parents = dict(db.session.execute(select(Region.code, Region.parent_code)).all())
    found, frontier = [code], [code]
    while frontier:
        frontier = sorted(
            child for child, parent in parents.items() if parent in frontier and child not in found
        )
        found.extend(frontier)
    return found


def _account_region(account) -> str:
    return getattr(account, "region_code", None) or default_region_code()


def visible_region_codes(account) -> list[str]:
    """The regions whose tickets `account` (a User or an ApiKey) reads: its own and, for a
    province account, every region under it. An officer additionally sees only its OPD (the
    ticket query in services/queries.py adds that)."""
    return region_codes_under(_account_region(account))


def in_visible_regions(column: ColumnElement, account, codes: list[str] | None = None) -> ColumnElement:
    """`column IN (the account's regions)`; `= code` for the common single region, so the
    database uses the indexes that lead with it."""
    codes = codes if codes is not None else visible_region_codes(account)
    return column == codes[0] if len(codes) == 1 else column.in_(codes)


def scope_to_visible_regions(query: Select, column: ColumnElement, account) -> Select:
    return query.where(in_visible_regions(column, account))


def can_see_region(account, region_code: str | None) -> bool:
    return region_code is not None and region_code in visible_region_codes(account)


def ticket_region_codes(account) -> list[str]:
    """The regions whose tickets `account` reads: an account bound to an OPD (an officer) its
    own region only (Kediri's PUPR is not Blitar's), any other its visible regions."""
    if getattr(account, "opd_code", None):
        return [_account_region(account)]
    return visible_region_codes(account)


def ticket_region_clause(account, codes: list[str] | None = None) -> ColumnElement:
    """WHERE clause limiting tickets to `account`'s regions (`ticket_region_codes`)."""
    return in_visible_regions(Ticket.region_code, account, codes or ticket_region_codes(account))


class _Boundaries:
    """Prepared boundary shapes per region, kept by the boundary's digest: a boundary is read
    and prepared once per process, and again only when its digest changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._shapes: dict[str, tuple[str, object]] = {}  # region code -> (digest, prepared shape)

    def shape_of(self, code: str, boundary_digest: str):
        cached = self._shapes.get(code)
        if cached is not None and cached[0] == boundary_digest:
            return cached[1]
        boundary = db.session.scalar(select(Region.boundary).where(Region.code == code))
        if not isinstance(boundary, dict):
            return None
        geometry = shape(
            boundary.get("geometry", boundary) if boundary.get("type") == "Feature" else boundary
        )
        prepare(geometry)
        with self._lock:
            self._shapes[code] = (boundary_digest, geometry)
        return geometry


_boundaries = _Boundaries()
# Children (with a parent) first: a point in Kediri is in Jawa Timur too.
_BOUNDED_REGIONS = (
    select(Region.code, Region.boundary_digest)
    .where(Region.boundary_digest.is_not(None))
    .order_by(Region.parent_code.is_(None), Region.code)
)


def region_of_point(lat: float | None, lon: float | None) -> str | None:
    """The most local region whose boundary covers (lat, lon): a city before its province.
    None without a point or when no boundary covers it (the caller then uses its default)."""
    if lat is None or lon is None:
        return None
    # Core on the session's connection: a read of three short columns on every located complaint,
    # where the ORM's execution cost as much CPU as the rest of the lookup.
    rows = db.session.connection().execute(_BOUNDED_REGIONS).all()
    point = Point(lon, lat)
    for code, digest in rows:
        geometry = _boundaries.shape_of(code, digest)
        if geometry is not None and geometry.covers(point):
            return code
    return None


def complaint_region(code: str | None) -> str:
    """The region a complaint names (it must exist: 400 naming the field otherwise), else the
    default region."""
    if code is None:
        return default_region_code()
    if get_region(code) is None:
        raise APIError(
            400,
            "invalid_fields",
            catalogue.text("error.unknown_region"),
            {"region": [catalogue.text("error.unknown_region_field")]},
        )
    return code


def list_regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.code)))


def region_payload(region: Region) -> dict:
    return {
        "code": region.code,
        "name": region.name,
        "parent": region.parent_code,
        "population": region.population,
    }


def region_payloads() -> list[dict]:
    """`GET /api/v1/regions`: every region, by code; ends the read transaction."""
    payloads = [region_payload(region) for region in list_regions()]
    db.session.rollback()
    return payloads
