"""The demo city (config/demo_city.json): OPDs, categories and SLA hours."""
from __future__ import annotations

import json
from pathlib import Path

from config.settings import CONFIG_DIR
from ticketing.extensions import db
from ticketing.models import Category, Opd

DEMO_CITY_FILE = CONFIG_DIR / "demo_city.json"
# Emergencies are worked around the clock; everything else on working hours.
ROUND_THE_CLOCK_CATEGORIES = {"kebakaran", "bencana"}


def load_demo_city(path: Path = DEMO_CITY_FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def seed_demo_city(path: Path = DEMO_CITY_FILE) -> dict[str, int]:
    """Insert or update the demo city; running it again changes nothing."""
    city = load_demo_city(path)
    created = {"opds": 0, "categories": 0}
    for row in city["opds"]:
        opd = db.session.get(Opd, row["code"])
        if opd is None:
            opd = Opd(code=row["code"])
            db.session.add(opd)
            created["opds"] += 1
        opd.name, opd.handles = row["name"], row.get("handles", "")
    db.session.flush()
    for row in city["categories"]:
        category = db.session.get(Category, row["code"])
        if category is None:
            category = Category(code=row["code"])
            db.session.add(category)
            created["categories"] += 1
        category.name = row["name"]
        category.default_opd_code = row["opd"]
        category.sla_hours = row["sla_hours"]
        category.sla_24x7 = row.get("sla_24x7", row["code"] in ROUND_THE_CLOCK_CATEGORIES)
    db.session.commit()
    return created


def seed_demo_city_and_areas(path: Path = DEMO_CITY_FILE) -> dict[str, int]:
    """`seed-demo`: the agencies and categories, then the kecamatan and kelurahan offices."""
    from ticketing.services.areas import seed_area_units

    created = seed_demo_city(path)
    areas = seed_area_units()
    return {"opds": created["opds"], "categories": created["categories"] + areas["categories"],
            "units": areas["units"]}
