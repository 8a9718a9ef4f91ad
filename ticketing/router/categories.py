"""Category -> default OPD table, read from the city configuration the app also seeds from."""

from __future__ import annotations

import json
import os
from pathlib import Path

DEMO_CITY_PATH = Path(__file__).resolve().parents[2] / "config" / "demo_city.json"
AREA_UNITS_PATH = Path(__file__).resolve().parents[2] / "config" / "routing" / "area_units.json"
NONE_CATEGORY = "lainnya"
# A category handled by an area office maps to "@kelurahan" / "@kecamatan" instead of an OPD code:
# the office is the one of the ticket's own area, known only once the ticket's place is.
AREA_UNIT_PREFIX = "@"
AREA_UNIT_KINDS = ("kelurahan", "kecamatan")


def area_unit_kind(opd: str | None) -> str | None:
    """ "kelurahan" for "@kelurahan", None for an agency code."""
    if opd and opd.startswith(AREA_UNIT_PREFIX) and opd[1:] in AREA_UNIT_KINDS:
        return opd[1:]
    return None


def load_area_categories(path: str | os.PathLike | None = None) -> list[dict]:
    source = Path(path) if path is not None else AREA_UNITS_PATH
    if not source.exists():
        return []
    return json.loads(source.read_text(encoding="utf-8")).get("categories", [])


def load_category_opds(path: str | os.PathLike | None = None) -> dict[str, str | None]:
    """Map every category code to its default OPD code (None for `lainnya`, the non-complaint class)."""
    source = Path(path) if path is not None else DEMO_CITY_PATH
    if not source.exists():
        raise FileNotFoundError(
            f"category table {source} is missing; it must hold "
            '{"opds": [...], "categories": [{"code", "name", "opd", "sla_hours"}]}'
        )
    data = json.loads(source.read_text(encoding="utf-8"))
    table = {c["code"]: c.get("opd") for c in data["categories"]}
    if path is None:  # the demo city also routes to its kelurahan and kecamatan offices
        for category in load_area_categories():
            table.setdefault(category["code"], AREA_UNIT_PREFIX + category["unit"])
    if NONE_CATEGORY not in table:
        # The router always needs the non-complaint class, even if a city forgot to list it.
        table[NONE_CATEGORY] = None
    return table


# A category whose SLA is this short, or runs round the clock, dispatches an emergency service.
EMERGENCY_SLA_HOURS = 12


def is_emergency(sla_hours: float | None, sla_24x7: bool = False) -> bool:
    """An emergency category: a round-the-clock or very short deadline (a fire engine, a disaster team)."""
    return bool(sla_24x7) or (sla_hours is not None and sla_hours <= EMERGENCY_SLA_HOURS)


def emergency_categories(path: str | os.PathLike | None = None) -> frozenset[str]:
    """The city's emergency categories, decided from its SLA table (not a list kept by hand)."""
    source = Path(path) if path is not None else DEMO_CITY_PATH
    if not source.exists():
        return frozenset()
    data = json.loads(source.read_text(encoding="utf-8"))
    return frozenset(
        c["code"] for c in data["categories"] if is_emergency(c.get("sla_hours"), c.get("sla_24x7", False))
    )
