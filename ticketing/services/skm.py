"""Citizen satisfaction surveys (SKM): the services each OPD delivers, taking an answer, and the
published index (the arithmetic is in skm_index.py).

One answer per phone, or per browser, per service per semester: the phone (normalised to E.164)
and the browser's survey cookie are stored only as keyed hashes, and the table's unique keys
refuse the second answer even when two arrive at once. Answers from one address beyond
`SKM_BURST_PER_ADDRESS` within `SKM_BURST_WINDOW_SECONDS` are kept but flagged: left out of the
index and shown as flagged, never counted silently (a kiosk at a service desk legitimately
sends many, so they are not refused).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.formatting import city_zone
from ticketing.models import Opd, Ticket
from ticketing.models.base import insert_unless_taken, utcnow
from ticketing.models.regions import default_region_code
from ticketing.models.skm import (
    EDUCATIONS,
    ELEMENTS,
    OCCUPATIONS,
    SERVICE_MODES,
    SEXES,
    PublicService,
    SurveyResponse,
)
from ticketing.phones import InvalidPhoneNumber, to_e164
from ticketing.services import skm_index
from ticketing.services.skm_index import Semester

COMPLAINT_SERVICE_PREFIX = "ADUAN-"


# -- services ----------------------------------------------------------------------------------


def service_payload(service: PublicService) -> dict:
    return {
        "code": service.code,
        "name": service.name,
        "opd": service.opd_code,
        "region": service.region_code,
    }


def list_services(
    region_codes: list[str] | None = None, include_inactive: bool = False
) -> list[PublicService]:
    query = select(PublicService).order_by(
        PublicService.region_code, PublicService.opd_code, PublicService.code
    )
    if region_codes is not None:
        query = query.where(PublicService.region_code.in_(region_codes))
    if not include_inactive:
        query = query.where(PublicService.active.is_(True))
    return list(db.session.scalars(query))


def find_service(code: str | None, region_code: str | None = None) -> PublicService | None:
    """The active service `code` of `region_code` (default: DEFAULT_REGION)."""
    if not isinstance(code, str) or not code or len(code) > 32:
        return None
    return db.session.scalar(
        select(PublicService).where(
            PublicService.region_code == (region_code or default_region_code()),
            PublicService.code == code.upper(),
            PublicService.active.is_(True),
        )
    )


def _opd(region_code: str, code: str) -> Opd | None:
    from ticketing.services.regions import find_opd

    return find_opd(region_code, code)


def opd_names(region_codes: list[str] | None = None) -> dict[tuple[str, str], str]:
    query = select(Opd.region_code, Opd.code, Opd.name)
    if region_codes is not None:
        query = query.where(Opd.region_code.in_(region_codes))
    return {(region, code): name for region, code, name in db.session.execute(query)}


def _invalid(field: str, key: str, **values):
    text = catalogue.text(key, **values)
    raise APIError(422, "invalid_fields", catalogue.text("error.invalid_fields"), {field: [text]})


def save_service(
    actor,
    *,
    code: str,
    name: str,
    opd_code: str,
    mode: str,
    population: int | None,
    not_applicable: list[str],
    active: bool,
    complaint_handling: bool = False,
    region_code: str | None = None,
    create: bool,
) -> PublicService:
    """Add or change a service (the admin console); audited like the OPDs. Commits."""
    from ticketing.services.administration import record

    region_code = region_code or getattr(actor, "region_code", None) or default_region_code()
    code = (code or "").strip().upper()
    if not code or len(code) > 32 or not all(c.isalnum() or c in "-_" for c in code):
        _invalid("code", "skm.admin.code_invalid")
    name = (name or "").strip()
    if not name or len(name) > 200:
        _invalid("name", "field.length_between", min=1, max=200)
    if _opd(region_code, opd_code) is None:
        _invalid("opd", "skm.admin.opd_unknown")
    if mode not in SERVICE_MODES:
        _invalid("mode", "field.one_of", choices=", ".join(SERVICE_MODES))
    if population is not None and not 0 < population <= 100_000_000:
        _invalid("population", "field.range", min=1, max=100_000_000)
    skipped = sorted({e for e in not_applicable or () if e in ELEMENTS})
    if len(skipped) >= len(ELEMENTS):
        _invalid("not_applicable", "skm.admin.all_skipped")
    service = db.session.scalar(
        select(PublicService).where(PublicService.region_code == region_code, PublicService.code == code)
    )
    if create and service is not None:
        _invalid("code", "admin.in_use")
    if not create and service is None:
        raise APIError(404, "not_found", catalogue.text("skm.unknown_service"))
    fields = ("name", "opd_code", "mode", "population", "not_applicable", "active", "complaint_handling")
    before = {} if create else {f: getattr(service, f) for f in fields}
    if create:
        service = PublicService(region_code=region_code, code=code)
        db.session.add(service)
    service.name, service.opd_code, service.mode = name, opd_code, mode
    service.population, service.not_applicable, service.active = population, skipped, active
    service.complaint_handling = complaint_handling
    after = {f: getattr(service, f) for f in fields}
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if changes:
        action = "skm_service.create" if create else "skm_service.update"
        record(actor, action, "skm_service", code, changes, region_code=region_code)
    db.session.commit()
    return service


def complaint_service_for(ticket: Ticket) -> PublicService | None:
    """The "Penanganan pengaduan" service of the ticket's OPD, else of the region's command
    centre (a complaint-handling service of no particular agency), else None."""
    region = ticket.region_code
    candidates = db.session.scalars(
        select(PublicService).where(
            PublicService.region_code == region,
            PublicService.complaint_handling.is_(True),
            PublicService.active.is_(True),
        )
    ).all()
    for service in candidates:
        if service.opd_code == ticket.opd_code:
            return service
    return candidates[0] if len(candidates) == 1 else None


# -- answers -----------------------------------------------------------------------------------


def _keyed_hash(kind: str, value: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"skm:{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def phone_hash(phone: str) -> str:
    """A phone (any spelling) as the hash it is stored by; a chat id (tg:…) as itself."""
    if phone.startswith(("tg:", "wa:")):
        return _keyed_hash("phone", phone)
    try:
        return _keyed_hash("phone", to_e164(phone))
    except InvalidPhoneNumber:
        _invalid("phone", "web.field.phone")


def browser_hash(token: str) -> str:
    return _keyed_hash("browser", token)


def address_hash(address: str) -> str:
    return _keyed_hash("address", address)


def current_semester() -> Semester:
    return Semester.of(utcnow(), city_zone())


def check_answers(service: PublicService, answers: dict, respondent: dict) -> dict[str, int | None]:
    """The nine answers with not-applicable elements emptied; 422 naming each bad field."""
    fields: dict[str, dict[str, list[str]]] = {}
    clean: dict[str, int | None] = {}
    skipped = set(service.not_applicable or ())
    for element in ELEMENTS:
        value = answers.get(element)
        if element in skipped:
            clean[element] = None
        elif value is None:
            fields.setdefault("answers", {})[element] = [catalogue.text("skm.answer_required")]
        elif isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
            fields.setdefault("answers", {})[element] = [catalogue.text("field.range", min=1, max=4)]
        else:
            clean[element] = value
    choices = {"sex": SEXES, "education": EDUCATIONS, "occupation": OCCUPATIONS}
    for name, allowed in choices.items():
        if respondent.get(name) not in allowed:
            text = catalogue.text("field.one_of", choices=", ".join(allowed))
            fields.setdefault("respondent", {})[name] = [text]
    age = respondent.get("age")
    if isinstance(age, bool) or not isinstance(age, int) or not 10 <= age <= 120:
        fields.setdefault("respondent", {})["age"] = [catalogue.text("field.range", min=10, max=120)]
    if fields:
        raise APIError(422, "invalid_fields", catalogue.text("error.invalid_fields"), fields)
    return clean


def _is_burst(region_code: str, address_key: str | None) -> bool:
    if not address_key:
        return False
    limit = int(current_app.config.get("SKM_BURST_PER_ADDRESS", 20))
    window = int(current_app.config.get("SKM_BURST_WINDOW_SECONDS", 600))
    recent = db.session.scalar(
        select(func.count())
        .select_from(SurveyResponse)
        .where(
            SurveyResponse.region_code == region_code,
            SurveyResponse.address_hash == address_key,
            SurveyResponse.created_at >= utcnow() - timedelta(seconds=window),
        )
    )
    return (recent or 0) >= limit


def already_answered(service: PublicService, *, phone: str | None = None, browser: str | None = None) -> bool:
    semester = current_semester().code
    checks = []
    if phone:
        checks.append(SurveyResponse.phone_hash == phone_hash(phone))
    if browser:
        checks.append(SurveyResponse.browser_hash == browser_hash(browser))
    for check in checks:
        found = db.session.scalar(
            select(SurveyResponse.id).where(
                SurveyResponse.service_id == service.id, SurveyResponse.semester == semester, check
            )
        )
        if found is not None:
            return True
    return False


def submit_response(
    service: PublicService,
    answers: dict,
    respondent: dict,
    *,
    channel: str,
    comment: str | None = None,
    phone: str | None = None,
    browser: str | None = None,
    address: str | None = None,
    ticket: Ticket | None = None,
    commit: bool = True,
) -> SurveyResponse:
    """Store one answer: 422 for bad fields, 409 `already_answered` for a second one from the
    same phone or browser this semester. `commit=False` leaves the commit to the caller (the
    chat conversation commits it with its reply)."""
    clean = check_answers(service, answers, respondent)
    if ticket is not None and ticket.reporter_phone and not phone:
        phone = ticket.reporter_phone  # the complaint's own phone: one answer per citizen
    phone_key = phone_hash(phone) if phone else None
    address_key = address_hash(address) if address else None
    comment = (comment or "").strip()[:2000] or None
    values = dict(
        region_code=service.region_code,
        service_id=service.id,
        semester=current_semester().code,
        sex=respondent["sex"],
        age=respondent["age"],
        education=respondent["education"],
        occupation=respondent["occupation"],
        comment=comment,
        channel=channel,
        phone_hash=phone_key,
        browser_hash=browser_hash(browser) if browser else None,
        address_hash=address_key,
        flagged=_is_burst(service.region_code, address_key),
        ticket_id=ticket.id if ticket is not None else None,
        created_at=utcnow(),
        **clean,
    )
    row = insert_unless_taken(db.session, SurveyResponse, values)
    if row is None:
        if commit:  # else the caller's transaction (a chat message's row) stays whole
            db.session.rollback()
        raise APIError(409, "already_answered", catalogue.text("skm.already_answered"))
    if commit:
        db.session.commit()
    return row


# -- results -----------------------------------------------------------------------------------


def parse_semester(value: str | None) -> Semester:
    if value in (None, ""):
        return current_semester()
    semester = Semester.parse(value)
    if semester is None:
        _invalid("semester", "skm.semester_format")
    return semester


def _answers(semester: Semester, region_codes: list[str] | None) -> list[SurveyResponse]:
    query = select(SurveyResponse).where(SurveyResponse.semester == semester.code)
    if region_codes is not None:
        query = query.where(SurveyResponse.region_code.in_(region_codes))
    return list(db.session.scalars(query.order_by(SurveyResponse.id)))


def semester_results(semester: Semester, region_codes: list[str] | None = None) -> dict:
    """Every service's index this semester, and each OPD's and the city's (all their counted
    answers together, each element over the answers that have it)."""
    rows = _answers(semester, region_codes)
    services = list_services(region_codes, include_inactive=True)
    names = opd_names(region_codes)
    by_service: dict[int, list[SurveyResponse]] = {}
    for row in rows:
        by_service.setdefault(row.service_id, []).append(row)
    service_rows, by_opd = [], {}
    for service in services:
        answered = by_service.get(service.id, [])
        if not service.active and not answered:
            continue
        counted = [r.answers() for r in answered if not r.flagged]
        index = skm_index.compute(counted, service.not_applicable)
        key = (service.region_code, service.opd_code)
        by_opd.setdefault(key, []).extend(counted)
        service_rows.append(
            _index_row(index, flagged=len(answered) - len(counted), service=service, names=names)
        )
    opd_rows = []
    for (region, code), counted in sorted(by_opd.items()):
        index = skm_index.compute(counted)
        opd_rows.append(
            {"opd": code, "region": region, "name": names.get((region, code), code), **_figures(index)}
        )
    everything = [r.answers() for r in rows if not r.flagged]
    db.session.rollback()
    return {
        "semester": semester.code,
        "label": semester.label,
        "period": semester.period_label,
        "services": service_rows,
        "opds": opd_rows,
        "city": _figures(skm_index.compute(everything)),
        "flagged": sum(1 for r in rows if r.flagged),
    }


def _figures(index: skm_index.Index) -> dict:
    return {
        "respondents": index.respondents,
        "elements": index.rounded_means(),
        "ikm": None if index.ikm is None else float(index.ikm),
        "grade": index.grade,
        "weakest": [{"element": e, "mean": m} for e, m in index.weakest()],
    }


def _index_row(index: skm_index.Index, *, flagged: int, service: PublicService, names: dict) -> dict:
    needed = skm_index.sample_size(service.population)
    return {
        "service": service.code,
        "name": service.name,
        "opd": service.opd_code,
        "opd_name": names.get((service.region_code, service.opd_code), service.opd_code),
        "region": service.region_code,
        "mode": service.mode,
        "flagged": flagged,
        "population": service.population,
        "sample_size": needed,
        "progress": round(min(index.respondents / needed, 1.0), 4) if needed else None,
        "not_applicable": list(service.not_applicable or ()),
        **_figures(index),
    }
