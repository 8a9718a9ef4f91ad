"""What the citizen's own pages need beyond filing (services/intake.py): photos a citizen adds,
a note added later, the router's category guess while they type, the city's kelurahan for the
place search, and the tracking page's view of a ticket.

Citizen photos are `TicketPhoto` rows of kind `citizen` (the same table and media folder as the
officers' "after" photos), each with its own history entry, so the console shows them beside
the ticket and the tracking page can serve them back to the token holder only.
"""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.formatting import local
from ticketing.models import Category, Ticket, TicketEvent, TicketPhoto
from ticketing.services import sla
from ticketing.services.events import record_event
from ticketing.services.lifecycle import ROLE_CITIZEN, actions_for, reopen_deadline
from ticketing.services.media import IMAGE_EXTENSIONS, sniff_image_type
from ticketing.services.regions import default_region_code, find_category
from ticketing.services.tracking import public_view

# What a phone camera or the page's canvas produces; GIF is left out (animations, no photos).
CITIZEN_PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
PHOTOS_PER_COMPLAINT = 3
# A ticket is not a photo album: past this the citizen is asked to describe instead.
PHOTOS_PER_TICKET = 10
CITIZEN_PHOTO_KIND = "citizen"
MAX_NOTE = 2000


def photo_limit_bytes() -> int:
    return int(current_app.config["CITIZEN_PHOTO_MAX_BYTES"])


