"""Open311 GeoReport v2: categories as services, tickets as service requests.

Requests posted here go through `create_ticket(channel="open311")`, so they are stored, routed
and worked exactly like web or SMS complaints. What GET returns is public and no more than open
data publishes: confidential tickets never appear, no reporter identity is ever shown, the
description is the ticket's stored masked summary, personal data in notes is masked, the location
is rounded to ~100 m as open data rounds it, and there is no street address or photo link
(citizens have no way to opt in to publishing their address, so none is published). Only a
key given the `full_detail` scope reads exact points, addresses and the masked description.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from flask import current_app
from sqlalchemy import and_, func, select

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.formatting import local
from ticketing.models import OPEN_STATUSES, STATUSES, ApiKey, Category, Opd, Ticket, TicketEvent
from ticketing.models.base import utcnow
from ticketing.models.tickets import EXTERNAL_STATUSES
from ticketing.pii import mask_personal_data
from ticketing.services.intake import after_ticket_created, create_ticket, normalize_ticket_number
from ticketing.services.regions import (
    category_names,
    default_region_code,
    find_category,
    get_region,
    list_regions,
    opd_names,
    visible_region_codes,
)
from ticketing.services.seeding import DEMO_CITY_FILE, load_demo_city

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# A ticket waiting on an outside body (PLN, BPJN…) is still open for the citizen (issue #17).
CLOSED_STATUSES = tuple(status for status in STATUSES if status not in OPEN_STATUSES + EXTERNAL_STATUSES)
STATUS_GROUPS = {"open": OPEN_STATUSES + EXTERNAL_STATUSES, "closed": CLOSED_STATUSES}
ATTRIBUTE_DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")


class Open311Error(Exception):
    """An error in the spec's shape: a list of {code, description} with an HTTP status."""

    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status = status
        self.description = description


# --- services (categories) ------------------------------------------------------------------


@lru_cache(maxsize=4)
def _city_extras(path: str, mtime: float) -> dict[str, dict]:
    """Keywords and attributes per category code, from the city file (cached per version)."""
    from pathlib import Path

    city = load_demo_city(Path(path))
    return {
        row["code"]: {"keywords": row.get("keywords", ""), "attributes": row.get("attributes", [])}
        for row in city.get("categories", [])
    }


def category_extras(code: str) -> dict:
    path = DEMO_CITY_FILE
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return {"keywords": "", "attributes": []}
    return _city_extras(str(path), mtime).get(code, {"keywords": "", "attributes": []})


def _attribute(row: dict) -> dict:
    return {
        "variable": True,
        "code": row["code"],
        "datatype": row.get("datatype", "string"),
        "required": bool(row.get("required", False)),
        "datatype_description": row.get("datatype_description") or None,
        "order": int(row.get("order", 1)),
        "description": row.get("description", row["code"]),
        "values": [
            {"key": str(v["key"]), "name": v.get("name", str(v["key"]))} for v in row.get("values", [])
        ],
    }


def _categories(region_code: str | None = None) -> list[tuple[Category, str | None]]:
    """The region's active categories (default: `DEFAULT_REGION`) with their OPD's name."""
    region_code = region_code or default_region_code()
    return list(
        db.session.execute(
            select(Category, Opd.name)
            .outerjoin(
                Opd, and_(Opd.region_code == Category.region_code, Opd.code == Category.default_opd_code)
            )
            .where(Category.region_code == region_code, Category.active.is_(True))
            .order_by(Category.code)
        ).all()
    )


def service_list(region_code: str | None = None) -> list[dict]:
    services = []
    for category, opd_name in _categories(region_code):
        extras = category_extras(category.code)
        services.append(
            {
                "service_code": category.code,
                "service_name": category.name,
                "description": category.name + (f" ({opd_name})" if opd_name else ""),
                "metadata": bool(extras["attributes"]),
                "type": "realtime",
                "keywords": extras["keywords"],
                # The agency that usually handles it; "lainnya" is sorted out by the command centre.
                "group": opd_name or "Command Center",
            }
        )
    return services


