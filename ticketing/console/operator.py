"""Operator pages: the triage queue (router suggestions, one-key dispose), escalations, and the
outbound messages that failed. Dispose, reject and reassign post to `ticket_action`."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for

from ticketing import catalogue
from ticketing.console.officer import pop_typed, session_socket_token
from ticketing.console.views import bp, current_user, explain, roles_required
from ticketing.errors import APIError
from ticketing.roles import COMMAND_CENTRE_ROLES
from ticketing.services import console as console_service
from ticketing.services import outbox_review
from ticketing.services.lifecycle import REJECT_REASONS, actions_for
from ticketing.services.queries import list_tickets
from ticketing.services.reference import active_categories, active_opds


@bp.get("/triage")
@roles_required(*COMMAND_CENTRE_ROLES)
def triage():
    user = current_user()
    tickets = console_service.triage_queue(user)
    overdue = console_service.escalations(user)
    return render_template(
        "console/triage.html",
        tickets=tickets,
        escalations=overdue,
        candidates=console_service.routing_candidates(tickets + overdue),
        duplicates=console_service.possible_duplicate_tickets(tickets),
        complaints=console_service.routed_as_complaint(tickets),
        return_notes=console_service.last_notes(tickets, "return"),
        preselect_floor=current_app.config["TRIAGE_PRESELECT_MIN_CONFIDENCE"],
        opds=active_opds(region_codes=[user.region_code]),
        categories=active_categories([user.region_code]),
        reject_reasons=REJECT_REASONS,
        counts=console_service.queue_counts(user),
        typed=pop_typed(),
        socket_token=session_socket_token(),
        allowed=lambda ticket, action: action in actions_for(user.role, ticket.status),
    )


@bp.get("/search")
@roles_required(*COMMAND_CENTRE_ROLES)
def search():
    """Any ticket by its number or words, whatever its status (officers search their queue)."""
    query = (request.args.get("q") or "").strip()[:200]
    found = list_tickets(current_user(), q=query, limit=50).items if query else []
    return render_template(
        "console/search.html",
        q=query,
        tickets=found,
        duplicates=console_service.possible_duplicate_tickets(found),
    )


@bp.get("/outbox")
@roles_required(*COMMAND_CENTRE_ROLES)
def outbox():
    return render_template("console/outbox.html", messages=outbox_review.failed_messages())


@bp.post("/outbox/<int:outbox_id>/<any(retry, handled):step>")
@roles_required(*COMMAND_CENTRE_ROLES)
def outbox_step(outbox_id: int, step: str):
    """Send a failed message again, or mark it handled once the citizen was reached."""
    try:
        if step == "retry":
            row = outbox_review.retry_failed(current_user(), outbox_id)
            flash(catalogue.text("outbox.retried", recipient=row.recipient), "success")
        else:
            row = outbox_review.mark_handled(current_user(), outbox_id)
            flash(catalogue.text("outbox.marked_handled", recipient=row.recipient), "success")
    except APIError as exc:
        flash(f"Tidak tersimpan: {explain(exc)}", "error")
    return redirect(url_for("console.outbox"), 303)
