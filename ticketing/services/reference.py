"""Reference data: the OPDs and categories of a region (default: `DEFAULT_REGION`, the city)."""

from __future__ import annotations

from sqlalchemy import select

from ticketing.extensions import db
from ticketing.models import Category, Opd
from ticketing.services.regions import default_region_code


def active_opds(kind: str | None = None, region_codes: list[str] | None = None) -> list[Opd]:
    """Routable units of `region_codes` (default: the default region); `kind="agency"` leaves
    out the kecamatan and kelurahan offices, which would otherwise outnumber the agencies on
    boards meant for the agencies."""
    regions = region_codes or [default_region_code()]
    query = (
        select(Opd)
        .where(Opd.region_code.in_(regions), Opd.active.is_(True))
        .order_by(Opd.region_code, Opd.code)
    )
    if kind is not None:
        query = query.where(Opd.kind == kind)
    return list(db.session.scalars(query))


def active_categories(region_codes: list[str] | None = None) -> list[Category]:
    regions = region_codes or [default_region_code()]
    return list(
        db.session.scalars(
            select(Category)
            .where(Category.region_code.in_(regions), Category.active.is_(True))
            .order_by(Category.region_code, Category.code)
        )
    )
