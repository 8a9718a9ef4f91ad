"""SKM front doors: the public API (API.md §6, Surveys) and the citizen's survey pages.

The form `/skm/<service_code>` is a plain server-rendered form (no JavaScript needed, a cheap
phone's browser is enough). A browser is told apart by a random cookie (`skm_browser`), stored
only hashed, so "one answer per browser per service per semester" holds without a login; a
phone number, when given, is the stronger key.
"""

from __future__ import annotations

import secrets

import segno
from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from ticketing import catalogue
from ticketing.errors import APIError, http_error_response
from ticketing.extensions import csrf, limiter
from ticketing.http import json_body
from ticketing.models.skm import EDUCATIONS, ELEMENTS, OCCUPATIONS, SEXES
from ticketing.ratelimits import PUBLIC_READS_SCOPE, client_address, public_reads_limit, retry_after_seconds
from ticketing.services import skm
from ticketing.services.tracking import ticket_for_citizen
from ticketing.skm.schemas import (
    ResultSchema,
    ResultsQuerySchema,
    ServiceSchema,
    SurveyAnsweredSchema,
    SurveyAnswerSchema,
)

bp = Blueprint(
    "skm", __name__, template_folder="templates", static_folder="static", static_url_path="/static/skm"
)

BROWSER_COOKIE = "skm_browser"
BROWSER_COOKIE_DAYS = 200  # longer than a semester

answer_schema = SurveyAnswerSchema()
results_query = ResultsQuerySchema()


@bp.app_template_filter("ikm")
def ikm_text(value) -> str:
    """An index or a mean as the regulation prints it: two decimals, Indonesian notation
    (79,06; 55,00); None → "–"."""
    if value is None:
        return "–"
    return f"{float(value):,.2f}".replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def survey_rate_limit() -> str:
    return current_app.config["RATELIMIT_COMPLAINTS"]


@bp.context_processor
def page_globals() -> dict:
    def scale(element: str) -> list[str]:
        return catalogue.text(f"skm.scale.{element}").split("|")

    return {
        "city": current_app.config.get("CITY_NAME") or "",
        "msg": catalogue.text,
        "elements": ELEMENTS,
        "scale": scale,
        "sexes": SEXES,
        "educations": EDUCATIONS,
        "occupations": OCCUPATIONS,
    }


# -- API ---------------------------------------------------------------------------------------


@bp.get("/api/v1/skm/services")
@limiter.shared_limit(public_reads_limit, scope=PUBLIC_READS_SCOPE)
def services():
    rows = [skm.service_payload(s) for s in skm.list_services()]
    return current_app.json.response(ServiceSchema(many=True).dump(rows))


@bp.post("/api/v1/skm/<service_code>/responses")
@limiter.limit(survey_rate_limit)
def answer(service_code: str):
    body = answer_schema.load(json_body())
    service = _service_or_404(service_code)
    row = skm.submit_response(
        service,
        body["answers"],
        body["respondent"],
        channel="api",
        comment=body.get("comment"),
        phone=body.get("phone"),
        address=client_address(),
    )
    payload = {"service": service.code, "semester": row.semester, "flagged": row.flagged}
    return current_app.json.response(SurveyAnsweredSchema().dump(payload)), 201


@bp.get("/api/v1/skm/results")
@limiter.shared_limit(public_reads_limit, scope=PUBLIC_READS_SCOPE)
def results():
    query = results_query.load(request.args.to_dict())
    figures = skm.semester_results(skm.parse_semester(query.get("semester")))
    return current_app.json.response(ResultSchema(many=True).dump(figures["services"]))


def _service_or_404(code: str):
    service = skm.find_service(code, request.args.get("region"))
    if service is None:
        raise APIError(404, "not_found", catalogue.text("skm.unknown_service"))
    return service


# -- pages -------------------------------------------------------------------------------------


@bp.get("/skm/results")
@limiter.shared_limit(public_reads_limit, scope=PUBLIC_READS_SCOPE)
def results_page():
    try:
        semester = skm.parse_semester(request.args.get("semester"))
    except APIError:
        semester = skm.current_semester()
    figures = skm.semester_results(semester)
    choices = [semester.previous().previous(), semester.previous(), semester]
    return render_template("skm/results.html", figures=figures, semester=semester, choices=choices)


def _ticket_from_query(values) -> object | None:
    number, token = values.get("tiket"), values.get("token")
    if not number or not token:
        return None
    return ticket_for_citizen(str(number)[:32], str(token)[:200])


