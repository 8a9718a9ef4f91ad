"""Reference data: the demo city (config/demo_city.json: OPDs, categories, SLA hours) and the
kecamatan and kelurahan offices of its areas. Seeding reads the areas; the areas never seed."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from config.settings import CONFIG_DIR
from ticketing.extensions import db
from ticketing.models import Category, Opd
from ticketing.router.categories import load_area_categories
from ticketing.services.areas import get_area_index
from ticketing.services.regions import default_region_code, ensure_default_region, ensure_region

DEMO_CITY_FILE = CONFIG_DIR / "demo_city.json"
DEMO_PROVINCE_FILE = CONFIG_DIR / "demo_province.json"
# Emergencies are worked around the clock; everything else on working hours.
ROUND_THE_CLOCK_CATEGORIES = {"kebakaran", "bencana"}


def load_demo_city(path: Path = DEMO_CITY_FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


class ReferenceRows:
    """One region's OPDs or categories (default: the default region's), read in one query:
    seeding looks each code up in memory and adds the missing rows, which go in one flush at
    the end (a lookup per row made each a SELECT and, through autoflush, an INSERT of its own).
    A row already there is returned to be updated: seeding runs again without changing what is
    there."""

    def __init__(self, model, region_code: str | None = None):
        self.model = model
        self.region_code = region_code or default_region_code()
        rows = db.session.scalars(select(model).where(model.region_code == self.region_code))
        self.rows = {row.code: row for row in rows}

    def get_or_add(self, code: str, created: dict[str, int], counter: str):
        """The row with this code, added when missing and then counted in `created[counter]`."""
        row = self.rows.get(code)
        if row is None:
            row = self.rows[code] = self.model(region_code=self.region_code, code=code)
            db.session.add(row)
            created[counter] += 1
        return row


def seed_demo_city(path: Path = DEMO_CITY_FILE) -> dict[str, int]:
    """Insert or update the demo city; running it again changes nothing."""
    city = load_demo_city(path)
    ensure_default_region()
    created = {"opds": 0, "categories": 0}
    opds, categories = ReferenceRows(Opd), ReferenceRows(Category)
    for row in city["opds"]:
        opd = opds.get_or_add(row["code"], created, "opds")
        opd.name, opd.handles = row["name"], row.get("handles", "")
    db.session.flush()
    for row in city["categories"]:
        category = categories.get_or_add(row["code"], created, "categories")
        category.name = row["name"]
        category.default_opd_code = row["opd"]
        category.sla_hours = row["sla_hours"]
        category.sla_24x7 = row.get("sla_24x7", row["code"] in ROUND_THE_CLOCK_CATEGORIES)
        category.needs_proof = bool(row.get("needs_proof", False))  # proof of fix (issue #18)
    db.session.commit()
    # The outside bodies tickets can be handed to (PLN, BPJN, the police, …; issue #17).
    from ticketing.services.external_bodies import seed_demo_bodies

    seed_demo_bodies()
    return created


def seed_demo_city_and_areas(path: Path = DEMO_CITY_FILE) -> dict[str, int]:
    """`seed-demo`: the agencies and categories, then the kecamatan and kelurahan offices."""
    created = seed_demo_city(path)
    areas = seed_area_units()
    return {
        "opds": created["opds"],
        "categories": created["categories"] + areas["categories"],
        "units": areas["units"],
    }


def seed_demo_province(path: Path = DEMO_PROVINCE_FILE, city_path: Path = DEMO_CITY_FILE) -> dict[str, int]:
    """The demo province (config/demo_province.json): regions 35 Jawa Timur, 35.71 Kota Kediri
    and 35.72 Kota Blitar with populations and boundaries, the province's agencies and
    Blitar's, and their categories (Blitar's mirror Kediri's for the OPDs it has); idempotent.
    Kediri's own OPDs are the demo city's (`seed_demo_city`)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    city = load_demo_city(city_path)
    city_opds = {row["code"]: row for row in city["opds"]}
    created = {"regions": 0, "opds": 0, "categories": 0}
    for row in sorted(data["regions"], key=lambda r: r["parent"] is not None):  # parents first
        _, new = ensure_region(
            row["code"],
            name=row["name"],
            parent_code=row["parent"],
            population=row["population"],
            boundary=row.get("boundary"),
        )
        created["regions"] += int(new)
    for region_code, agencies in data["agencies"].items():
        opds, region_categories = ReferenceRows(Opd, region_code), ReferenceRows(Category, region_code)
        for row in agencies["opds"]:
            opd = opds.get_or_add(row["code"], created, "opds")
            opd.name = row["name"]
            opd.handles = row.get("handles") or city_opds.get(row["code"], {}).get("handles", "")
        db.session.flush()
        categories = agencies.get("categories")
        if categories is None:  # a city like the demo city: its categories for the OPDs it has
            own = {row["code"] for row in agencies["opds"]}
            categories = [row for row in city["categories"] if row["opd"] is None or row["opd"] in own]
        for row in categories:
            category = region_categories.get_or_add(row["code"], created, "categories")
            category.name = row["name"]
            category.default_opd_code = row["opd"]
            category.sla_hours = row["sla_hours"]
            category.sla_24x7 = row.get("sla_24x7", row["code"] in ROUND_THE_CLOCK_CATEGORIES)
    db.session.commit()
    return created


def seed_area_units() -> dict[str, int]:
    """Kecamatan and kelurahan offices as OPDs, and the categories they handle; idempotent.

    Kept apart from the agency seeding so that screens built around the agencies (the wall's
    OPD board, the monthly report) choose whether to show the 49 offices."""
    index = get_area_index()
    ensure_default_region()
    created = {"units": 0, "categories": 0}
    offices, categories = ReferenceRows(Opd), ReferenceRows(Category)
    for unit in index.units():
        office = offices.get_or_add(unit.opd_code, created, "units")
        office.name = f"{'Kelurahan' if unit.kind == 'kelurahan' else 'Kecamatan'} {unit.name}"
        office.kind = unit.kind
        office.handles = (
            "surat pengantar dan keterangan, pelayanan kantor, lingkungan RT/RW"
            if unit.kind == "kelurahan"
            else "pelayanan kantor kecamatan"
        )
    db.session.flush()
    for row in load_area_categories():
        category = categories.get_or_add(row["code"], created, "categories")
        category.name = row["name"]
        # No default agency: the office is the ticket's own kelurahan/kecamatan (routing.py).
        category.default_opd_code = None
        category.sla_hours = row.get("sla_hours", 72)
        category.sla_24x7 = False
    db.session.commit()
    return created
