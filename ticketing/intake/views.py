"""Citizens' web intake: file a complaint, track it."""

from __future__ import annotations

from flask import Blueprint, current_app, request, url_for

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import limiter
from ticketing.http import idempotency_key, json_body, required_upload
from ticketing.intake.schemas import (
    CategoryGuessSchema,
    CitizenPhotoSchema,
    ComplaintCreatedSchema,
    ComplaintSchema,
    FeedbackSchema,
    ObjectionSchema,
    PublicTicketSchema,
    ReopenSchema,
)
from ticketing.ratelimits import PUBLIC_READS_SCOPE, complaint_limits, public_reads_limit
from ticketing.services.citizen import add_citizen_photos, guess_category, photo_limit_bytes
from ticketing.services.intake import file_web_complaint
from ticketing.services.lifecycle import record_feedback, reopen_by_citizen
from ticketing.services.ppid import file_objection
from ticketing.services.region_choice import intake_region
from ticketing.services.tracking import public_view, ticket_for_citizen

bp = Blueprint("intake", __name__, url_prefix="/api/v1/complaints")

complaint_schema = ComplaintSchema()
created_schema = ComplaintCreatedSchema()
public_ticket_schema = PublicTicketSchema()


def complaint_rate_limit() -> str:
    return current_app.config["RATELIMIT_COMPLAINTS"]


@bp.post("")
@limiter.limit(complaint_rate_limit)
@complaint_limits(limiter)
def file_complaint():
    key = idempotency_key()
    created = file_web_complaint(complaint_schema.load(json_body()), key)
    body = created_schema.dump(
        {
            "ticket_number": created.ticket_number,
            "tracking_token": created.tracking_token,
            "status": created.status,
            "created_at": created.created_at,
        }
    )
    headers = {"Location": url_for("intake.track_complaint", ticket_number=created.ticket_number)}
    if created.replayed:
        # The same answer as the first time (a retry after a lost response), marked as such.
        headers["Idempotent-Replayed"] = "true"
    return body, 201, headers


@bp.get("/<ticket_number>")
@limiter.shared_limit(public_reads_limit, scope=PUBLIC_READS_SCOPE)
def track_complaint(ticket_number: str):
    ticket = ticket_for_citizen(ticket_number, request.args.get("token"))
    if ticket is None:
        # The same answer for "no such ticket" and "wrong token": numbers are not enumerable.
        raise APIError(404, "not_found", catalogue.text("error.ticket_not_found_for_token"))
    return public_ticket_schema.dump(public_view(ticket))


def _citizen_ticket(ticket_number: str):
    ticket = ticket_for_citizen(ticket_number, request.args.get("token"))
    if ticket is None:
        raise APIError(404, "not_found", catalogue.text("error.ticket_not_found_for_token"))
    return ticket


@bp.post("/<ticket_number>/feedback")
def give_feedback(ticket_number: str):
    data = FeedbackSchema().load(json_body())
    ticket = record_feedback(_citizen_ticket(ticket_number), data["rating"], data["comment"], "web")
    return public_ticket_schema.dump(public_view(ticket))


@bp.post("/<ticket_number>/objection")
def object_to_answer(ticket_number: str):
    """The requester's keberatan to an information request's answer or missed deadline."""
    data = ObjectionSchema().load(json_body())
    ticket = file_objection(_citizen_ticket(ticket_number), data["reason"], "web", data["ground"])
    return public_ticket_schema.dump(public_view(ticket))


@bp.post("/<ticket_number>/reopen")
def reopen_complaint(ticket_number: str):
    data = ReopenSchema().load(json_body())
    ticket = reopen_by_citizen(_citizen_ticket(ticket_number), data["note"], "web")
    return public_ticket_schema.dump(public_view(ticket))


# Multipart overhead (boundary, headers) on top of the photo itself.
PHOTO_PART_OVERHEAD = 64 * 1024


@bp.post("/<ticket_number>/photos")
@limiter.limit(lambda: current_app.config["RATELIMIT_CITIZEN_PHOTOS"])
def add_photo(ticket_number: str):
    """One photo (multipart field `photo`), JPEG/PNG/WebP by its bytes, from the token holder."""
    request.max_content_length = photo_limit_bytes() + PHOTO_PART_OVERHEAD
    ticket = _citizen_ticket(ticket_number)
    upload = required_upload(
        request.files.get("photo"),
        "photo",
        not_multipart="error.photo_multipart",
        missing="error.photo_missing",
    )
    content = upload.read(photo_limit_bytes() + 1)
    photo_id = add_citizen_photos(ticket, [content])[0]
    return CitizenPhotoSchema().dump(
        {"id": photo_id, "ticket_number": ticket.ticket_number, "size_bytes": len(content)}
    ), 201


@bp.post("/category-guess")
@limiter.limit(lambda: current_app.config["RATELIMIT_CATEGORY_GUESS"])
def category_guess():
    """The category the router would pick for a description being typed (nothing stored)."""
    data = CategoryGuessSchema().load(json_body())
    location = data.get("location") or {}
    # The region the complaint will be filed in (file_complaint's rule): its router guesses.
    region = intake_region(data.get("region"), location.get("lat"), location.get("lon"))
    return CategoryGuessSchema().dump(guess_category(data["description"], region))
