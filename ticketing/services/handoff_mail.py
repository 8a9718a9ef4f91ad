"""The e-mail to an outside body and the signed link in it (services/handoffs.py).

The link is the body's only credential: `itsdangerous` signs the hand-off id with SECRET_KEY
(salted for this one use) and a timestamp, so it cannot be forged or altered, and it expires
after EXTERNAL_LINK_MAX_AGE_DAYS (every reminder carries a fresh one). The e-mail itself is an
outbox row (channel `email`): written in the transaction of the hand-off, sent by the outbox
job with its claim-before-send and retries, its photos attached when it is sent
(`email_extras`, called by outbox.build_request).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import current_app, has_request_context, request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from ticketing import catalogue
from ticketing.extensions import db
from ticketing.formatting import day_label, moment_label
from ticketing.models import (
    ExternalBody,
    ExternalHandoff,
    MediaAttachment,
    OutboxMessage,
    Ticket,
    TicketPhoto,
)
from ticketing.models.base import utcnow
from ticketing.pii import mask_personal_data
from ticketing.services.media import sniff_image_type

TOKEN_SALT = "aduan.external-handoff.v1"
EMAIL_CHANNEL = "email"
# Attached to the e-mail at most (the page shows every photo): mail servers refuse large mails.
MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 15 * 1024 * 1024


class LinkProblem(Exception):
    """A link that opens nothing: `status` 403 (not ours, altered) or 410 (expired, recalled)."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)


def link_max_age() -> timedelta:
    return timedelta(days=int(current_app.config.get("EXTERNAL_LINK_MAX_AGE_DAYS", 30)))


def make_token(handoff: ExternalHandoff) -> str:
    return _serializer().dumps({"h": handoff.id})


def handoff_for_token(token: str) -> ExternalHandoff:
    """The hand-off a link opens, or LinkProblem: 410 expired, 403 anything else."""
    if not isinstance(token, str) or len(token) > 400:
        raise LinkProblem(403, "malformed")
    try:
        data = _serializer().loads(token, max_age=int(link_max_age().total_seconds()))
    except SignatureExpired:
        raise LinkProblem(410, "expired") from None
    except BadSignature:
        raise LinkProblem(403, "bad_signature") from None
    handoff_id = data.get("h") if isinstance(data, dict) else None
    handoff = db.session.get(ExternalHandoff, handoff_id) if isinstance(handoff_id, int) else None
    if handoff is None:
        raise LinkProblem(403, "unknown")
    return handoff


def public_base_url() -> str:
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base and has_request_context():
        base = request.host_url
    return (base or "http://127.0.0.1:5000").rstrip("/")


def handoff_link(handoff: ExternalHandoff) -> str:
    return f"{public_base_url()}/instansi/{make_token(handoff)}"


def map_link(ticket: Ticket) -> str | None:
    if ticket.lat is None or ticket.lon is None:
        return None
    lat, lon = f"{ticket.lat:.5f}", f"{ticket.lon:.5f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"


def ticket_photos(ticket: Ticket) -> list[tuple[str, Path]]:
    """(name, file) of the citizen's photos: web uploads and stored chat photos, in order."""
    root = Path(current_app.config.get("MEDIA_DIR") or Path(current_app.instance_path) / "media").resolve()
    found: list[tuple[str, Path]] = []
    uploads = db.session.scalars(
        select(TicketPhoto).where(TicketPhoto.ticket_id == ticket.id, TicketPhoto.kind == "citizen")
    )
    for photo in uploads:
        found.append((f"p{photo.id}", root / photo.path))
    chat = db.session.scalars(
        select(MediaAttachment).where(
            MediaAttachment.ticket_id == ticket.id,
            MediaAttachment.state == "stored",
            MediaAttachment.path.is_not(None),
        )
    )
    for media in chat:
        found.append((f"m{media.id}", root / media.path))
    return [(name, path.resolve()) for name, path in found if path.resolve().is_relative_to(root)]


def image_file(path: Path) -> tuple[bytes, str] | None:
    """The file's bytes and type when it is an image by its bytes, else None."""
    if not path.is_file():
        return None
    content = path.read_bytes()
    kind = sniff_image_type(content[:16])
    return (content, kind) if kind else None


def _city() -> str:
    return current_app.config.get("CITY_NAME") or ""


def forward_email(ticket: Ticket, body: ExternalBody, handoff: ExternalHandoff, note: str | None) -> tuple:
    """(subject, text) of the hand-off e-mail."""
    location = ticket.address or (
        f"{ticket.lat:.5f}, {ticket.lon:.5f}" if ticket.lat is not None and ticket.lon is not None else None
    )
    photos = len(ticket_photos(ticket))
    values = {
        "city": _city(),
        "ticket_number": ticket.ticket_number,
        "body_name": body.name,
    }
    subject = catalogue.text("mail.subject", **values)
    text = catalogue.text(
        "mail.body",
        **values,
        created=moment_label(ticket.created_at),
        # The body needs the problem, not the reporter: numbers and addresses are masked.
        description=mask_personal_data(ticket.description),
        location=mask_personal_data(location) if location else catalogue.text("mail.no_location"),
        map_link=map_link(ticket) or catalogue.text("mail.no_map"),
        note=note or catalogue.text("mail.no_note"),
        photos=catalogue.text("mail.photos_attached", count=photos)
        if photos
        else catalogue.text("mail.no_photos"),
        expires=day_label(utcnow() + link_max_age()),
        link=handoff_link(handoff),
    )
    return subject, text


def reminder_email(ticket: Ticket, body: ExternalBody, handoff: ExternalHandoff, reason_key: str) -> tuple:
    values = {"city": _city(), "ticket_number": ticket.ticket_number, "body_name": body.name}
    reason = catalogue.text(
        reason_key,
        date=day_label(ticket.external_expected_at) if ticket.external_expected_at else "-",
    )
    text = catalogue.text(
        "mail.body_reminder",
        **values,
        forwarded=day_label(handoff.created_at),
        reason=reason,
        expires=day_label(utcnow() + link_max_age()),
        link=handoff_link(handoff),
        summary=ticket.summary,
    )
    return catalogue.text("mail.subject_reminder", **values), text


def email_extras(row: OutboxMessage) -> tuple[str, list[tuple[str, str, bytes]]]:
    """The subject and the attachments (name, content type, bytes) of an e-mail outbox row,
    read when it is sent: the photos are files, not rows, and may have arrived after."""
    params = list(row.template_params or [])
    subject = str(params[0]) if params else ""
    attachments: list[tuple[str, str, bytes]] = []
    if row.ticket_id is None or row.kind != "external_handoff":
        return subject, attachments
    ticket = db.session.get(Ticket, row.ticket_id)
    total = 0
    for name, path in ticket_photos(ticket)[:MAX_ATTACHMENTS]:
        found = image_file(path)
        if found is None or total + len(found[0]) > MAX_ATTACHMENT_BYTES:
            continue
        content, kind = found
        total += len(content)
        extension = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}.get(kind, "bin")
        attachments.append((f"{ticket.ticket_number}-{name}.{extension}", kind, content))
    return subject, attachments
