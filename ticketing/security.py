"""Response headers every answer carries, and the CORS policy.

Headers: `X-Content-Type-Options: nosniff`, a `Referrer-Policy`, framing refused
(`X-Frame-Options: DENY` and CSP `frame-ancestors 'none'`), and a Content-Security-Policy on
every HTML page. A blueprint that knows better sets its own first (the wall's CSP names its
tile server, the console's Referrer-Policy is `same-origin`): these are defaults, applied with
`setdefault` after the blueprints' hooks.

CORS, explicit: the citizen endpoints that need no login (file and track a complaint,
Open311, open data) answer any origin with `*` and never with credentials, so a city's own
website or a civic app can use them from the browser; everything else (staff API, console,
webhooks) answers only the origins listed in `CORS_ALLOWED_ORIGINS` (comma-separated, default
none — same-origin only). Staff calls authenticate with a bearer token, not a cookie, so no
origin is ever allowed credentials.
"""

from __future__ import annotations

import logging
import re

from flask import Flask, request

from ticketing.pii import EMAIL

PUBLIC_CORS_PREFIXES = ("/api/v1/complaints", "/open311/", "/open-data")
CORS_ALLOW_HEADERS = "Authorization, Content-Type, Idempotency-Key, X-Requested-With"
CORS_ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
CORS_MAX_AGE = "600"

# For HTML pages that set nothing stricter. 'unsafe-inline' for styles only: the report and
# open-data pages carry a <style> block and Swagger UI sets style attributes; no inline script
# runs anywhere (the pages load theirs from /static).
DEFAULT_HTML_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: https:",
        "connect-src 'self' {sockets}",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def allowed_origins(app: Flask) -> set[str]:
    raw = app.config.get("CORS_ALLOWED_ORIGINS") or ""
    if isinstance(raw, (list, tuple, set)):
        return {str(o).strip().rstrip("/") for o in raw if str(o).strip()}
    return {part.strip().rstrip("/") for part in str(raw).split(",") if part.strip()}


def socket_origin_check(app: Flask):
    """Engine.IO's origin check: a browser's socket (websocket or polling) is accepted from this
    server's own origin, `PUBLIC_BASE_URL`, or an origin in `CORS_ALLOWED_ORIGINS`. The own
    origin is read from the request as ProxyFix left it (TRUSTED_PROXY_HOPS), never from
    forwarded headers nobody vouched for. Clients that send no Origin (a wall PC's script,
    the tests' client) are not browsers and are checked by their token alone."""
    listed = allowed_origins(app)
    public = (app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    if public:
        listed = listed | {public}

    def allowed(origin: str | None, environ: dict) -> bool:
        if not origin:
            return True
        origin = origin.rstrip("/")
        own = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
        return origin == own or origin in listed

    return allowed


# What must never reach a log line, whoever logs it (our code, a library, a traceback).
_REDACTIONS = (
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"), r"\1 [redacted]"),
    (
        re.compile(
            r"(?i)\b(token|access_token|tracking_token|password|secret|signature|api_key|"
            r"hub\.verify_token)([\"']?\s*[=:]\s*[\"']?)[^\s&\"',}]+"
        ),
        r"\1\2[redacted]",
    ),
    (EMAIL, "[email]"),  # the linear pattern the public views mask with
    # Phone numbers: +62 / 62 / 0 followed by a mobile or landline number, or any E.164.
    (re.compile(r"(?<![\w+])(?:\+?62|0)[\s-]?8[\d\s-]{7,13}\d(?!\w)"), "[phone]"),
    (re.compile(r"(?<![\w])\+\d{9,15}(?!\w)"), "[phone]"),
    (re.compile(r"whatsapp:\+?\d+"), "whatsapp:[phone]"),
    # The Telegram bot token travels in the URL path (urllib3 logs it at DEBUG).
    (re.compile(r"/bot\d{1,20}:[A-Za-z0-9_-]+"), "/bot[redacted]"),
)


def redact(text: str) -> str:
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's message without personal data or secrets (phone numbers,
    e-mail addresses, tokens, passwords). Defence in depth: the code should not log them
    in the first place; this catches what a library or a traceback drags in."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string is logging's problem
            return True
        cleaned = redact(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install_log_redaction() -> None:
    """On every handler of the root logger and of gunicorn's loggers (they do not propagate)."""
    for name in (None, "gunicorn.error", "gunicorn.access", "rq.worker"):
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(RedactingFilter())


def register_security(app: Flask) -> None:
    origins = allowed_origins(app)
    install_log_redaction()

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        # A tracking link carries ?token=: never send a full URL to another site.
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        if response.mimetype == "text/html":
            sockets = f"ws://{request.host} wss://{request.host}"
            headers.setdefault("Content-Security-Policy", DEFAULT_HTML_CSP.format(sockets=sockets))
        elif response.mimetype == "application/json":
            # Nothing in an API answer may run or be framed, even when opened directly.
            headers.setdefault("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
        _cors(response, origins)
        return response


def _cors(response, origins: set[str]) -> None:
    origin = request.headers.get("Origin")
    if not origin:
        return
    if request.path.startswith(PUBLIC_CORS_PREFIXES):
        response.headers["Access-Control-Allow-Origin"] = "*"
    elif origin.rstrip("/") in origins:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers.add("Vary", "Origin")
    else:
        return  # no header: the browser keeps the answer from the page
    response.headers["Access-Control-Expose-Headers"] = "Location, Retry-After, Idempotent-Replayed"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = CORS_ALLOW_METHODS
        response.headers["Access-Control-Allow-Headers"] = CORS_ALLOW_HEADERS
        response.headers["Access-Control-Max-Age"] = CORS_MAX_AGE
