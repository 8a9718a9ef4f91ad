"""The demo city's SKM services and one semester of demo answers (config/skm_demo.json).

Every agency also gets its "Penanganan pengaduan" service (code ADUAN-<OPD>): the citizen of a
resolved ticket rates the handling of their complaint there. Services whose OPD is not in the
region (a kelurahan office before the area offices are seeded) are left out. Idempotent.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, select

from config.settings import CONFIG_DIR
from ticketing.extensions import db
from ticketing.formatting import city_zone
from ticketing.models import Opd
from ticketing.models.regions import default_region_code
from ticketing.models.skm import ELEMENTS, PublicService, SurveyResponse
from ticketing.services.skm_index import Semester

DEMO_FILE = CONFIG_DIR / "skm_demo.json"


def load_demo(path: Path = DEMO_FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def seed_demo_services(region_code: str | None = None, path: Path = DEMO_FILE) -> int:
    """Add the demo services that are missing; returns how many were added. Commits."""
    region_code = region_code or default_region_code()
    demo = load_demo(path)
    opds = {
        code: kind
        for code, kind in db.session.execute(
            select(Opd.code, Opd.kind).where(Opd.region_code == region_code, Opd.active.is_(True))
        )
    }
    wanted = [row for row in demo["services"] if row["opd"] in opds]
    handling = demo["complaint_handling"]
    for code in sorted(c for c, kind in opds.items() if kind == "agency"):
        wanted.append(
            {
                "code": handling["code_prefix"] + code,
                "name": handling["name"],
                "opd": code,
                "mode": "online",
                "population": handling["population"],
                "not_applicable": handling["not_applicable"],
                "complaint_handling": True,
            }
        )
    existing = set(
        db.session.scalars(select(PublicService.code).where(PublicService.region_code == region_code))
    )
    added = 0
    for row in wanted:
        if row["code"] in existing:
            continue
        db.session.add(
            PublicService(
                region_code=region_code,
                code=row["code"],
                name=row["name"],
                opd_code=row["opd"],
                mode=row["mode"],
                population=row.get("population"),
                not_applicable=list(row.get("not_applicable", [])),
                complaint_handling=row.get("complaint_handling", False),
            )
        )
        added += 1
    db.session.commit()
    return added


def seed_demo_answers(semester: Semester, region_code: str | None = None, path: Path = DEMO_FILE) -> int:
    """Replace the demo semester's web answers of the demo services with the file's. Commits."""
    region_code = region_code or default_region_code()
    demo = load_demo(path)
    services = {
        s.code: s
        for s in db.session.scalars(
            select(PublicService).where(
                PublicService.region_code == region_code, PublicService.code.in_(list(demo["answers"]))
            )
        )
    }
    if services:
        db.session.execute(
            delete(SurveyResponse).where(
                SurveyResponse.service_id.in_([s.id for s in services.values()]),
                SurveyResponse.semester == semester.code,
            )
        )
    start, _ = semester.bounds(city_zone())
    added = 0
    for code, rows in demo["answers"].items():
        service = services.get(code)
        if service is None:
            continue
        for number, (values, sex, age, education, occupation) in enumerate(rows):
            db.session.add(
                SurveyResponse(
                    region_code=region_code,
                    service_id=service.id,
                    semester=semester.code,
                    sex=sex,
                    age=age,
                    education=education,
                    occupation=occupation,
                    channel="web",
                    created_at=start + timedelta(days=number + 1),
                    **dict(zip(ELEMENTS, values, strict=True)),
                )
            )
            added += 1
    db.session.commit()
    return added
