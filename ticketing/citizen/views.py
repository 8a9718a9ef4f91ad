"""The citizen's web page: the complaint form (`/lapor`), its receipt, and the installable app.

Progressive enhancement: every page is a plain server-rendered form that works without
JavaScript (an address field instead of the map); `lapor.js` adds the map, the category guess,
photo resizing and the offline outbox, and files through the JSON API with the same
Idempotency-Key the plain form carries.
"""

from __future__ import annotations

import segno
from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from ticketing import catalogue
from ticketing.citizen.schemas import complaint_from_form, new_idempotency_key
from ticketing.errors import APIError
from ticketing.extensions import csrf, limiter
from ticketing.formatting import MONTHS_ID
from ticketing.ratelimits import complaint_limits, retry_after_seconds
from ticketing.services.citizen import (
    PHOTOS_PER_COMPLAINT,
    add_citizen_photos,
    check_citizen_photo,
    citizen_categories,
    kelurahan_name,
    kelurahan_places,
    map_settings,
    photo_limit_bytes,
)
from ticketing.services.intake import file_web_complaint
from ticketing.services.region_choice import form_regions
from ticketing.services.region_routing import warm_router_in_background
from ticketing.services.tracking import ticket_for_citizen, tracking_path

bp = Blueprint(
    "citizen",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/citizen",
)

# Form bodies carry up to three photos; everything else keeps the app's small body limit.
FORM_OVERHEAD_BYTES = 256 * 1024


@bp.app_template_filter("citizen_time")
def citizen_time(moment) -> str:
    """A time already on the city's clock as Indonesians write it: 30 November 2026, 14.05."""
    if moment is None:
        return "–"
    return f"{moment.day} {MONTHS_ID[moment.month - 1]} {moment.year}, {moment:%H.%M}"


@bp.context_processor
def page_globals() -> dict:
    def field_error(name: str) -> str:
        mb = photo_limit_bytes() // (1024 * 1024)
        key = f"web.field.{name}"
        if key not in catalogue.CATALOGUE[catalogue.DEFAULT_LANGUAGE]:
            key = "web.field.invalid"
        return catalogue.text(key, mb=mb, count=PHOTOS_PER_COMPLAINT)

    def msg(key: str, **values) -> str:
        return catalogue.text(key, **values)

    def script_texts() -> dict[str, str]:
        prefix = "web.js."
        return {
            key[len(prefix) :]: value
            for key, value in catalogue.CATALOGUE[catalogue.DEFAULT_LANGUAGE].items()
            if key.startswith(prefix)
        }

    return {
        "city": current_app.config.get("CITY_NAME") or "",
        "msg": msg,
        "script_texts": script_texts,
        "field_error": field_error,
        "max_photo_mb": photo_limit_bytes() // (1024 * 1024),
    }


def complaint_rate_limit() -> str:
    return current_app.config["RATELIMIT_COMPLAINTS"]


def _map_settings() -> dict:
    return map_settings()


def tracking_url(ticket_number: str, token: str) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url.rstrip("/")
    return base.rstrip("/") + tracking_path(ticket_number, token)


def photo_uploads() -> list[bytes]:
    """The form's photos (an empty file input sends one nameless part: skipped)."""
    files = [f for f in request.files.getlist("photo") if f and f.filename]
    if len(files) > PHOTOS_PER_COMPLAINT:
        text = catalogue.text("error.photo_count", count=PHOTOS_PER_COMPLAINT)
        raise APIError(422, "invalid_fields", text, {"photo": [text]})
    return [f.read(photo_limit_bytes() + 1) for f in files]


@bp.before_request
def allow_photo_bodies():
    if request.method == "POST":
        request.max_content_length = PHOTOS_PER_COMPLAINT * photo_limit_bytes() + FORM_OVERHEAD_BYTES


@bp.after_request
def page_headers(response):
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = "; ".join(
            [
                "default-src 'self'",
                "script-src 'self'",
                "style-src 'self'",
                f"img-src 'self' data: blob:{' ' + _tile_origin() if _tile_origin() else ''}",
                "connect-src 'self'",
                "worker-src 'self'",
                "manifest-src 'self'",
                "object-src 'none'",
                "base-uri 'none'",
                "form-action 'self'",
                "frame-ancestors 'none'",
            ]
        )
        # The receipt and the tracking page carry the token in their URL: never cached by
        # a shared cache, never sent on as a Referer.
        response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = (
        "no-referrer"
        if request.path.startswith("/lacak") or request.path.startswith("/lapor/terkirim")
        else "strict-origin"
    )
    return response


