"""Proof of fix (issue #18): a resolution photo taken at the place, after the complaint, and the
citizen's own "sudah beres" / "belum".

- A category marked `needs_proof` (roads, drainage, street lights, waste: config/demo_city.json)
  is resolved in the console with an "after" photo. Its EXIF GPS position (else the console's
  browser geolocation sent with the upload) more than PROOF_MAX_DISTANCE_M from the complaint's
  place, or an EXIF time before the complaint was filed, is refused with the reason. A photo
  with neither position nor time cannot be judged and is taken (many phones strip EXIF).
- The citizen's resolved message carries the photo's link and asks SUDAH BERES / BELUM (SMS:
  YA / TIDAK); the tracking page's "buka kembali" is the web answer. "Belum …" reopens the
  ticket to the same OPD with the citizen's words (counted per OPD in /stats as
  `reopened_by_citizen`); "sudah beres" closes it; silence lets the auto-close run as before.

EXIF is read with Pillow (already in the lock through matplotlib; now a direct dependency).
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select, update

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.formatting import city_zone, moment_label
from ticketing.models import Ticket, TicketEvent, TicketPhoto
from ticketing.services.incident_areas import distance_m, ticket_point
from ticketing.services.queries import latest_ticket_of
from ticketing.services.regions import find_category

log = logging.getLogger(__name__)

GPS_IFD, EXIF_IFD = 0x8825, 0x8769
DATETIME_ORIGINAL, OFFSET_TIME_ORIGINAL, DATETIME = 0x9003, 0x9011, 0x0132

# Possessive runs (as in services/conversation.py): linear on any text.
_YES = re.compile(r"^\s*+(?:sudah\s++beres|sudah|beres|ya|iya|yes|y)\s*+[.!]*+\s*+$", re.IGNORECASE)
_NO = re.compile(
    r"^\s*+(?:belum(?:\s++beres)?+|tidak|tdk|blm|no)\b[\s:,.!-]*+(.*)$", re.IGNORECASE | re.DOTALL
)


@dataclass(frozen=True)
class PhotoFacts:
    lat: float | None = None
    lon: float | None = None
    taken_at: datetime | None = None


def needs_proof(ticket: Ticket) -> bool:
    category = find_category(ticket.region_code, ticket.category_code)
    return bool(category is not None and category.needs_proof)


def _degrees(values, ref) -> float | None:
    try:
        d, m, s = (float(v) for v in values)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = d + m / 60 + s / 3600
    return -value if str(ref).upper().startswith(("S", "W")) else value


def _taken_at(exif, sub) -> datetime | None:
    raw = sub.get(DATETIME_ORIGINAL) or exif.get(DATETIME)
    if not isinstance(raw, str):
        return None
    try:
        moment = datetime.strptime(raw.strip()[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = sub.get(OFFSET_TIME_ORIGINAL)
    if isinstance(offset, str) and re.fullmatch(r"[+-]\d\d:\d\d", offset.strip()):
        return datetime.fromisoformat(moment.isoformat() + offset.strip())
    return moment.replace(tzinfo=city_zone())  # an EXIF time without an offset: the city's clock


def read_photo_facts(content: bytes) -> PhotoFacts:
    """Position and time from a photo's EXIF (JPEG, WebP, PNG eXIf), or nothing when absent
    or unreadable: a broken EXIF block is no reason to refuse a fix."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as image:
            exif = image.getexif()
            gps, sub = exif.get_ifd(GPS_IFD), exif.get_ifd(EXIF_IFD)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        log.info("photo EXIF unreadable: %s", type(exc).__name__)
        return PhotoFacts()
    lat = _degrees(gps.get(2), gps.get(1, "N")) if gps.get(2) else None
    lon = _degrees(gps.get(4), gps.get(3, "E")) if gps.get(4) else None
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        lat = lon = None
    return PhotoFacts(lat, lon, _taken_at(exif, sub))


def _refuse(key: str, **values) -> APIError:
    from ticketing.services.lifecycle import staff_error

    return staff_error(422, "proof_refused", key, "photo", **values)


def check_proof(ticket: Ticket, content: bytes | None, geo: tuple[float, float] | None = None) -> None:
    """Refuse (422 `proof_refused`, the reason in words) a resolution photo for a `needs_proof`
    category that is missing, taken too far from the complaint, or taken before it."""
    if not needs_proof(ticket):
        return
    if not content:
        raise _refuse("proof.required")
    facts = read_photo_facts(content)
    where = (facts.lat, facts.lon) if facts.lat is not None else geo
    place = ticket_point(ticket)
    limit = int(current_app.config.get("PROOF_MAX_DISTANCE_M", 150))
    if where is not None and place is not None:
        distance = distance_m(place[0], place[1], where[0], where[1])
        if distance > limit:
            raise _refuse("proof.too_far", distance=f"{round(distance):,}".replace(",", "."), limit=limit)
    if facts.taken_at is not None and facts.taken_at < ticket.created_at:
        raise _refuse(
            "proof.too_old", taken=moment_label(facts.taken_at), filed=moment_label(ticket.created_at)
        )


