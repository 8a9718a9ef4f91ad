"""Reference data: the OPDs and categories of the city."""
from __future__ import annotations

from sqlalchemy import select

from ticketing.extensions import db
from ticketing.models import Category, Opd


def active_opds() -> list[Opd]:
    return list(db.session.scalars(select(Opd).where(Opd.active.is_(True)).order_by(Opd.code)))


def active_categories() -> list[Category]:
    return list(db.session.scalars(
        select(Category).where(Category.active.is_(True)).order_by(Category.code)))