def service_definition(code: str, region_code: str | None = None) -> dict:
    category = find_category(region_code or default_region_code(), code)
    if category is None or not category.active:
        raise Open311Error(404, f"service_code {code} not found")
    rows = sorted(category_extras(code)["attributes"], key=lambda r: r.get("order", 1))
    return {"service_code": category.code, "attributes": [_attribute(row) for row in rows]}


# --- POST requests --------------------------------------------------------------------------


def require_api_key(key: str | None) -> ApiKey:
    from ticketing.services.api_keys import verify_api_key

    if not key:
        raise Open311Error(400, "api_key was not provided")
    row = verify_api_key(key)
    if row is None:
        raise Open311Error(403, "Invalid api_key received")
    return row


def _attribute_values(category_code: str, given: dict[str, list[str]]) -> dict:
    """Check `attribute[code]` values against the service definition; 400 on a bad one."""
    definitions = {row["code"]: _attribute(row) for row in category_extras(category_code)["attributes"]}
    values: dict = {}
    for code, definition in definitions.items():
        raw = [v for v in given.get(code, []) if v.strip()]
        if not raw:
            if definition["required"]:
                raise Open311Error(400, f"attribute[{code}] is required for this service")
            continue
        keys = {v["key"] for v in definition["values"]}
        datatype = definition["datatype"]
        if datatype in ("singlevaluelist", "multivaluelist"):
            bad = [v for v in raw if v not in keys]
            if bad or (datatype == "singlevaluelist" and len(raw) > 1):
                raise Open311Error(400, f"attribute[{code}] must be one of {', '.join(sorted(keys))}")
            values[code] = raw if datatype == "multivaluelist" else raw[0]
        elif datatype == "number":
            try:
                number = float(raw[0])
            except ValueError:
                raise Open311Error(400, f"attribute[{code}] must be a number") from None
            if number != number or number in (float("inf"), float("-inf")):
                raise Open311Error(400, f"attribute[{code}] must be a number")
            values[code] = raw[0].strip()
        else:
            values[code] = raw[0].strip()[:500]
    return values


def _with_attributes(description: str, category_code: str, values: dict) -> str:
    """Attribute answers appended to the description, so officers and the router see them."""
    if not values:
        return description
    rows = {row["code"]: _attribute(row) for row in category_extras(category_code)["attributes"]}

    def shown(code: str, value: str) -> str:
        names = {v["key"]: v["name"] for v in rows[code]["values"]} if code in rows else {}
        return names.get(value, value)

    lines = [
        f"- {rows[code]['description'] if code in rows else code} "
        + ", ".join(shown(code, v) for v in (value if isinstance(value, list) else [value]))
        for code, value in values.items()
    ]
    return description + "\n\n" + "\n".join(lines)


def jurisdiction(code: str | None) -> str | None:
    """A request's `jurisdiction_id`: the region code it names (the spec: required only where an
    endpoint serves several jurisdictions, so absent means the deployment's own, as before)."""
    if not code:
        return None
    if get_region(code) is None:
        raise Open311Error(404, f"jurisdiction_id {code} not found")
    return code


def submit_request(
    api_key: ApiKey, data: dict, attributes: dict[str, list[str]], jurisdiction_id: str | None = None
) -> Ticket:
    """Store a posted service request as a ticket in the key's region (or the jurisdiction it
    names, one the key may see: a province's key posts for its cities); routed like any other."""
    region_code = jurisdiction_id or api_key.region_code
    if region_code not in visible_region_codes(api_key):
        raise Open311Error(403, f"api_key may not post to jurisdiction_id {region_code}")
    category = find_category(region_code, data["service_code"])
    if category is None or not category.active:
        raise Open311Error(400, f"service_code {data['service_code']} not found")
    values = _attribute_values(category.code, attributes)
    name = " ".join(part for part in (data.get("first_name"), data.get("last_name")) if part)
    phone, email = data.get("phone"), data.get("email")
    created = create_ticket(
        # The spec makes the description optional; the service name then says what it is.
        description=_with_attributes(data.get("description") or category.name, category.code, values),
        channel="open311",
        category_code=category.code,
        reporter_name=name or None,
        reporter_phone=phone,
        reporter_email=email,
        anonymous=not (name or phone or email),
        lat=data.get("lat"),
        lon=data.get("long"),
        address=data.get("address_string"),
        actor_label=f"open311:{api_key.name}"[:64],
        commit=False,
        region_code=region_code,
    )
    # Where it came from and the photo link live in the creation event: the ticket row stays
    # the same for every channel.
    created.event.data = {
        **(created.event.data or {}),
        "api_key_id": api_key.id,
        "media_url": data.get("media_url"),
        "attributes": values,
        "device_id": data.get("device_id"),
        "account_id": data.get("account_id"),
    }
    db.session.commit()
    after_ticket_created(created.ticket)
    return created.ticket