def form_geolocation(form) -> tuple[float, float] | None:
    """The console's browser position at upload (hidden fields `geo_lat`, `geo_lon`), if sent."""
    try:
        lat, lon = float(form.get("geo_lat", "")), float(form.get("geo_lon", ""))
    except ValueError:
        return None
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


def resolve_with_proof(ticket, user, note, public, content, declared_type, geo=None) -> Ticket:
    """The console's resolve for a `needs_proof` category: the lifecycle's own answer first (a
    ticket not in progress is refused as always), then the ordinary resolve, whose lifecycle
    checks the proof (`resolution_proof`)."""
    from ticketing.services.console import resolve_with_photo
    from ticketing.services.lifecycle import check_transition

    check_transition(user.role, ticket.status, "resolve")
    return resolve_with_photo(ticket, user, note, public, content, declared_type, geo=geo)


# -- the proof a resolve carries (the lifecycle's rule, for the API and the console alike) ----


def add_proof_photo(ticket: Ticket, user, content: bytes | None, geo=None) -> TicketPhoto:
    """An officer's "after" photo for the coming `resolve` (POST /api/v1/tickets/<n>/photos),
    checked as the console checks one: JPEG/PNG/WebP by its bytes, and for a `needs_proof`
    category the place and time (`geo`: the device's position, when the photo has no EXIF GPS).
    Kept unattached until a `resolve` names its id. Commits."""
    from ticketing.services.console import check_photo, keep_after_photo
    from ticketing.services.lifecycle import check_kind, check_transition, staff_error

    check_transition(user.role, ticket.status, "resolve")  # 403 / 409 as the resolve would be
    check_kind(ticket, "resolve")
    if not content:
        raise staff_error(422, "invalid_fields", "error.photo_missing", "photo")
    check_photo(content, "image/")  # 413 / 415, told by its bytes
    check_proof(ticket, content, geo)
    photo = keep_after_photo(ticket, user, content)
    db.session.commit()
    return photo


def resolution_proof(ticket: Ticket, details: dict) -> dict:
    """What a `resolve` carries as proof, checked under the lifecycle's row lock: `photo`, the id
    of a photo kept for it (`add_proof_photo`, the API), or `photo_content` (the console, which
    writes the file after the commit), checked here. A `needs_proof` category with neither is
    422 `proof_required` (field `photo`) from the console always (`proof_required` in `details`)
    and from the API when PROOF_REQUIRED_FOR_API is on: shared/API.md's `resolve` needs only a
    note, and integrations built on it keep working by default. Returns the event data
    (`photo`: the id)."""
    from ticketing.services.lifecycle import staff_error

    photo_id = details.get("photo")
    if photo_id is not None:
        photo = db.session.get(TicketPhoto, photo_id) if isinstance(photo_id, int) else None
        if photo is None or photo.ticket_id != ticket.id or photo.kind != "after" or photo.event_id:
            raise staff_error(422, "invalid_fields", "proof.photo_unknown", "photo")
        return {"photo": photo.id}
    if details.get("photo_content"):
        check_proof(ticket, details["photo_content"], details.get("geo"))
        return {}
    required = details.get("proof_required") or current_app.config["PROOF_REQUIRED_FOR_API"]
    if required and needs_proof(ticket):
        raise staff_error(422, "proof_required", "proof.required", "photo")
    return {}


def attach_resolution_photo(ticket: Ticket, photo_id: int) -> None:
    """Tie the photo a resolve named to that (public) history entry; event ids exist only after
    the commit, hence after it. Commits."""
    event_id = db.session.scalar(
        select(func.max(TicketEvent.id)).where(
            TicketEvent.ticket_id == ticket.id, TicketEvent.action == "resolve"
        )
    )
    db.session.execute(
        update(TicketPhoto)
        .where(TicketPhoto.id == photo_id, TicketPhoto.ticket_id == ticket.id)
        .values(event_id=event_id)
    )
    db.session.commit()


# -- the citizen's answer ---------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="proof-photo")


