"""The staff console (`/console`): cookie-session login, CSRF on every form, HTML errors.

Pages call the same services as the JSON API; this module holds what every page shares: the
session user, role checks, Indonesian labels and error pages. Officer, operator and admin pages
live in `officer.py`, `operator.py` and `admin.py` on the same blueprint.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import wraps
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from ticketing import catalogue
from ticketing.console.schemas import LoginForm
from ticketing.errors import APIError, field_text
from ticketing.extensions import csrf, db, limiter
from ticketing.formatting import local, zone_label
from ticketing.models import STATUSES, User
from ticketing.ratelimits import client_address, rate_limited_text, retry_after_seconds
from ticketing.roles import ADMIN, ATASAN_PPID, OFFICER, OPD_SCOPED_ROLES, OPERATOR, PPID, WALL, WORK_ROLES
from ticketing.services.accounts import authenticate, end_console_session
from ticketing.services.console_sessions import new_session_id

bp = Blueprint(
    "console",
    __name__,
    url_prefix="/console",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)

CONSOLE_ROLES = WORK_ROLES
PUBLIC_ENDPOINTS = {"console.login", "console.static"}

# One vocabulary for statuses on every screen and message: the catalogue's.
STATUS_LABELS = {
    **{status: catalogue.text(f"status.{status}") for status in STATUSES},
    "overdue": "Terlambat",
}
# What happened to a ticket, in the catalogue's words (history, audit log, live queue).
ACTION_LABELS = {action: catalogue.text(f"action.{action}") for action in catalogue.HISTORY_ACTIONS}
ROLE_LABELS = {ADMIN: "Admin", OPERATOR: "Operator", OFFICER: "Petugas OPD", WALL: "Layar dinding"}
ROLE_LABELS |= {PPID: "PPID", ATASAN_PPID: "Atasan PPID"}  # information requests (issue #17)
CHANNEL_LABELS = {
    "web": "Web",
    "sms": "SMS",
    "whatsapp": "WhatsApp",
    "open311": "Open311",
    "telegram": "Telegram",
    "phone": "Telepon",
    "counter": "Loket",
}
FIELD_LABELS = {
    "note": "Catatan",
    "opd": "OPD",
    "reason": "Alasan",
    "duplicate_of": "Tiket asli",
    "category": "Kategori",
    "username": "Nama pengguna",
    "password": "Kata sandi",
    "role": "Peran",
    "name": "Nama",
    "code": "Kode",
    "sla_hours": "Jam SLA",
    "action": "Tindakan",
    "photo": "Foto",
    "q": "Pencarian",
    "status": "Status",
}
ERROR_TEXTS = {
    "invalid_transition": "Tindakan ini tidak bisa dilakukan pada status tiket sekarang "
    "(mungkin sudah diubah orang lain). Muat ulang halaman.",
    "forbidden": "Peran Anda tidak boleh melakukan tindakan ini.",
    "not_found": "Tidak ditemukan, atau bukan wewenang OPD Anda.",
    "payload_too_large": None,  # the service's own text is already Indonesian
    "unsupported_media_type": None,
}


# -- session user ------------------------------------------------------------------------------


def current_user() -> User | None:
    if "user" not in g:
        g.user = None
        user_id = session.get("uid")
        if user_id is not None:
            user = db.session.get(User, user_id)
            # A password or role change bumps token_version: it ends console sessions too.
            if (
                user is not None
                and user.active
                and user.token_version == session.get("tv")
                and user.role in CONSOLE_ROLES
            ):
                g.user = user
            else:
                session.clear()
    return g.user


def roles_required(*roles: str):
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if current_user().role not in roles:
                return error_page(403, "Halaman ini bukan untuk peran Anda.")
            return view(*args, **kwargs)

        return wrapper

    return decorator


@bp.before_request
def guard():
    g.pop("user", None)  # an app context can outlive a request (tests push one around many)
    if request.method == "POST":
        if request.endpoint == "console.ticket_action":
            # Phone photos are bigger than any JSON body the API accepts.
            request.max_content_length = int(current_app.config["CONSOLE_PHOTO_MAX_BYTES"]) + 256 * 1024
        if request.endpoint not in PUBLIC_ENDPOINTS and current_user() is None:
            # The session ended while a form was open: nothing is done, and signing in again
            # returns to the page the form was on (its draft is kept in the browser).
            return redirect(url_for("console.login", next=_referring_page()), 303)
        csrf.protect()
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if current_user() is None:
        return redirect(url_for("console.login", next=request.full_path.rstrip("?")))
    # Sliding idle timeout: each request renews the permanent session's lifetime.
    session.modified = True
    return None


def _referring_page() -> str:
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc and referrer.netloc != request.host:
        return url_for("console.home")
    return safe_next(referrer.path + (f"?{referrer.query}" if referrer.query else ""))


@bp.after_request
def no_store(response):
    if request.endpoint != "console.static":
        # Ticket pages hold personal data: not for the browser's or a proxy's cache.
        response.headers["Cache-Control"] = "no-store"
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


# -- helpers for the page modules ----------------------------------------------------------------


def load_form(schema, data=None) -> dict:
    """The form's fields, or APIError 422 naming the fields in Indonesian."""
    try:
        return schema.load(data if data is not None else request.form.to_dict())
    except ValidationError as exc:
        fields = exc.messages if isinstance(exc.messages, dict) else {"_": exc.messages}
        raise APIError(
            422, "invalid_fields", catalogue.text("error.invalid_fields"), field_text(fields)
        ) from exc


