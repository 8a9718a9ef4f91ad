"""Open311 GeoReport v2 under /open311/v2/ (API.md §3).

Every resource answers JSON or XML by its suffix (`services.xml`); without one, JSON. Errors are
the spec's list of `{code, description}` in the same format, with 400, 403 or 404.
"""

from __future__ import annotations

from flask import Blueprint, current_app, g, request
from marshmallow import ValidationError
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException

from ticketing.errors import APIError
from ticketing.extensions import limiter
from ticketing.open311.formats import FORMATS, errors_response, respond
from ticketing.open311.schemas import RequestsQuerySchema, ServiceRequestFormSchema
from ticketing.ratelimits import (
    PUBLIC_READS_SCOPE,
    client_address,
    public_reads_limit,
    rate_limited_text,
    retry_after_seconds,
)
from ticketing.services import open311 as service
from ticketing.services.open311 import Open311Error, RequestQuery

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")

form_schema = ServiceRequestFormSchema()
query_schema = RequestsQuerySchema()


def _split_format(name: str) -> tuple[str, str]:
    """`ABCD-2345.xml` → (`ABCD-2345`, `xml`); no known suffix → JSON."""
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix in FORMATS:
        return stem, suffix
    if dot and stem and suffix.isalpha() and len(suffix) <= 5:
        g.open311_format = "json"
        raise Open311Error(404, f"Format {suffix} is not supported; use json or xml.")
    return name, "json"


def _format(fmt: str | None) -> str:
    fmt = (fmt or "json").lower()
    g.open311_format = fmt if fmt in FORMATS else "json"
    if fmt not in FORMATS:
        raise Open311Error(404, f"Format {fmt} is not supported; use json or xml.")
    return fmt


def _validation_messages(exc: ValidationError) -> list[str]:
    messages = exc.messages if isinstance(exc.messages, dict) else {"request": exc.messages}
    out = []
    for field, problems in messages.items():
        problems = problems if isinstance(problems, list) else [problems]
        out.append(f"{field}: {' '.join(str(p) for p in problems)}")
    return out


@bp.errorhandler(Open311Error)
def handle_open311_error(exc: Open311Error):
    return errors_response(g.get("open311_format", "json"), exc.status, [exc.description])


@bp.errorhandler(ValidationError)
def handle_validation_error(exc: ValidationError):
    return errors_response(g.get("open311_format", "json"), 400, _validation_messages(exc))


@bp.errorhandler(APIError)
def handle_api_error(exc: APIError):
    status = exc.status if exc.status in (403, 404, 429, 503) else 400
    return errors_response(
        g.get("open311_format", "json"), status, [service.reject_api_error(exc).description]
    )


@bp.errorhandler(DataError)
def handle_unstorable_value(exc: DataError):
    from ticketing.extensions import db

    db.session.rollback()
    return errors_response(
        g.get("open311_format", "json"), 400, ["Some values cannot be stored (for example NUL characters)."]
    )


@bp.errorhandler(HTTPException)
def handle_http_error(exc: HTTPException):
    if exc.code == 429:
        # GeoReport's error list, with the same Retry-After and words as the rest of the API.
        seconds = retry_after_seconds(exc)
        response = errors_response(g.get("open311_format", "json"), 429, [rate_limited_text(seconds)])
        response.headers["Retry-After"] = str(seconds)
        return response
    response = errors_response(
        g.get("open311_format", "json"), exc.code or 400, [exc.description or exc.name]
    )
    if exc.code == 405 and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


# --- discovery and services -----------------------------------------------------------------


@bp.get("/discovery", defaults={"fmt": None})
@bp.get("/discovery.<fmt>")
def discovery(fmt: str | None):
    fmt = _format(fmt)
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url.rstrip("/")
    return respond(fmt, "discovery", service.discovery(base + bp.url_prefix + "/"))


@bp.get("/services", defaults={"fmt": None})
@bp.get("/services.<fmt>")
def services(fmt: str | None):
    fmt = _format(fmt)
    return respond(fmt, "services", service.service_list(_jurisdiction()))


@bp.get("/services/<name>")
def service_definition(name: str):
    code, fmt = _split_format(name)
    _format(fmt)
    return respond(fmt, "service_definition", service.service_definition(code, _jurisdiction()))


# --- service requests -----------------------------------------------------------------------


def _jurisdiction() -> str | None:
    """`jurisdiction_id` from the query string or the posted form: a region code, else None."""
    return service.jurisdiction(request.values.get("jurisdiction_id"))


def _open311_rate_limit() -> str:
    return current_app.config.get("OPEN311_RATELIMIT", "120/minute")


def _api_key_or_address() -> str:
    # One partner app posts for many citizens from one address: limit per key.
    return "open311:" + (request.form.get("api_key") or client_address())[:200]


def _attributes_from_form() -> dict[str, list[str]]:
    """`attribute[code]=v` (and `attribute[code][]=v` for multi-value lists)."""
    values: dict[str, list[str]] = {}
    for key in request.form.keys():
        if key.startswith("attribute[") and "]" in key:
            code = key[len("attribute[") : key.index("]")]
            values.setdefault(code, []).extend(request.form.getlist(key))
    return values


@bp.get("/requests", defaults={"fmt": None})
@bp.get("/requests.<fmt>")
@limiter.shared_limit(public_reads_limit, scope=PUBLIC_READS_SCOPE)
def list_requests(fmt: str | None):
    fmt = _format(fmt)
    query = query_schema.load(request.args.to_dict())
    regions = service.full_detail_regions(request.args.get("api_key"))
    found = service.find_requests(
        RequestQuery(
            service_request_ids=query.get("service_request_id"),
            service_codes=query.get("service_code"),
            start=query.get("start_date"),
            end=query.get("end_date"),
            statuses=query.get("status"),
            full_detail=regions is not None,
            region_codes=regions,
            jurisdiction_id=_jurisdiction(),
        )
    )
    return respond(fmt, "service_requests", found)


@bp.post("/requests", defaults={"fmt": None})
@bp.post("/requests.<fmt>")
@limiter.limit(_open311_rate_limit, key_func=_api_key_or_address)
def create_request(fmt: str | None):
    fmt = _format(fmt)
    api_key = service.require_api_key(request.form.get("api_key"))
    data = form_schema.load(request.form.to_dict())
    if not data.get("description"):
        data["description"] = ""
    ticket = service.submit_request(api_key, data, _attributes_from_form(), _jurisdiction())
    body = [
        {
            "service_request_id": ticket.ticket_number,
            "service_notice": None,
            "account_id": data.get("account_id"),
        }
    ]
    return respond(fmt, "service_requests", body, status=201)


@bp.get("/requests/<name>")
@limiter.shared_limit(public_reads_limit, scope=PUBLIC_READS_SCOPE)
def show_request(name: str):
    number, fmt = _split_format(name)
    _format(fmt)
    regions = service.full_detail_regions(request.args.get("api_key"))
    found = service.find_request(
        number, full_detail=regions is not None, region_codes=regions, jurisdiction_id=_jurisdiction()
    )
    return respond(fmt, "service_requests", [found])