def check_citizen_photo(content: bytes) -> str:
    """The real type of an acceptable photo, from its bytes; else 422 (empty), 413, 415."""
    if not content:
        text = catalogue.text("error.photo_empty")
        raise APIError(422, "invalid_fields", text, {"photo": [text]})
    limit = photo_limit_bytes()
    if len(content) > limit:
        text = catalogue.text("error.photo_too_large", mb=limit // (1024 * 1024))
        raise APIError(413, "payload_too_large", text, {"photo": [text]})
    content_type = sniff_image_type(content)
    if content_type not in CITIZEN_PHOTO_TYPES:
        text = catalogue.text("error.photo_type")
        raise APIError(415, "unsupported_media_type", text, {"photo": [text]})
    return content_type


def _media_dir() -> Path:
    return Path(current_app.config.get("MEDIA_DIR") or Path(current_app.instance_path) / "media")


def add_citizen_photos(ticket: Ticket, photos: list[bytes], channel: str = "web") -> list[int]:
    """Keep the citizen's photos of `ticket` (checked first: one bad file stores none); commits.

    Files are named by their content's SHA-256 within the ticket, so the same photo sent again
    (a retry after a lost answer, a double tap) is the photo already kept, not a second one.
    Each new photo gets a history entry (internal, like a chat photo) so the officer sees when
    it came; files are written before the commit, so a failed commit leaves only a file."""
    kinds = [check_citizen_photo(content) for content in photos]
    if not photos:
        return []
    folder = Path("citizen") / ticket.ticket_number
    paths = [
        str(folder / f"{hashlib.sha256(content).hexdigest()[:32]}{IMAGE_EXTENSIONS[kind]}")
        for content, kind in zip(photos, kinds, strict=True)
    ]
    kept = dict(
        db.session.execute(
            select(TicketPhoto.path, TicketPhoto.id).where(
                TicketPhoto.ticket_id == ticket.id, TicketPhoto.kind == CITIZEN_PHOTO_KIND
            )
        ).all()
    )
    new = {path for path in paths if path not in kept}
    if len(kept) + len(new) > PHOTOS_PER_TICKET:
        text = catalogue.text("error.photo_limit", count=PHOTOS_PER_TICKET)
        raise APIError(422, "invalid_fields", text, {"photo": [text]})
    rows, events = {}, []
    for content, content_type, relative in zip(photos, kinds, paths, strict=True):
        if relative in kept or relative in rows:
            continue
        target = _media_dir() / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        event = record_event(
            ticket,
            type="ticket.updated",
            action="citizen_photo",
            actor_label=f"citizen:{channel}",
            from_status=ticket.status,
            data={"content_type": content_type, "size_bytes": len(content)},
        )
        rows[relative] = TicketPhoto(
            ticket_id=ticket.id,
            kind=CITIZEN_PHOTO_KIND,
            path=relative,
            content_type=content_type,
            size_bytes=len(content),
        )
        db.session.add(rows[relative])
        events.append(event)
    db.session.flush()
    kept.update({path: row.id for path, row in rows.items()})
    new_ids = [row.id for row in rows.values()]
    db.session.commit()
    # Event ids are handed out at commit (services/events.py keeps them in commit order), so
    # each photo is tied to its history entry just after.
    for photo_id, event in zip(new_ids, events, strict=True):
        db.session.execute(update(TicketPhoto).where(TicketPhoto.id == photo_id).values(event_id=event.id))
    db.session.commit()
    return [kept[path] for path in paths]


def add_citizen_note(ticket: Ticket, note: str, channel: str = "web") -> None:
    """More information from the citizen after filing, kept like a chat follow-up message."""
    note = (note or "").strip()
    if not note:
        text = catalogue.text("error.note_empty")
        raise APIError(422, "invalid_fields", text, {"note": [text]})
    record_event(
        ticket,
        type="ticket.updated",
        action="citizen_message",
        actor_label=f"citizen:{channel}",
        from_status=ticket.status,
        note=note[:MAX_NOTE],
    )
    db.session.commit()


def guess_category(description: str, region_code: str | None = None) -> dict:
    """The router's guess while the citizen types: the category the router of the region the
    complaint will be filed in (default: `DEFAULT_REGION`) would pick when it is confident, else
    none (an operator would look at it). Nothing is stored."""
    from ticketing.services.region_routing import ready_router

    region_code = region_code or default_region_code()
    router = ready_router(region_code)
    if router is None:
        # Never train a router inside a web request (seconds of CPU): the worker saves one at
        # start-up (a city's once it routes there); until then the form simply shows no hint.
        db.session.rollback()
        return {"category": None, "category_name": None, "confidence": 0.0}
    decision = router.route(description)
    if not decision.is_complaint or decision.needs_triage or decision.category is None:
        db.session.rollback()  # nothing read needs a transaction kept open
        return {"category": None, "category_name": None, "confidence": decision.confidence}
    category = find_category(region_code, decision.category)  # named in that region's table
    name = category.name if category else decision.category
    db.session.rollback()
    return {"category": decision.category, "category_name": name, "confidence": round(decision.confidence, 3)}


def citizen_categories(region_code: str | None = None) -> list[Category]:
    """The categories the form offers: the region's (default: `DEFAULT_REGION`)."""
    region_code = region_code or default_region_code()
    return list(
        db.session.scalars(
            select(Category).where(Category.region_code == region_code).order_by(Category.name)
        )
    )


_places: dict[str, list[dict]] = {}
_places_lock = threading.Lock()


def kelurahan_places() -> list[dict]:
    """Each kelurahan with a point inside it (for the place search): read once per process."""
    path = current_app.config["AREAS_GEOJSON_PATH"]
    places = _places.get(path)
    if places is None:
        from shapely.geometry import shape

        with _places_lock:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            by_code = {
                f["properties"]["code"]: f["properties"]["name"]
                for f in data["features"]
                if f["properties"].get("kind") == "kecamatan"
            }
            places = []
            for feature in data["features"]:
                props = feature["properties"]
                if props.get("kind") != "kelurahan":
                    continue
                point = shape(feature["geometry"]).representative_point()
                places.append(
                    {
                        "code": props["code"],
                        "name": props["name"],
                        "kecamatan": by_code.get(props.get("kecamatan_code"), ""),
                        "lat": round(point.y, 5),
                        "lon": round(point.x, 5),
                    }
                )
            places.sort(key=lambda p: p["name"])
            _places[path] = places
    return places


def map_settings() -> dict:
    """The map the place pickers open on (the citizen form and the console's intake)."""
    try:
        lat, lon = (float(part) for part in current_app.config["MAP_CENTER"].split(","))
    except (ValueError, AttributeError):
        lat, lon = -7.82, 112.01
    return {
        "tile_url": current_app.config.get("MAP_TILE_URL") or "",
        "attribution": current_app.config.get("MAP_TILE_ATTRIBUTION") or "",
        "center": [lat, lon],
        "zoom": current_app.config.get("MAP_ZOOM", 13),
    }


def kelurahan_name(code: str | None) -> str | None:
    return next((p["name"] for p in kelurahan_places() if p["code"] == code), None)


def _local(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return local(moment)


def public_photos(ticket: Ticket) -> list[TicketPhoto]:
    """Photos the token holder may see: their own, and staff photos beside a public entry."""
    public_events = select(TicketEvent.id).where(
        TicketEvent.ticket_id == ticket.id, TicketEvent.public.is_(True)
    )
    return list(
        db.session.scalars(
            select(TicketPhoto)
            .where(
                TicketPhoto.ticket_id == ticket.id,
                (TicketPhoto.kind == CITIZEN_PHOTO_KIND) | TicketPhoto.event_id.in_(public_events),
            )
            .order_by(TicketPhoto.id)
        )
    )


def public_photo_file(ticket: Ticket, photo_id: int) -> tuple[Path, str]:
    photo = next((p for p in public_photos(ticket) if p.id == photo_id), None)
    if photo is not None:
        root = _media_dir().resolve()
        path = (root / photo.path).resolve()
        if path.is_relative_to(root) and path.is_file():
            # Served as what its bytes say, whatever was recorded.
            content_type = sniff_image_type(path.read_bytes()[:16])
            if content_type is not None:
                return path, content_type
    raise APIError(404, "not_found", catalogue.text("error.photo_not_found"))


def tracking_page(ticket: Ticket) -> dict:
    """The public view plus what the tracking page shows and offers: local times, photos by
    history entry, and which citizen actions fit the state now."""
    view = public_view(ticket)
    photos = public_photos(ticket)
    after = {p.event_id: p for p in photos if p.kind != CITIZEN_PHOTO_KIND}
    actions = actions_for(ROLE_CITIZEN, ticket.status)
    rated = (
        ticket.feedback_at is not None
        and ticket.resolved_at is not None
        and ticket.feedback_at >= ticket.resolved_at
    )
    deadline = reopen_deadline(ticket) if ticket.status == "resolved" and ticket.resolved_at else None
    if deadline is not None and sla.now() > deadline:
        deadline = None  # the window has passed: the page no longer offers to reopen
    event_ids = [
        e.id
        for e in db.session.scalars(
            select(TicketEvent)
            .where(TicketEvent.ticket_id == ticket.id, TicketEvent.public.is_(True))
            .order_by(TicketEvent.id)
        )
    ]
    history, previous = [], None
    for event_id, item in zip(event_ids, view["history"], strict=False):
        # The status in words where it changed, not again beside a rating or a note.
        changed = item["to_status"] and item["to_status"] != previous
        history.append(
            {
                **item,
                "at_local": _local(item["created_at"]),
                "status_label": (catalogue.text(f"status.{item['to_status']}") if changed else None),
                "photo": after.get(event_id),
            }
        )
        previous = item["to_status"] or previous
    return {
        **view,
        "history": history,
        "created_local": _local(ticket.created_at),
        "sla_due_local": _local(ticket.sla_due_at),
        "citizen_photos": [p for p in photos if p.kind == CITIZEN_PHOTO_KIND],
        "can_rate": "feedback" in actions and not rated,
        "rated": ticket.feedback_rating if rated else None,
        "can_reopen": "reopen" in actions and deadline is not None,
        "reopen_until_local": _local(deadline),
        "can_add": ticket.status not in ("closed", "rejected"),
    }
