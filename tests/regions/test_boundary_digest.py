"""A located complaint finds its region from prepared boundary shapes a process keeps by each
boundary's digest (`regions.boundary_digest`): boundaries (tens of KB a city) are read once, not
for every complaint, a changed boundary is read again, and a region row read for anything else
leaves its boundary unread. The digest migration fills in the boundaries already stored."""

from __future__ import annotations

import json

import sqlalchemy as sa
from sqlalchemy import event, inspect

from config.settings import CONFIG_DIR, database_url
from tests.support.province import BLITAR, KEDIRI
from tests.test_migrations import empty_database_url, flask  # noqa: F401 (fixture)

IN_BLITAR = (-8.095, 112.165)
BEFORE_DIGEST = "d2a6f4c8e1b3"


def demo_boundaries() -> dict[str, dict]:
    regions = json.loads((CONFIG_DIR / "demo_province.json").read_text())["regions"]
    return {region["code"]: region["boundary"] for region in regions if region["boundary"]}


def statements_during(action) -> list[str]:
    from ticketing.extensions import db

    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        result = action()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return result, seen


def test_boundaries_are_read_once_and_again_only_when_changed(app_ctx, province):
    from ticketing.extensions import db
    from ticketing.models import Region
    from ticketing.services.regions import ensure_region, region_of_point

    boundaries = demo_boundaries()
    for code, boundary in boundaries.items():
        ensure_region(code, boundary=boundary)
    db.session.commit()

    assert region_of_point(*IN_BLITAR) == BLITAR
    found, statements = statements_during(lambda: region_of_point(*IN_BLITAR))
    assert found == BLITAR
    assert len(statements) == 1 and "boundary_digest" in statements[0]
    assert not any("regions.boundary," in s or "regions.boundary " in s for s in statements), statements

    # Blitar's outline is redrawn elsewhere (a test square far away): the next complaint reads it.
    ensure_region(
        BLITAR, boundary={"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    )
    db.session.commit()
    found, statements = statements_during(lambda: region_of_point(*IN_BLITAR))
    assert found != BLITAR  # the province's boundary, or none: no longer Blitar's
    assert any("regions.boundary" in s and "boundary_digest" not in s for s in statements), statements

    # A region row read for its name leaves its boundary in the database.
    db.session.expunge_all()
    region = db.session.get(Region, KEDIRI)
    assert "boundary" not in inspect(region).dict and region.boundary_digest is not None
    assert region.boundary == boundaries[KEDIRI]  # still there when asked for


def test_the_digest_migration_fills_in_the_boundaries_already_stored(empty_database_url, run_dir):  # noqa: F811
    from ticketing.models.regions import boundary_digest

    before = flask("db", "upgrade", BEFORE_DIGEST, database_url=empty_database_url, run_dir=run_dir)
    assert before.returncode == 0, before.stderr
    boundary = demo_boundaries()[BLITAR]
    engine = sa.create_engine(database_url(empty_database_url))
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO regions (code, name, parent_code, boundary) "
                    "VALUES (:c, 'Kota Blitar', '35', :b)"
                ),
                {"c": BLITAR, "b": json.dumps(boundary)},
            )
        upgrade = flask("db", "upgrade", "head", database_url=empty_database_url, run_dir=run_dir)
        assert upgrade.returncode == 0, upgrade.stderr
        with engine.connect() as conn:
            digests = dict(conn.execute(sa.text("SELECT code, boundary_digest FROM regions")).all())
        assert digests[BLITAR] == boundary_digest(boundary)
        assert digests[KEDIRI] is None  # the regions revision's own rows carry no boundary
    finally:
        engine.dispose()
