"""Who a rate limit counts, and how a 429 answers.

Addresses: `request.remote_addr`, which is the client's address only when `TRUSTED_PROXY_HOPS`
tells ProxyFix how many proxies in front append to `X-Forwarded-For` (README, Production); with
the default 0 a forged header changes nothing.

Citizen intake is limited by more than the address: a mobile carrier's CGNAT puts a whole
neighbourhood behind one public address, so the per-address limit (`RATELIMIT_COMPLAINTS`) is
high and abuse is held back by what each request carries — the phone given, the same text from
one address, one Idempotency-Key replayed. Those keys are hashed: a limiter key in Redis never
holds a phone number.

Every 429 carries `Retry-After` and the catalogue's Indonesian message (`rate_limited_text`).
"""

from __future__ import annotations

import hashlib
import re
import time

from flask import current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

from ticketing import catalogue


def trust_proxies(app) -> None:
    """Believe `TRUSTED_PROXY_HOPS` proxies' X-Forwarded-For and -Proto, and nothing more.
    The Host header is not taken from X-Forwarded-Host: README's nginx passes Host itself."""
    hops = int(app.config.get("TRUSTED_PROXY_HOPS") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def client_address() -> str:
    return request.remote_addr or "-"


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "replace")).hexdigest()[:32]


def _complaint_fields() -> tuple[object, object, object]:
    """(description, reporter phone, idempotency key) of a complaint, from the API's JSON body
    and header or from the citizen page's form (`/lapor`)."""
    if request.is_json:
        body = request.get_json(silent=True)
        body = body if isinstance(body, dict) else {}
        reporter = body.get("reporter")
        phone = reporter.get("phone") if isinstance(reporter, dict) else None
        return body.get("description"), phone, request.headers.get("Idempotency-Key")
    form = request.form
    return form.get("description"), form.get("phone"), form.get("idempotency_key")


def complaint_phone_key() -> str:
    """The reporter's phone as digits (0812…, 62812…, +62 812… are one phone), hashed."""
    phone = _complaint_fields()[1]
    digits = re.sub(r"\D", "", phone)[-11:] if isinstance(phone, str) else ""
    return "complaint-phone:" + _digest(digits) if len(digits) >= 6 else ""


def complaint_text_key() -> str:
    """The same description (case and spacing aside) from one address: a script, not a
    neighbourhood — neighbours write their own words."""
    description = _complaint_fields()[0]
    if not isinstance(description, str) or not description.strip():
        return ""
    normalised = " ".join(description.lower().split())[:4000]
    return "complaint-text:" + _digest(client_address(), normalised)


def idempotency_key_key() -> str:
    key = _complaint_fields()[2]
    return "complaint-key:" + _digest(key[:200]) if isinstance(key, str) and key else ""


def complaint_limits(limiter):
    """The per-phone, per-text and per-key limits, for every door a citizen files through."""

    def decorate(view):
        for setting, key_func in (
            ("RATELIMIT_COMPLAINTS_PER_KEY", idempotency_key_key),
            ("RATELIMIT_COMPLAINTS_PER_TEXT", complaint_text_key),
            ("RATELIMIT_COMPLAINTS_PER_PHONE", complaint_phone_key),
        ):
            view = limiter.limit(
                lambda setting=setting: current_app.config[setting],
                key_func=key_func,
                exempt_when=lambda key_func=key_func: not key_func(),
            )(view)
        return view

    return decorate


def retry_after_seconds(exc=None) -> int:
    """Seconds until the breached limit's window lets the next request through."""
    from ticketing.extensions import limiter

    try:
        current = limiter.current_limit
        if current is not None and current.breached:
            return max(1, int(current.reset_at - time.time()))
    except Exception:  # noqa: BLE001 - Redis gone between the hit and this read: fall back
        pass
    limit = getattr(exc, "limit", None)
    try:
        return max(1, int(limit.limit.get_expiry()))
    except AttributeError:
        return 60


def rate_limited_text(seconds: int) -> str:
    return catalogue.text("error.rate_limited", seconds=seconds)


def public_reads_limit() -> str:
    return current_app.config["RATELIMIT_PUBLIC_READS"]


# One bucket per address across every expensive public GET (reports, Open311, open data,
# tracking): spreading requests over them buys nothing.
PUBLIC_READS_SCOPE = "public-reads"
