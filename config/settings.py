"""Settings, read only from the environment, with safe local defaults.

`load_settings()` returns a plain dict that `create_app()` copies into `app.config`.
Nothing here connects to anything.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

CONFIG_DIR = Path(__file__).resolve().parent
PROJECT_DIR = CONFIG_DIR.parent
DEFAULT_INSTANCE_DIR = PROJECT_DIR / "instance"


def env_str(name: str, default: str = "") -> str:
    value = os.environ.get(name)
    return default if value is None or value.strip() == "" else value.strip()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return int(value)


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return float(value)


def instance_secret_key(instance_dir: Path) -> str:
    """A random key generated once into the instance folder, so local runs need no setup
    and never share a well-known key."""
    path = instance_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # O_EXCL: when two processes start together, the second reads the first one's key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def database_url(value: str) -> str:
    """Plain postgresql:// URLs (what most tools print) use the psycopg 3 driver we ship."""
    for prefix in ("postgresql://", "postgres://"):
        if value.startswith(prefix):
            return "postgresql+psycopg://" + value[len(prefix) :]
    return value


def load_settings() -> dict:
    instance_dir = Path(env_str("INSTANCE_PATH", str(DEFAULT_INSTANCE_DIR)))
    environment = env_str("ADUAN_ENV", "development")
    secret_key = env_str("SECRET_KEY")
    if not secret_key:
        if environment == "production":
            raise RuntimeError("SECRET_KEY must be set when ADUAN_ENV=production")
        secret_key = instance_secret_key(instance_dir)
    twilio_ready = bool(env_str("TWILIO_ACCOUNT_SID") and env_str("TWILIO_AUTH_TOKEN"))
    whatsapp_ready = bool(env_str("WHATSAPP_ACCESS_TOKEN") and env_str("WHATSAPP_PHONE_NUMBER_ID"))
    telegram_ready = bool(env_str("TELEGRAM_BOT_TOKEN"))
    return {
        "ADUAN_ENV": environment,
        "INSTANCE_PATH": str(instance_dir),
        "SECRET_KEY": secret_key,
        # werkzeug's method for new password hashes. Leave it: scrypt is the safe default. The
        # test suite sets a cheap one (hundreds of accounts a run, 0.15 s of CPU each with scrypt),
        # as Django's test settings do; a stored hash names its own method, so either checks.
        "PASSWORD_HASH_METHOD": env_str("PASSWORD_HASH_METHOD", "scrypt"),
        "SQLALCHEMY_DATABASE_URI": database_url(
            env_str("DATABASE_URL", f"sqlite:///{instance_dir / 'aduan.db'}")
        ),
        "REDIS_URL": env_str("REDIS_URL", "redis://127.0.0.1:6379/0"),
        # `json`: one JSON object per log line (for a collector); anything else: plain text.
        "LOG_FORMAT": "json" if env_str("LOG_FORMAT", "text").lower() == "json" else "text",
        "PUBLIC_BASE_URL": env_str("PUBLIC_BASE_URL").rstrip("/"),
        "TWILIO_ACCOUNT_SID": env_str("TWILIO_ACCOUNT_SID"),
        "TWILIO_AUTH_TOKEN": env_str("TWILIO_AUTH_TOKEN"),
        "TWILIO_FROM_NUMBER": env_str("TWILIO_FROM_NUMBER"),
        "TWILIO_API_BASE": env_str("TWILIO_API_BASE", "https://api.twilio.com").rstrip("/"),
        "WHATSAPP_APP_SECRET": env_str("WHATSAPP_APP_SECRET"),
        "WHATSAPP_VERIFY_TOKEN": env_str("WHATSAPP_VERIFY_TOKEN"),
        "WHATSAPP_ACCESS_TOKEN": env_str("WHATSAPP_ACCESS_TOKEN"),
        "WHATSAPP_PHONE_NUMBER_ID": env_str("WHATSAPP_PHONE_NUMBER_ID"),
        "WHATSAPP_API_BASE": env_str("WHATSAPP_API_BASE", "https://graph.facebook.com/v21.0").rstrip("/"),
        "SMS_GATEWAY_SECRET": env_str("SMS_GATEWAY_SECRET"),
        # Telegram Bot API: the bot's token (sending), the secret_token given to setWebhook
        # (checked on every update) and the API base (a local fake in tests).
        "TELEGRAM_BOT_TOKEN": env_str("TELEGRAM_BOT_TOKEN"),
        "TELEGRAM_WEBHOOK_SECRET": env_str("TELEGRAM_WEBHOOK_SECRET"),
        "TELEGRAM_API_BASE": env_str("TELEGRAM_API_BASE", "https://api.telegram.org").rstrip("/"),
        "RATELIMIT_ENABLED": env_bool("RATELIMIT_ENABLED", True),
        # With no provider credentials there is nobody to send to: store and log instead.
        "OUTBOUND_MODE": env_str(
            "OUTBOUND_MODE", "send" if (twilio_ready or whatsapp_ready or telegram_ready) else "log"
        ),
        # Not in the external contract; tuning knobs with safe defaults.
        "MAX_CONTENT_LENGTH": env_int("MAX_CONTENT_LENGTH", 1024 * 1024),
        "ACCESS_TOKEN_TTL_SECONDS": env_int("ACCESS_TOKEN_TTL_SECONDS", 12 * 3600),
        # Wall PCs run unattended for weeks; their tokens live longer and are revocable.
        "WALL_TOKEN_TTL_SECONDS": env_int("WALL_TOKEN_TTL_SECONDS", 30 * 24 * 3600),
        "ROUTING_MODEL_PATH": env_str("ROUTING_MODEL_PATH", str(instance_dir / "router.joblib")),
        # Routing beyond the classifier: how often a worker looks for a retrained model file,
        # the city's area polygons, and the possible-duplicate window (services/duplicates.py).
        "ROUTING_MODEL_CHECK_SECONDS": env_int("ROUTING_MODEL_CHECK_SECONDS", 60),
        "AREAS_GEOJSON_PATH": env_str("AREAS_GEOJSON_PATH", str(CONFIG_DIR / "areas" / "kediri.geojson")),
        "DUPLICATE_RADIUS_METERS": env_int("DUPLICATE_RADIUS_METERS", 150),
        "DUPLICATE_WINDOW_DAYS": env_int("DUPLICATE_WINDOW_DAYS", 7),
        "RECEIVED_SWEEP_AGE_SECONDS": env_int("RECEIVED_SWEEP_AGE_SECONDS", 60),
        "TIMEZONE": env_str("TIMEZONE", "Asia/Jakarta"),
        "SOCKETIO_CHANNEL": env_str("SOCKETIO_CHANNEL", "aduan-socketio"),
        # Wall map: a tile template (the wall still shows its points on a dark background when
        # tiles cannot load, e.g. an offline command centre) and where it opens (Kota Kediri).
        "MAP_TILE_URL": env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
        "MAP_TILE_ATTRIBUTION": env_str("MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors"),
        "MAP_CENTER": env_str("MAP_CENTER", "-7.82,112.01"),
        "MAP_ZOOM": env_int("MAP_ZOOM", 13),
        # The citizen's web page (/lapor, /lacak): the city's name in its title and app
        # manifest, the largest photo it accepts, and per-address limits on its helpers.
        "CITY_NAME": env_str("CITY_NAME", "Kota Kediri"),
        # The region (Kemendagri code) of whatever names none: a single city's everything, a
        # complaint without `region` or a boundary to place it, a new account (issue #16).
        "DEFAULT_REGION": env_str("DEFAULT_REGION", "35.71"),
        "CITIZEN_PHOTO_MAX_BYTES": env_int("CITIZEN_PHOTO_MAX_BYTES", 5 * 1024 * 1024),
        # Report kinds and information requests (issue #17): the OPD whose PPID is the city's
        # PPID utama (answers requests for OPDs without their own PPID), the router's least
        # confidence to call a report an aspirasi or an information request (below it: triage),
        # and the largest answer document a PPID may attach.
        "PPID_UTAMA_OPD": env_str("PPID_UTAMA_OPD", "DISKOMINFO"),
        "KIND_MIN_CONFIDENCE": env_float("KIND_MIN_CONFIDENCE", 0.6),
        "DOCUMENT_MAX_BYTES": env_int("DOCUMENT_MAX_BYTES", 10 * 1024 * 1024),
        "RATELIMIT_CATEGORY_GUESS": env_str("RATELIMIT_CATEGORY_GUESS", "30/minute;300/hour"),
        "RATELIMIT_CITIZEN_PHOTOS": env_str("RATELIMIT_CITIZEN_PHOTOS", "30/minute;200/hour"),
        # Proxies in front that append to X-Forwarded-For (README's nginx: 1). Only that many
        # hops are believed, so with 0 a forged header changes nothing.
        "TRUSTED_PROXY_HOPS": env_int("TRUSTED_PROXY_HOPS", 0),
        # Citizen intake per address: high, because a mobile carrier's CGNAT puts a whole
        # neighbourhood behind one address on a flood day; abuse is limited by what a request
        # carries too (the phone given, the text, the Idempotency-Key; ticketing/ratelimits.py).
        "RATELIMIT_COMPLAINTS": env_str("RATELIMIT_COMPLAINTS", "120/minute;3000/hour"),
        "RATELIMIT_COMPLAINTS_PER_PHONE": env_str("RATELIMIT_COMPLAINTS_PER_PHONE", "5/minute;30/hour"),
        "RATELIMIT_COMPLAINTS_PER_TEXT": env_str("RATELIMIT_COMPLAINTS_PER_TEXT", "3/minute;10/hour"),
        "RATELIMIT_COMPLAINTS_PER_KEY": env_str("RATELIMIT_COMPLAINTS_PER_KEY", "10/minute"),
        "RATELIMIT_LOGIN": env_str("RATELIMIT_LOGIN", "30/minute"),
        # Public GETs that read many rows or render charts (reports, Open311, open data,
        # tracking), per address.
        "RATELIMIT_PUBLIC_READS": env_str("RATELIMIT_PUBLIC_READS", "120/minute;2000/hour"),
        # How long a closed month's rendered report is served from Redis before re-rendering.
        "REPORT_CACHE_SECONDS": env_int("REPORT_CACHE_SECONDS", 24 * 3600),
        # Open311 and open data: rows per GET requests answer (GeoReport default 1,000), the
        # widest start_date..end_date window, and an optional bearer token for /metrics.
        "OPEN311_MAX_REQUESTS": env_int("OPEN311_MAX_REQUESTS", 1000),
        "OPEN311_MAX_RANGE_DAYS": env_int("OPEN311_MAX_RANGE_DAYS", 90),
        "OPEN311_RATELIMIT": env_str("OPEN311_RATELIMIT", "120/minute"),
        "METRICS_TOKEN": env_str("METRICS_TOKEN"),
        # Browser origins allowed to call the staff API (comma-separated; default none). The
        # citizen endpoints answer any origin without credentials (ticketing/security.py).
        "CORS_ALLOWED_ORIGINS": env_str("CORS_ALLOWED_ORIGINS"),
        # Lifecycle: office hours the SLA counts (Asia/Jakarta), the holiday calendar, and the
        # working days after which a resolved ticket nobody reopened closes itself.
        "SLA_WORKDAY_START": env_str("SLA_WORKDAY_START", "08:00"),
        "SLA_WORKDAY_END": env_str("SLA_WORKDAY_END", "16:00"),
        "HOLIDAYS_FILE": env_str("HOLIDAYS_FILE", str(CONFIG_DIR / "holidays.json")),
        "AUTO_CLOSE_WORKING_DAYS": env_int("AUTO_CLOSE_WORKING_DAYS", 10),
        # Outside bodies (issue #17, services/handoffs.py): the SMTP server their e-mails go
        # through (empty: none are sent), the sender address, how long the signed link in an
        # e-mail stays valid, and the days after which a body that has not acknowledged (or
        # whose expected date passed) is reminded, and reminded again.
        "SMTP_URL": env_str("SMTP_URL"),
        "SMTP_FROM": env_str("SMTP_FROM", "Aduan <aduan@localhost>"),
        "EXTERNAL_LINK_MAX_AGE_DAYS": env_int("EXTERNAL_LINK_MAX_AGE_DAYS", 30),
        "EXTERNAL_ACK_DAYS": env_int("EXTERNAL_ACK_DAYS", 3),
        # Staff console (cookie session): idle timeout, cookie flags, CSRF on its forms only,
        # and the largest "after" photo an officer may upload from a phone.
        "PERMANENT_SESSION_LIFETIME": env_int("CONSOLE_SESSION_MINUTES", 30) * 60,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env_bool(
            "SESSION_COOKIE_SECURE", env_str("PUBLIC_BASE_URL").startswith("https://")
        ),
        "WTF_CSRF_CHECK_DEFAULT": False,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session that holds it
        "CONSOLE_PHOTO_MAX_BYTES": env_int("CONSOLE_PHOTO_MAX_BYTES", 8 * 1024 * 1024),
        # Triage: a router suggestion below this confidence is shown but not pre-selected, so
        # one Enter never sends a greeting to an OPD.
        "TRIAGE_PRESELECT_MIN_CONFIDENCE": env_float("TRIAGE_PRESELECT_MIN_CONFIDENCE", 0.5),
        # The chat's questions (issue 20): how long a citizen has to pick a category before
        # the ticket goes to triage, how many of the router's candidates they are offered
        # (2: reply buttons with "Lainnya"; more: a list), the categories that ask for a place.
        "CHAT_QUESTION_TIMEOUT_SECONDS": env_int("CHAT_QUESTION_TIMEOUT_SECONDS", 600),
        "CHAT_PICK_CANDIDATES": env_int("CHAT_PICK_CANDIDATES", 2),
        "CHAT_LOCATION_CATEGORIES": env_str(
            "CHAT_LOCATION_CATEGORIES", "jalan-rusak,drainase,pju,pohon,sampah,lalu-lintas,bencana,kebakaran"
        ),
        # Channels (SMS/WhatsApp): outbox backoff in seconds (attempts = intervals + 1), when a
        # row counts as forgotten, per-sender limits and the "same complaint" window.
        "OUTBOX_RETRY_INTERVALS": env_str("OUTBOX_RETRY_INTERVALS", "5,30,120,600,1800"),
        "OUTBOX_SWEEP_AGE_SECONDS": env_int("OUTBOX_SWEEP_AGE_SECONDS", 60),
        "OUTBOX_SENDING_STALE_SECONDS": env_int("OUTBOX_SENDING_STALE_SECONDS", 300),
        "OUTBOX_HTTP_TIMEOUT_SECONDS": env_float("OUTBOX_HTTP_TIMEOUT_SECONDS", 10.0),
        "CHANNEL_SENDER_LIMIT": env_int("CHANNEL_SENDER_LIMIT", 20),
        "CHANNEL_SENDER_WINDOW_SECONDS": env_int("CHANNEL_SENDER_WINDOW_SECONDS", 3600),
        "CHANNEL_ATTACH_WINDOW_SECONDS": env_int("CHANNEL_ATTACH_WINDOW_SECONDS", 600),
        # Satisfaction surveys (SKM, issue #19): answers past SKM_BURST_PER_ADDRESS from one
        # address within SKM_BURST_WINDOW_SECONDS are flagged (kept, not counted); a chat
        # survey's state is kept SKM_CHAT_TTL_SECONDS after its last answer.
        "SKM_BURST_PER_ADDRESS": env_int("SKM_BURST_PER_ADDRESS", 20),
        "SKM_BURST_WINDOW_SECONDS": env_int("SKM_BURST_WINDOW_SECONDS", 600),
        "SKM_CHAT_TTL_SECONDS": env_int("SKM_CHAT_TTL_SECONDS", 1800),
        # Incidents (issue #18): a spike is SPIKE_MIN_REPORTS of one category within
        # SPIKE_RADIUS_M of each other in SPIKE_WINDOW_MINUTES; a resolution photo for a
        # `needs_proof` category must be taken within PROOF_MAX_DISTANCE_M of the complaint.
        "INCIDENT_SPIKE_MIN_REPORTS": env_int("INCIDENT_SPIKE_MIN_REPORTS", 8),
        "INCIDENT_SPIKE_RADIUS_M": env_int("INCIDENT_SPIKE_RADIUS_M", 500),
        "INCIDENT_SPIKE_WINDOW_MINUTES": env_int("INCIDENT_SPIKE_WINDOW_MINUTES", 30),
        "PROOF_MAX_DISTANCE_M": env_int("PROOF_MAX_DISTANCE_M", 150),
        # The console never resolves a `needs_proof` ticket without a photo. The API's `resolve`
        # takes `{note}` alone, as shared/API.md promises integrations; a city whose integrations
        # all send photos turns this on to hold them to the console's rule.
        "PROOF_REQUIRED_FOR_API": env_bool("PROOF_REQUIRED_FOR_API", False),
        # Besides operators: officers of these OPDs may declare incidents (comma-separated).
        "INCIDENT_DECLARING_OPDS": env_str("INCIDENT_DECLARING_OPDS", "BPBD"),
        "MEDIA_DIR": env_str("MEDIA_DIR", str(instance_dir / "media")),
        # A citizen's file is streamed and refused past this size (WhatsApp's own video cap);
        # a photo still `pending` this long is fetched again by the sweep.
        "MEDIA_MAX_BYTES": env_int("MEDIA_MAX_BYTES", 16 * 1024 * 1024),
        "MEDIA_SWEEP_AGE_SECONDS": env_int("MEDIA_SWEEP_AGE_SECONDS", 300),
        # Approved WhatsApp templates for messages outside the 24-hour window ("none" → SMS).
        "WHATSAPP_TEMPLATE_LANGUAGE": env_str("WHATSAPP_TEMPLATE_LANGUAGE", "id"),
        **{
            f"WHATSAPP_TEMPLATE_{kind}": env_str(f"WHATSAPP_TEMPLATE_{kind}", f"aduan_{kind.lower()}")
            for kind in ("ACK", "ROUTED", "IN_PROGRESS", "RESOLVED", "CLOSED", "REPLY")
        },
    }