# --- GET requests ---------------------------------------------------------------------------


@dataclass
class RequestQuery:
    service_request_ids: list[str] | None = None
    service_codes: list[str] | None = None
    start: datetime | None = None
    end: datetime | None = None
    statuses: list[str] | None = None
    full_detail: bool = False
    # The regions a `full_detail` key reads (services/regions.py); None: every region's public view.
    region_codes: list[str] | None = None
    # `jurisdiction_id`: one region's requests only.
    jurisdiction_id: str | None = None


def full_detail_regions(key: str | None) -> list[str] | None:
    """The regions a key with `full_detail` reads in full (its own and, for a province key, its
    cities'); None for the public view (no key, or a key without that scope)."""
    from ticketing.services.api_keys import FULL_DETAIL, has_scope

    if not key:
        return None
    api_key = require_api_key(key)
    return visible_region_codes(api_key) if has_scope(api_key, FULL_DETAIL) else None


def date_window(start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    """The spec's window: both bounds default to the most recent 90 days, and may not span more."""
    days = int(current_app.config.get("OPEN311_MAX_RANGE_DAYS", 90))
    span = timedelta(days=days)
    if start is None and end is None:
        end = utcnow()
    if start is None:
        start = end - span
    if end is None:
        end = start + span
    if end < start:
        raise Open311Error(400, "end_date is before start_date")
    if end - start > span:
        raise Open311Error(400, f"start_date and end_date may not span more than {days} days")
    return start, end


def find_requests(query: RequestQuery) -> list[dict]:
    limit = int(current_app.config.get("OPEN311_MAX_REQUESTS", 1000))
    select_tickets = select(Ticket).where(Ticket.confidential.is_(False))
    if query.region_codes is not None:
        select_tickets = select_tickets.where(Ticket.region_code.in_(query.region_codes))
    if query.jurisdiction_id:
        select_tickets = select_tickets.where(Ticket.region_code == query.jurisdiction_id)
    if query.service_request_ids:
        # The spec: service_request_id overrides every other parameter.
        numbers = [n for n in (normalize_ticket_number(i) for i in query.service_request_ids) if n]
        if not numbers:
            return []
        select_tickets = select_tickets.where(Ticket.ticket_number.in_(numbers))
    else:
        start, end = date_window(query.start, query.end)
        select_tickets = select_tickets.where(Ticket.created_at >= start, Ticket.created_at <= end)
        if query.service_codes:
            select_tickets = select_tickets.where(Ticket.category_code.in_(query.service_codes))
        if query.statuses:
            wanted = [s for group in query.statuses for s in STATUS_GROUPS[group]]
            select_tickets = select_tickets.where(Ticket.status.in_(wanted))
    tickets = list(db.session.scalars(select_tickets.order_by(Ticket.id.desc()).limit(limit)))
    views = request_views(tickets, full_detail=query.full_detail)
    db.session.rollback()  # end the read transaction
    return views


def find_request(
    service_request_id: str,
    *,
    full_detail: bool = False,
    region_codes: list[str] | None = None,
    jurisdiction_id: str | None = None,
) -> dict:
    number = normalize_ticket_number(service_request_id)
    ticket = None
    if number is not None:
        found = select(Ticket).where(Ticket.ticket_number == number, Ticket.confidential.is_(False))
        if region_codes is not None:
            found = found.where(Ticket.region_code.in_(region_codes))
        if jurisdiction_id:
            found = found.where(Ticket.region_code == jurisdiction_id)
        ticket = db.session.scalar(found)
    if ticket is None:
        raise Open311Error(404, f"service_request_id {service_request_id} not found")
    views = request_views([ticket], full_detail=full_detail)
    db.session.rollback()
    return views[0]


def _local(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return local(moment).isoformat(timespec="seconds")


def _latest_public_notes(ticket_ids: list[int]) -> dict[int, str]:
    """The newest public note per ticket, in one query."""
    if not ticket_ids:
        return {}
    newest = (
        select(func.max(TicketEvent.id))
        .where(
            TicketEvent.ticket_id.in_(ticket_ids), TicketEvent.public.is_(True), TicketEvent.note.is_not(None)
        )
        .group_by(TicketEvent.ticket_id)
    )
    rows = db.session.execute(
        select(TicketEvent.ticket_id, TicketEvent.note).where(TicketEvent.id.in_(newest))
    )
    return {ticket_id: note for ticket_id, note in rows}


def _creation_data(ticket_ids: list[int]) -> dict[int, dict]:
    rows = db.session.execute(
        select(TicketEvent.ticket_id, TicketEvent.data).where(
            TicketEvent.ticket_id.in_(ticket_ids), TicketEvent.type == "ticket.created"
        )
    )
    return {ticket_id: data or {} for ticket_id, data in rows}


def _place(ticket: Ticket, full_detail: bool) -> tuple[float | None, float | None, str | None]:
    """(lat, long, address) as this reader may see them: exact for a `full_detail` key (an
    anonymous reporter's doorstep still blurred), else rounded as open data rounds, no address."""
    if full_detail and not ticket.anonymous:
        return ticket.lat, ticket.lon, ticket.address
    return (
        round(ticket.lat, 3) if ticket.lat is not None else None,
        round(ticket.lon, 3) if ticket.lon is not None else None,
        None,
    )


def request_views(tickets: list[Ticket], *, full_detail: bool = False) -> list[dict]:
    ids = [t.id for t in tickets]
    notes = _latest_public_notes(ids)
    created = _creation_data(ids) if ids else {}
    region_codes = sorted({t.region_code for t in tickets})
    names_opd, names_category = opd_names(region_codes), category_names(region_codes)
    views = []
    for ticket in tickets:
        lat, lon, address = _place(ticket, full_detail)
        note = notes.get(ticket.id) or catalogue.text(f"status.{ticket.status}")
        views.append(
            {
                "service_request_id": ticket.ticket_number,
                "status": "open" if ticket.status in STATUS_GROUPS["open"] else "closed",
                "status_notes": mask_personal_data(note),
                "service_name": names_category.get((ticket.region_code, ticket.category_code)),
                "service_code": ticket.category_code,
                "description": (mask_personal_data(ticket.description) if full_detail else ticket.summary),
                "agency_responsible": names_opd.get((ticket.region_code, ticket.opd_code)),
                "service_notice": None,
                "requested_datetime": _local(ticket.created_at),
                "updated_datetime": _local(ticket.updated_at),
                "expected_datetime": _local(ticket.sla_due_at),
                "address": address,
                "address_id": None,
                "zipcode": None,
                "lat": lat,
                "long": lon,
                # A partner's photo link may show faces and plates: full detail only.
                "media_url": created.get(ticket.id, {}).get("media_url") if full_detail else None,
                # An extension (issue #17): pengaduan, aspirasi or informasi.
                "kind": ticket.kind,
            }
        )
    return views


def discovery(base_url: str) -> dict:
    formats = ["application/json", "text/xml"]
    return {
        "changeset": "2025-01-01T00:00:00Z",
        "contact": "Command Center — see the city's website",
        "key_service": "Ask the command-centre administrator for an API key "
        "(flask --app wsgi create-api-key --name N).",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base_url,
                "changeset": "2025-01-01T00:00:00Z",
                "type": "production",
                "formats": formats,
            }
        ],
        # Province mode: every region answers at the same endpoint, named by `jurisdiction_id`.
        "jurisdictions": [{"jurisdiction_id": region.code, "name": region.name} for region in list_regions()],
    }


def reject_api_error(exc: APIError) -> Open311Error:
    """Intake's own validation errors, in Open311's words."""
    detail = "; ".join(
        f"{field}: {', '.join(map(str, problems))}" for field, problems in (exc.fields or {}).items()
    )
    return Open311Error(400, f"{exc.message} {detail}".strip())
