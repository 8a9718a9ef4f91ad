"""Officer pages: the OPD's queue, the ticket page and its actions (shared with operators)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, send_file, session, url_for

from ticketing.console.kinds import kind_details, kind_form_choices
from ticketing.console.schemas import ActionForm, QueueFilter
from ticketing.console.views import (
    STATUS_LABELS,
    bp,
    current_user,
    error_page,
    explain,
    load_form,
    roles_required,
)
from ticketing.errors import APIError
from ticketing.roles import ATASAN_PPID, OFFICER, OPD_ROLES, WORK_ROLES
from ticketing.services import console as console_service
from ticketing.services import proof
from ticketing.services.accounts import issue_token
from ticketing.services.console_sessions import new_session_id
from ticketing.services.events import latest_event_id
from ticketing.services.lifecycle import REJECT_REASONS, actions_for, apply_action
from ticketing.services.media import INLINE_IMAGE_TYPES, MEDIA_RESPONSE_HEADERS
from ticketing.services.ppid import link_documents
from ticketing.services.queries import ticket_detail, visible_ticket
from ticketing.services.reference import active_categories, active_opds

SECTION_TITLES = {
    "overdue": "Terlambat",
    "assigned": "Baru",
    "in_progress": "Dikerjakan",
    "resolved": "Selesai",
    "closed": "Ditutup",
    "rejected": "Ditolak",
    "on_hold": "Ditunda",
    "objection": "Keberatan",
}
DONE_TEXTS = {
    "accept": "Tiket {n} diterima dan sedang dikerjakan.",
    "resolve": "Tiket {n} diselesaikan. Catatan publik terkirim ke pelapor.",
    "return": "Tiket {n} dikembalikan ke triase.",
    "comment": "Catatan pada tiket {n} tersimpan.",
    "dispose": "Tiket {n} diteruskan ke {opd}.",
    "reject": "Tiket {n} ditolak.",
    "close": "Tiket {n} ditutup.",
    "reopen": "Tiket {n} dibuka kembali.",
    "forward_external": "Tiket {n} diteruskan ke instansi luar; surel terkirim ke instansi itu.",
    "recall_external": "Tiket {n} ditarik kembali ke triase.",
}
DONE_TEXTS |= {
    "hold": "Tiket {n} ditunda; jam SLA berhenti sampai dilanjutkan.",
    "resume": "Tiket {n} dilanjutkan; batas waktu bergeser sepanjang penundaan.",
    "close_unresolved": "Tiket {n} ditutup tanpa penyelesaian.",
    "answer": "Tanggapan atas aspirasi {n} terkirim ke pelapor.",
    "extend": "Waktu jawaban permintaan {n} diperpanjang 7 hari kerja.",
    "decide": "Keputusan atas permintaan {n} terkirim ke pemohon.",
}


def socket_token() -> str | None:
    """An access token for the page's `/opd` socket (officers only: the namespace's rule)."""
    if current_user().role != OFFICER:
        return None
    return session_socket_token()


def session_socket_token() -> str:
    """An access token for a page's socket, named after this console session, so logging out
    revokes it (console_sessions.py)."""
    if not session.get("sid"):
        session["sid"] = new_session_id()
    return issue_token(current_user(), console_session=session["sid"]).access_token


@bp.get("/queue")
@roles_required(*OPD_ROLES, ATASAN_PPID)
def queue():
    user = current_user()
    try:
        filters = load_form(QueueFilter(), request.args.to_dict())
    except APIError as exc:
        flash(explain(exc), "error")
        filters = {"status": None, "category": None, "q": None, "overdue": False}
    sections = console_service.officer_queue(
        user,
        status=filters["status"],
        q=filters["q"],
        category=filters["category"],
        overdue_only=filters["overdue"],
    )
    shown = [ticket for section in sections for ticket in section.tickets]
    return render_template(
        "console/queue.html",
        sections=sections,
        titles=SECTION_TITLES,
        duplicates=console_service.possible_duplicate_tickets(shown),
        counts=console_service.queue_counts(user),
        filters=filters,
        categories=active_categories([user.region_code]),
        socket_token=socket_token(),
        last_event_id=latest_event_id(),
    )


@bp.get("/tickets/<ticket_number>")
@roles_required(*WORK_ROLES)
def ticket_page(ticket_number: str):
    user = current_user()
    ticket = visible_ticket(user, ticket_number)  # 404 for another OPD's ticket
    detail = ticket_detail(user, ticket)
    photos = console_service.staff_photos(ticket)
    candidates = console_service.routing_candidates([ticket]).get(ticket.id, [])
    return render_template(
        "console/ticket.html",
        ticket=ticket,
        detail=detail,
        actions=actions_for(user.role, ticket.status, ticket.kind),
        kind_forms=kind_form_choices(),
        messages=console_service.citizen_messages(ticket),
        media=console_service.citizen_media(ticket),
        photos=photos,
        photos_by_event={p.event_id: p for p in photos},
        candidates=candidates,
        # Dispose and category choices are the ticket's own region's.
        opds=active_opds(region_codes=[ticket.region_code]),
        categories=active_categories([ticket.region_code]),
        reject_reasons=REJECT_REASONS,
        inline_image_types=INLINE_IMAGE_TYPES,
        typed=pop_typed(),
        reopen_note=console_service.reopen_note(ticket),
        needs_proof=proof.needs_proof(ticket),
    )


def _back(form: dict, ticket_number: str) -> str:
    if form.get("back") == "triage":
        return url_for("console.triage")
    if form.get("back") == "queue":
        return url_for("console.queue")
    return url_for("console.ticket_page", ticket_number=ticket_number)


TYPED_FIELDS = ("action", "opd", "category", "note", "reason", "duplicate_of")
TYPED_MAX_CHARS = 500


def keep_typed(ticket_number: str) -> None:
    """What a refused form held, for the page it returns to (Post/Redirect/Get loses it).

    It rides in the session cookie, which browsers cap near 4 KB: a long note is cut (the
    browser keeps the full draft of a note being written, console.js)."""
    session["typed"] = {
        "ticket": ticket_number,
        **{
            name: request.form.get(name, "")[:TYPED_MAX_CHARS]
            for name in TYPED_FIELDS
            if request.form.get(name)
        },
    }


def pop_typed() -> dict:
    """The refused form's values, once: `typed.ticket` says which ticket's form they fill."""
    return session.pop("typed", None) or {}


@bp.post("/tickets/<ticket_number>/actions")
@roles_required(*WORK_ROLES)
def ticket_action(ticket_number: str):
    """Every ticket action from every console form; the lifecycle decides what is allowed."""
    user = current_user()
    ticket = visible_ticket(user, ticket_number)
    back = url_for("console.ticket_page", ticket_number=ticket.ticket_number)
    try:
        form = load_form(ActionForm())
        back = _back(form, ticket.ticket_number)
        action = form["action"]
        public = None if form["visibility"] is None else form["visibility"] == "public"
        if action == "resolve":
            upload = request.files.get("photo")
            content = upload.read() if upload and upload.filename else None
            # A `needs_proof` category: the photo must be from the place (services/proof.py).
            resolve = (
                proof.resolve_with_proof if proof.needs_proof(ticket) else console_service.resolve_with_photo
            )
            extra = (
                {"geo": proof.form_geolocation(request.form)} if resolve is proof.resolve_with_proof else {}
            )
            resolve(
                ticket,
                user,
                form["note"],
                public is not False,
                content,
                upload.mimetype if upload else None,
                **extra,
            )
        else:
            # The category a dispose leaves is the lifecycle's rule, the same as the API's.
            apply_action(
                ticket,
                user,
                action,
                opd=form["opd"],
                note=form["note"],
                public=public,
                reason=form["reason"],
                duplicate_of=form["duplicate_of"],
                category=form["category"],
                body=form["body"],
                details=kind_details(ticket, user, action, form),
            )
            if action == "decide":
                link_documents(ticket)
    except APIError as exc:
        if exc.status == 404:
            return error_page(404, explain(exc))
        flash(f"Tidak tersimpan: {explain(exc)}", "error")
        keep_typed(ticket.ticket_number)
        return redirect(back), 303
    flash(DONE_TEXTS.get(action, "Tersimpan.").format(n=ticket.ticket_number, opd=form["opd"]), "success")
    if action == "return" and user.role == OFFICER:
        back = url_for("console.queue")  # the ticket is no longer ours to open
    return redirect(back), 303


@bp.get("/tickets/<ticket_number>/media/<kind>/<int:item_id>")
@roles_required(*WORK_ROLES)
def ticket_media(ticket_number: str, kind: str, item_id: int):
    ticket = visible_ticket(current_user(), ticket_number)
    media = console_service.media_file(ticket, kind, item_id)
    response = send_file(
        media.path,
        mimetype=media.mimetype,
        max_age=0,
        as_attachment=not media.inline,
        download_name=media.download_name,
    )
    if media.inline:
        response.headers["Content-Disposition"] = "inline"
    response.headers.update(MEDIA_RESPONSE_HEADERS)
    return response


__all__ = ["STATUS_LABELS"]