def _render_form(service, values=None, errors=None, notice=None, status=200):
    values = dict(values or {})
    response = current_app.make_response(
        (
            render_template(
                "skm/form.html", service=service, values=values, errors=errors or {}, notice=notice
            ),
            status,
        )
    )
    if not request.cookies.get(BROWSER_COOKIE):
        response.set_cookie(
            BROWSER_COOKIE,
            secrets.token_urlsafe(24),
            max_age=BROWSER_COOKIE_DAYS * 86400,
            path="/skm",
            httponly=True,
            samesite="Lax",
            secure=request.is_secure,
        )
    return response


@bp.get("/skm/<service_code>")
def form(service_code: str):
    service = _service_or_404(service_code)
    browser = request.cookies.get(BROWSER_COOKIE)
    if browser and skm.already_answered(service, browser=browser):
        return _render_form(service, notice="already_answered")
    return _render_form(service, values=request.args.to_dict())


def _form_answers(form) -> tuple[dict, dict]:
    def number(name: str):
        value = (form.get(name) or "").strip()
        return int(value) if value.isdigit() and len(value) < 4 else (None if not value else -1)

    answers = {element: number(element) for element in ELEMENTS}
    respondent = {
        "sex": form.get("sex"),
        "age": number("age"),
        "education": form.get("education"),
        "occupation": form.get("occupation"),
    }
    return answers, respondent


@bp.post("/skm/<service_code>")
@limiter.limit(survey_rate_limit)
def submit_form(service_code: str):
    service = _service_or_404(service_code)
    values = request.form.to_dict()
    try:
        csrf.protect()
    except CSRFError:
        return _render_form(service, values, notice="csrf", status=400)
    answers, respondent = _form_answers(request.form)
    phone = (values.get("phone") or "").strip() or None
    try:
        skm.submit_response(
            service,
            answers,
            respondent,
            channel="web",
            comment=values.get("comment"),
            phone=phone,
            browser=request.cookies.get(BROWSER_COOKIE),
            address=client_address(),
            ticket=_ticket_from_query(values),
        )
    except APIError as exc:
        if exc.code == "already_answered":
            return _render_form(service, values, notice="already_answered", status=409)
        return _render_form(service, values, errors=exc.fields, notice="invalid", status=exc.status)
    return redirect(url_for("skm.thanks", service_code=service.code), 303)


@bp.get("/skm/<service_code>/terima-kasih")
def thanks(service_code: str):
    service = _service_or_404(service_code)
    return render_template("skm/thanks.html", service=service)


@bp.get("/skm/<service_code>/poster")
def poster(service_code: str):
    service = _service_or_404(service_code)
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url.rstrip("/")
    link = base.rstrip("/") + url_for("skm.form", service_code=service.code)
    qr = segno.make(link, error="m")
    svg = qr.svg_inline(scale=10, dark="#000", light="#fff", title=f"Kode QR survei {service.name}")
    return render_template("skm/poster.html", service=service, link=link, qr_svg=Markup(svg))


@bp.app_context_processor
def complaint_survey_link() -> dict:
    """`skm_complaint_link(ticket_number, token)` for the tracking page of a resolved ticket."""

    def link(ticket_number, token):
        ticket = ticket_for_citizen(ticket_number, token) if ticket_number and token else None
        if ticket is None or ticket.status not in ("resolved", "closed"):
            return None
        service = skm.complaint_service_for(ticket)
        if service is None:
            return None
        return url_for("skm.form", service_code=service.code, tiket=ticket.ticket_number, token=token)

    return {"skm_complaint_link": link}


@bp.after_request
def page_headers(response):
    """The form carries a CSRF token and the browser's survey cookie: never kept by a shared
    cache. The published results and the poster may be."""
    if response.mimetype == "text/html" and request.endpoint not in ("skm.results_page", "skm.poster"):
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException):
    if request.path.startswith("/api/"):
        return http_error_response(exc)
    headers = {"Retry-After": str(retry_after_seconds(exc))} if exc.code == 429 else {}
    return render_template("skm/error.html", status=exc.code), exc.code or 500, headers


@bp.errorhandler(APIError)
def api_error(exc: APIError):
    if request.path.startswith("/api/"):
        from ticketing.errors import error_response

        return error_response(exc.status, exc.code, exc.message, exc.fields, exc.headers)
    return render_template("skm/error.html", status=exc.status, message=exc.message), exc.status
