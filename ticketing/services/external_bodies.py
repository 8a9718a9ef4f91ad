"""The registry of bodies outside the city (issue #17): PLN, BPJN, the police, a developer.

Admins keep it in the console and with `flask --app wsgi add-external-body`; operators pick a
body when they forward a ticket (services/handoffs.py). A body belongs to a region like an OPD;
a ticket may go to a body of its own region or of the province above it (BPJN Jawa Timur serves
every city of the province).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqlalchemy import select

from config.settings import CONFIG_DIR
from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.models import Region
from ticketing.models.handoffs import EXTERNAL_BODY_KINDS, ExternalBody
from ticketing.services.administration import record
from ticketing.services.regions import default_region_code, ensure_default_region, visible_region_codes

DEMO_BODIES_FILE = CONFIG_DIR / "demo_external_bodies.json"
CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{0,31}")
# Deliberately plain: one @, a dot in the domain, no spaces. The SMTP server is the judge.
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}")


def body_payload(body: ExternalBody) -> dict:
    return {
        "code": body.code,
        "name": body.name,
        "kind": body.kind,
        "email": body.email,
        "region": body.region_code,
        "active": body.active,
    }


def bodies_for(account, include_inactive: bool = False) -> list[ExternalBody]:
    """The bodies of the regions `account` sees, and of the provinces above them."""
    codes = set(visible_region_codes(account))
    parents = db.session.scalars(select(Region.parent_code).where(Region.code.in_(codes)))
    codes |= {code for code in parents if code}
    query = select(ExternalBody).where(ExternalBody.region_code.in_(sorted(codes)))
    if not include_inactive:
        query = query.where(ExternalBody.active.is_(True))
    return list(db.session.scalars(query.order_by(ExternalBody.region_code, ExternalBody.code)))


def body_for_ticket(region_code: str, code: str | None) -> ExternalBody | None:
    """The active body `code` a ticket of `region_code` may go to: its region's, else its
    province's."""
    if not isinstance(code, str) or not code.strip():
        return None
    code = code.strip().upper()
    region = db.session.get(Region, region_code)
    for candidate in (region_code, region.parent_code if region is not None else None):
        if candidate:
            body = db.session.get(ExternalBody, (candidate, code))
            if body is not None and body.active:
                return body
    return None


def waiting_on(ticket) -> str | None:
    """The name of the outside body a ticket in status `external` waits on, else None."""
    if ticket.status != "external" or not ticket.external_body_code:
        return None
    region = db.session.get(Region, ticket.region_code)
    for candidate in (ticket.region_code, region.parent_code if region is not None else None):
        body = db.session.get(ExternalBody, (candidate, ticket.external_body_code)) if candidate else None
        if body is not None:
            return body.name
    return ticket.external_body_code


def _invalid(field: str, key: str, **values) -> APIError:
    message = catalogue.text(key, **values)
    return APIError(422, "invalid_fields", message, {field: [message]})


def save_body(
    *,
    code: str,
    name: str,
    kind: str,
    email: str,
    region_code: str | None = None,
    active: bool = True,
    actor=None,
    actor_label: str | None = None,
) -> tuple[ExternalBody, bool]:
    """Add or update a body (True when added), written to the audit log by `actor` (or
    `actor_label`, e.g. the CLI); commits. 422 naming the field at fault."""
    code = (code or "").strip().upper()
    name, email, kind = (name or "").strip(), (email or "").strip(), (kind or "").strip()
    region_code = (region_code or "").strip() or default_region_code()
    if not CODE.fullmatch(code):
        raise _invalid("code", "error.external_body_code")
    if not name or len(name) > 200:
        raise _invalid("name", "field.length_between", min=1, max=200)
    if kind not in EXTERNAL_BODY_KINDS:
        raise _invalid("kind", "field.one_of", choices=", ".join(EXTERNAL_BODY_KINDS))
    if len(email) > 254 or not EMAIL.fullmatch(email):
        raise _invalid("email", "field.email")
    if db.session.get(Region, region_code) is None:
        raise _invalid("region", "error.external_body_region", region=region_code)
    body = db.session.get(ExternalBody, (region_code, code))
    created = body is None
    if created:
        body = ExternalBody(region_code=region_code, code=code)
        db.session.add(body)
    new = {"name": name, "kind": kind, "email": email, "active": active}
    changes = {
        field: [None if created else getattr(body, field), value]
        for field, value in new.items()
        if created or getattr(body, field) != value
    }
    for field, value in new.items():
        setattr(body, field, value)
    if changes:
        record(
            actor,
            "external_body.create" if created else "external_body.update",
            "external_body",
            f"{region_code}:{code}",
            changes,
            actor_label=actor_label,
            region_code=region_code,
        )
    db.session.commit()
    return body, created


def seed_demo_bodies(path: Path = DEMO_BODIES_FILE) -> int:
    """The demo city's outside bodies (config/demo_external_bodies.json); idempotent: a body
    already there keeps what an admin changed."""
    ensure_default_region()
    added = 0
    for row in json.loads(path.read_text(encoding="utf-8")):
        region_code = row.get("region") or default_region_code()
        if db.session.get(Region, region_code) is None:
            continue  # a province body on a deployment without the province seeded
        if db.session.get(ExternalBody, (region_code, row["code"])) is None:
            db.session.add(
                ExternalBody(
                    region_code=region_code,
                    code=row["code"],
                    name=row["name"],
                    kind=row["kind"],
                    email=row["email"],
                )
            )
            added += 1
    db.session.commit()
    return added