def _tile_origin() -> str | None:
    from urllib.parse import urlsplit

    parts = urlsplit(current_app.config.get("MAP_TILE_URL") or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"


def render_form(
    values: dict | None = None, errors: dict | None = None, notice: str | None = None, status: int = 200
):
    values = dict(values or {})
    values.setdefault("idempotency_key", new_idempotency_key())
    return render_template(
        "citizen/lapor.html",
        values=values,
        errors=errors or {},
        notice=notice,
        categories=citizen_categories(),
        places=kelurahan_places(),
        regions=form_regions(),  # province mode only: a single city shows no select
        map_settings=_map_settings(),
        max_photos=PHOTOS_PER_COMPLAINT,
        max_photo_mb=photo_limit_bytes() // (1024 * 1024),
    ), status


@bp.get("/lapor")
def complaint_form():
    warm_router_in_background()  # the category guess answers from the first words typed
    return render_form()


@bp.post("/lapor")
@limiter.limit(complaint_rate_limit)
@complaint_limits(limiter)
def file_from_form():
    """The form without JavaScript: check, store through intake, redirect to the receipt."""
    values = request.form.to_dict()
    try:
        csrf.protect()
    except CSRFError:
        return render_form(values, notice="csrf", status=400)
    try:
        photos = photo_uploads()
        for content in photos:
            check_citizen_photo(content)
        complaint, key = complaint_from_form(request.form, kelurahan_name(values.get("kelurahan")))
    except ValidationError as exc:
        return render_form(values, errors=exc.messages, status=422)
    except APIError as exc:
        return render_form(values, errors=exc.fields or {"photo": [exc.message]}, status=exc.status)
    try:
        created = file_web_complaint(complaint, key)
    except APIError as exc:
        return render_form(values, errors=exc.fields, notice=exc.code, status=exc.status)
    if photos and not created.replayed:
        add_citizen_photos(created.ticket, photos)
    return redirect(
        url_for("citizen.receipt", ticket_number=created.ticket_number, token=created.tracking_token), 303
    )


@bp.get("/lapor/terkirim/<ticket_number>")
def receipt(ticket_number: str):
    token = request.args.get("token")
    ticket = ticket_for_citizen(ticket_number, token)
    if ticket is None:
        raise APIError(404, "not_found", catalogue.text("error.ticket_not_found_for_token"))
    link = tracking_url(ticket.ticket_number, token)
    qr = segno.make(link, error="m")
    svg = qr.svg_inline(scale=4, dark="#111", light="#fff", title="Kode QR tautan pelacakan")
    return render_template(
        "citizen/receipt.html", ticket_number=ticket.ticket_number, tracking_link=link, qr_svg=Markup(svg)
    )


@bp.get("/lapor/wilayah.json")
def places():
    """The kelurahan the place search offers, each with a point inside it."""
    response = current_app.json.response(kelurahan_places())
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get("/lapor/manifest.webmanifest")
def manifest():
    city = current_app.config.get("CITY_NAME") or "Kota"
    body = {
        "name": f"Lapor {city}",
        "short_name": "Lapor",
        "description": f"Pengaduan warga {city}: lapor, lacak dan nilai tindak lanjutnya.",
        "lang": "id",
        "start_url": "/lapor",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5cad",
        "icons": [
            {
                "src": url_for("citizen.static", filename=f"icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in (192, 512)
        ],
    }
    response = current_app.json.response(body)
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/lapor-sw.js")
def service_worker():
    """At the root so its scope covers /lapor and /lacak; it answers only for those pages and
    their files and leaves every other request (console, wall, API) alone."""
    response = send_from_directory(bp.static_folder, "sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.errorhandler(APIError)
def api_error(exc: APIError):
    return render_template("citizen/error.html", status=exc.status, code=exc.code), exc.status


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException):
    code = {413: "payload_too_large", 429: "rate_limited"}.get(exc.code, "error")
    headers = {"Retry-After": str(retry_after_seconds(exc))} if exc.code == 429 else {}
    return render_template("citizen/error.html", status=exc.code, code=code), exc.code or 500, headers