def photo_url(ticket: Ticket) -> str | None:
    """A link to the ticket's latest "after" photo, for the citizen's message (needs
    PUBLIC_BASE_URL); unguessable, and only ever that one ticket's photo."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base:
        return None
    return f"{base.rstrip('/')}/bukti/{_serializer().dumps(ticket.ticket_number)}"


def photo_for_link(signed: str) -> TicketPhoto | None:
    try:
        number = _serializer().loads(signed)
    except BadSignature:
        return None
    return db.session.scalar(
        select(TicketPhoto)
        .join(Ticket, Ticket.id == TicketPhoto.ticket_id)
        .where(Ticket.ticket_number == number, TicketPhoto.kind == "after")
        .order_by(TicketPhoto.id.desc())
        .limit(1)
    )


def resolved_message(ticket: Ticket, opd_name: str, note_text: str) -> str | None:
    """The resolved notification of a `needs_proof` ticket: the photo and the question."""
    if not needs_proof(ticket):
        return None
    if ticket.channel in ("sms", "phone", "counter"):
        return catalogue.text(
            "proof.resolved_sms", ticket_number=ticket.ticket_number, opd_name=opd_name, note=note_text
        )
    link = photo_url(ticket) or catalogue.text("proof.photo_on_page")
    return catalogue.text(
        "proof.resolved",
        ticket_number=ticket.ticket_number,
        opd_name=opd_name,
        note=note_text,
        photo_url=link,
    )


def awaiting_answer(sender: str) -> Ticket | None:
    ticket = latest_ticket_of(sender)
    if ticket is None or ticket.status != "resolved" or not needs_proof(ticket):
        return None
    return ticket


def citizen_answer(record, message, body: str):
    """The conversation's hook: "sudah beres"/"ya" closes, "belum …"/"tidak …" reopens the
    sender's resolved `needs_proof` ticket. None when the text is not such an answer."""
    yes, no = _YES.match(body), _NO.match(body)
    if not yes and not no:
        return None
    ticket = awaiting_answer(message.sender)
    if ticket is None:
        return None
    from ticketing.services.conversation import Outcome, ticket_channel
    from ticketing.services.lifecycle import ROLE_CITIZEN, ROLE_SYSTEM, apply_action

    channel = ticket_channel(message.provider)
    number, ticket_id = ticket.ticket_number, ticket.id
    record.ticket_id = ticket.id
    record.effect = "proof_confirmed" if yes else "proof_reopened"
    try:
        if yes:
            apply_action(ticket, None, "close", actor_role=ROLE_SYSTEM, actor_label=f"citizen:{channel}")
        else:
            words = no.group(1).strip()[:2000]
            note = (
                catalogue.text("proof.not_fixed_note", words=words)
                if words
                else catalogue.text("proof.not_fixed_plain")
            )
            apply_action(
                ticket,
                None,
                "reopen",
                note=note,
                public=True,
                actor_role=ROLE_CITIZEN,
                actor_label=f"citizen:{channel}",
            )
    except APIError as exc:
        # The rollback took the inbound row with it: keep the message (as conversation does).
        log.info("answer for %s refused: %s", number, exc.code)
        from ticketing.services.conversation import store_inbound

        kept = store_inbound(message)
        if kept is not None:
            kept.effect, kept.ticket_id = "proof_refused", ticket_id
        db.session.commit()
        return Outcome(effect="proof_refused", ticket_number=number)
    return Outcome(effect="proof_confirmed" if yes else "proof_reopened", ticket_number=number)


def reopened_by_citizen(
    start, end, opd_code: str | None = None, region_codes: list[str] | None = None
) -> dict[tuple[str, str], int]:
    """Per (region, OPD): resolutions its citizens said were not fixed (reopens by a citizen), in
    [start, end), of `region_codes`' tickets only when given (None: every region)."""
    query = (
        select(Ticket.region_code, Ticket.opd_code, func.count())
        .join(TicketEvent, TicketEvent.ticket_id == Ticket.id)
        .where(
            TicketEvent.action == "reopen",
            TicketEvent.actor_label.like("citizen%"),
            TicketEvent.created_at >= start,
            TicketEvent.created_at < end,
            Ticket.opd_code.is_not(None),
        )
        .group_by(Ticket.region_code, Ticket.opd_code)
    )
    if opd_code is not None:
        query = query.where(Ticket.opd_code == opd_code)
    if region_codes is not None:
        query = query.where(Ticket.region_code.in_(region_codes))
    return {(region, code): count for region, code, count in db.session.execute(query)}


def add_reopened_by_citizen(
    opds: list[dict], start, end, opd_code: str | None = None, region_codes: list[str] | None = None
) -> None:
    """`reopened_by_citizen` on each stats row (`region`, `opd`), a row added for an OPD with
    reopens only."""
    counts = reopened_by_citizen(start, end, opd_code, region_codes)
    present = {(row["region"], row["opd"]) for row in opds}
    for row in opds:
        row["reopened_by_citizen"] = counts.get((row["region"], row["opd"]), 0)
    for region, code in sorted(set(counts) - present):
        reopened = counts[(region, code)]
        opds.append({"opd": code, "region": region, "open": 0, "overdue": 0, "reopened_by_citizen": reopened})
