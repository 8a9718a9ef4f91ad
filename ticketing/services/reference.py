"""Reference data: the OPDs and categories of the city."""

from __future__ import annotations

from sqlalchemy import select

from ticketing.extensions import db
from ticketing.models import Category, Opd


def active_opds(kind: str | None = None) -> list[Opd]:
    """Routable units; `kind="agency"` leaves out the kecamatan and kelurahan offices, which
    would otherwise outnumber the agencies on boards meant for the agencies."""
    query = select(Opd).where(Opd.active.is_(True)).order_by(Opd.code)
    if kind is not None:
        query = query.where(Opd.kind == kind)
    return list(db.session.scalars(query))


def active_categories() -> list[Category]:
    return list(db.session.scalars(select(Category).where(Category.active.is_(True)).order_by(Category.code)))