def explain(exc: APIError) -> str:
    """An APIError as one Indonesian sentence for a flash message or an error page."""
    if getattr(exc, "text_key", None):  # the service named its own words for staff
        return catalogue.text(exc.text_key, **exc.text_values)
    if exc.code in ERROR_TEXTS:
        return ERROR_TEXTS[exc.code] or exc.message
    if exc.code == "invalid_fields" and exc.fields:
        names = ", ".join(FIELD_LABELS.get(name, name) for name in exc.fields)
        return f"Periksa isian: {names}. ({exc.message})"
    if exc.code == "too_many_attempts":
        return "Terlalu banyak percobaan gagal. Tunggu sebentar lalu coba lagi."
    return exc.message


def error_page(status: int, message: str, headers: dict | None = None):
    return render_template("console/error.html", status=status, message=message), status, headers or {}


def safe_next(target: str | None) -> str:
    """Only a path inside the console: a login link must not bounce users to another site."""
    if target and target.startswith("/console") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("console.home")


def local_time(moment: datetime | None, fmt: str = "%d-%m-%Y %H:%M") -> str:
    if moment is None:
        return "–"
    when = local(moment)
    return f"{when.strftime(fmt)} {zone_label(when)}"


@bp.app_template_filter("console_time")
def _console_time(moment):
    return local_time(moment)


@bp.app_template_filter("console_iso_time")
def _console_iso_time(value: str | None):
    return local_time(datetime.fromisoformat(value)) if value else "–"


@bp.app_template_filter("actor")
def _actor(label: str | None) -> str:
    return catalogue.actor(label)


@bp.app_template_filter("iso")
def _iso(moment):
    return moment.astimezone(UTC).isoformat() if moment else ""


@bp.context_processor
def labels():
    return {
        "STATUS_LABELS": STATUS_LABELS,
        "ACTION_LABELS": ACTION_LABELS,
        "ROLE_LABELS": ROLE_LABELS,
        "CHANNEL_LABELS": CHANNEL_LABELS,
        "console_user": current_user() if request.endpoint not in PUBLIC_ENDPOINTS else None,
    }


# -- errors as pages, not JSON -------------------------------------------------------------------


@bp.errorhandler(CSRFError)
def csrf_failed(exc: CSRFError):
    return error_page(
        400,
        "Formulir ditolak karena token keamanannya (CSRF) hilang atau "
        "kedaluwarsa. Muat ulang halaman lalu kirim lagi.",
    )


@bp.errorhandler(APIError)
def api_error(exc: APIError):
    return error_page(exc.status, explain(exc), exc.headers)


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException):
    if exc.code == 429:
        seconds = retry_after_seconds(exc)
        return error_page(429, rate_limited_text(seconds), {"Retry-After": str(seconds)})
    texts = {
        404: "Halaman tidak ditemukan.",
        405: "Metode tidak diizinkan.",
        413: "Berkas terlalu besar.",
        429: "Terlalu banyak permintaan. Coba lagi sebentar lagi.",
    }
    return error_page(exc.code or 500, texts.get(exc.code, exc.description or exc.name))


@bp.errorhandler(Exception)
def unexpected(exc: Exception):
    import logging

    logging.getLogger(__name__).exception("console error on %s %s", request.method, request.path)
    return error_page(500, "Terjadi kesalahan di sisi kami. Coba lagi; bila berulang, hubungi admin.")


# -- login ----------------------------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def login():
    if request.method == "GET":
        if current_user() is not None:
            return redirect(url_for("console.home"))
        return render_template("console/login.html", next=request.args.get("next", ""))
    username = request.form.get("username", "")
    try:
        form = load_form(LoginForm())
        # The API's authenticate(): the same password check, the same slow-down per address and name.
        issued = authenticate(form["username"], form["password"], client_address())
    except APIError as exc:
        status = exc.status if exc.status in (401, 422, 429) else 401
        message = {
            401: catalogue.text("error.login_failed"),
            422: "Isi nama pengguna dan kata sandi.",
            429: exc.message,
        }[status]
        return (
            render_template(
                "console/login.html", error=message, username=username, next=request.form.get("next", "")
            ),
            status,
            exc.headers,
        )
    user = issued.user
    if user.role not in CONSOLE_ROLES:
        return render_template(
            "console/login.html", error="Akun layar dinding tidak bisa masuk ke konsol.", username=username
        ), 403
    session.clear()  # a fresh session id and CSRF token for the signed-in user
    session.permanent = True
    session["uid"], session["tv"] = user.id, user.token_version
    session["sid"] = new_session_id()  # names the tokens this session's pages embed
    return redirect(safe_next(form.get("next")))


@bp.post("/logout")
def logout():
    user, session_id = current_user(), session.get("sid")
    if user is not None and session_id:
        end_console_session(user, session_id)
    session.clear()
    flash("Anda sudah keluar.", "info")
    return redirect(url_for("console.login"))


@bp.get("")
@bp.get("/")
def home():
    user = current_user()
    if user.role in OPD_SCOPED_ROLES:
        return redirect(url_for("console.queue"))
    if user.role == ATASAN_PPID:  # objections to information requests (issue #17)
        return redirect(url_for("console.queue", status="objection"))
    if user.role == OPERATOR:
        return redirect(url_for("console.triage"))
    return redirect(url_for("console.admin_users"))
