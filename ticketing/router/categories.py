"""Category -> default OPD table, read from the city configuration the app also seeds from."""
from __future__ import annotations

import json
import os
from pathlib import Path

DEMO_CITY_PATH = Path(__file__).resolve().parents[2] / "config" / "demo_city.json"
NONE_CATEGORY = "lainnya"


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
    if NONE_CATEGORY not in table:
        # The router always needs the non-complaint class, even if a city forgot to list it.
        table[NONE_CATEGORY] = None
    return table
