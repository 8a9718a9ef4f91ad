"""`/lacak/<ticket_number>?token=`: the citizen's tracking page and its plain-form actions
(add information or a photo, rate the resolution, reopen within the window, object to an
information request's answer within the objection window).

A wrong token and an unknown number answer the same 404 page: numbers are not enumerable.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError

from ticketing import catalogue
from ticketing.citizen.schemas import (
    NoteFormSchema,
    ObjectionFormSchema,
    RatingFormSchema,
    ReopenFormSchema,
)
from ticketing.citizen.views import bp, photo_uploads
from ticketing.errors import APIError
from ticketing.extensions import csrf, limiter
from ticketing.formatting import moment_label
from ticketing.ratelimits import PUBLIC_READS_SCOPE, public_reads_limit
from ticketing.services import sla
from ticketing.services.citizen import (
    add_citizen_note,
    add_citizen_photos,
    photo_limit_bytes,
    public_photo_file,
    tracking_page,
)
from ticketing.services.lifecycle import record_feedback, reopen_by_citizen
from ticketing.services.media import MEDIA_RESPONSE_HEADERS
from ticketing.services.ppid import file_objection, objection_closed, objection_panel
from ticketing.services.tracking import ticket_for_citizen


def _ticket(ticket_number: str):
    ticket = ticket_for_citizen(ticket_number, request.args.get("token"))
    if ticket is None:
        raise APIError(404, "not_found", catalogue.text("error.ticket_not_found_for_token"))
    return ticket


def _back(ticket_number: str):
    return redirect(
        url_for("citizen.track", ticket_number=ticket_number, token=request.args.get("token")), 303
    )


def _checked_form(ticket_number: str) -> bool:
    try:
        csrf.protect()
    except CSRFError:
        flash(catalogue.text("web.csrf"), "error")
        return False
    return True


@bp.get("/lacak/<ticket_number>")
@limiter.shared_limit(public_reads_limit, scope=PUBLIC_READS_SCOPE)
def track(ticket_number: str):
    ticket = _ticket(ticket_number)
    return render_template(
        "citizen/lacak.html",
        view=tracking_page(ticket),
        objection=objection_panel(ticket, sla.now()),
        token=request.args.get("token"),
        max_photo_mb=photo_limit_bytes() // (1024 * 1024),
    )


@bp.get("/lacak/<ticket_number>/foto/<int:photo_id>")
def photo(ticket_number: str, photo_id: int):
    path, content_type = public_photo_file(_ticket(ticket_number), photo_id)
    response = send_file(path, mimetype=content_type, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers.update(MEDIA_RESPONSE_HEADERS)  # every media answer is sandboxed
    return response


@bp.post("/lacak/<ticket_number>/tambah")
def add_information(ticket_number: str):
    ticket = _ticket(ticket_number)
    if not _checked_form(ticket_number):
        return _back(ticket.ticket_number)
    try:
        note = NoteFormSchema().load(request.form)["note"].strip()
        photos = photo_uploads()
        if not note and not photos:
            raise APIError(422, "invalid_fields", catalogue.text("error.note_empty"))
        if photos:
            add_citizen_photos(ticket, photos)
        if note:
            add_citizen_note(ticket, note)
    except (APIError, ValidationError) as exc:
        flash(_problem(exc), "error")
        return _back(ticket.ticket_number)
    flash(catalogue.text("web.added"), "ok")
    return _back(ticket.ticket_number)


@bp.post("/lacak/<ticket_number>/nilai")
def rate(ticket_number: str):
    ticket = _ticket(ticket_number)
    if not _checked_form(ticket_number):
        return _back(ticket.ticket_number)
    try:
        data = RatingFormSchema().load(request.form)
        record_feedback(ticket, data["rating"], data["comment"], "web")
    except (APIError, ValidationError) as exc:
        flash(_problem(exc), "error")
        return _back(ticket_number)
    flash(catalogue.text("event.feedback", rating=data["rating"]), "ok")
    return _back(ticket_number)


@bp.post("/lacak/<ticket_number>/buka-kembali")
def reopen(ticket_number: str):
    ticket = _ticket(ticket_number)
    if not _checked_form(ticket_number):
        return _back(ticket.ticket_number)
    try:
        data = ReopenFormSchema().load(request.form)
        reopen_by_citizen(ticket, data["note"], "web")
    except (APIError, ValidationError) as exc:
        # Still resolved yet refused: the reopen window has passed.
        late = isinstance(exc, APIError) and exc.status == 409 and ticket.status == "resolved"
        flash(catalogue.text("web.reopen_window_closed") if late else _problem(exc), "error")
        return _back(ticket_number)
    flash(catalogue.text("web.reopened"), "ok")
    return _back(ticket_number)


@bp.post("/lacak/<ticket_number>/keberatan")
def object_to_answer(ticket_number: str):
    """The requester's keberatan, filed by `file_objection` exactly as the API files it."""
    ticket = _ticket(ticket_number)
    if not _checked_form(ticket_number):
        return _back(ticket.ticket_number)
    try:
        data = ObjectionFormSchema().load(request.form)
        file_objection(ticket, data["reason"], "web", data["ground"])
    except ValidationError as exc:
        if not (request.form.get("reason") or "").strip():
            key = "error.objection_reason"
        elif "ground" in exc.messages:
            key = "error.objection_ground"
        else:
            key = "web.invalid"
        flash(catalogue.text(key), "error")
        return _back(ticket_number)
    except APIError as exc:
        if exc.status != 409:
            flash(exc.message if exc.status == 422 else _problem(exc), "error")
            return _back(ticket_number)
        # Refused by the rule: say which part (not an information request, objected already,
        # outside the window), read again now that the refused transaction is rolled back.
        refusal = objection_closed(ticket, sla.now())
        flash(refusal.message if refusal is not None else catalogue.text("web.not_now"), "error")
        return _back(ticket_number)
    flash(catalogue.text("web.objection_filed", due=moment_label(ticket.due_at)), "ok")
    return _back(ticket_number)


def _problem(exc: APIError | ValidationError) -> str:
    """The one sentence (from the catalogue) a citizen reads for a refused action."""
    if isinstance(exc, ValidationError):
        return catalogue.text("web.invalid")
    if exc.status == 413:
        return catalogue.text("web.photo_too_large", mb=photo_limit_bytes() // (1024 * 1024))
    if exc.status == 415:
        return catalogue.text("web.photo_type")
    if exc.code == "already_rated":
        return catalogue.text("web.already_rated")
    return catalogue.text("web.not_now" if exc.status == 409 else "web.invalid")
