"""Operator pages: the triage queue (router suggestions, one-key dispose), escalations, and the
outbound messages that failed. Dispose, reject and reassign post to `ticket_action`."""
from __future__ import annotations

from flask import current_app, render_template

from ticketing.console.officer import pop_typed
from ticketing.console.views import bp, current_user, roles_required
from ticketing.roles import COMMAND_CENTRE_ROLES
from ticketing.services import console as console_service
from ticketing.services.lifecycle import REJECT_REASONS, actions_for
from ticketing.services.outbox import failed_outbox
from ticketing.services.reference import active_categories, active_opds


@bp.get("/triage")
@roles_required(*COMMAND_CENTRE_ROLES)
def triage():
    user = current_user()
    tickets = console_service.triage_queue(user)
    overdue = console_service.escalations(user)
    return render_template(
        "console/triage.html", tickets=tickets, escalations=overdue,
        candidates=console_service.routing_candidates(tickets + overdue),
        duplicates=console_service.possible_duplicate_tickets(tickets),
        complaints=console_service.routed_as_complaint(tickets),
        return_notes=console_service.last_notes(tickets, "return"),
        preselect_floor=current_app.config["TRIAGE_PRESELECT_MIN_CONFIDENCE"],
        opds=active_opds(), categories=active_categories(), reject_reasons=REJECT_REASONS,
        counts=console_service.queue_counts(user), typed=pop_typed(),
        allowed=lambda ticket, action: action in actions_for(user.role, ticket.status))


@bp.get("/outbox")
@roles_required(*COMMAND_CENTRE_ROLES)
def outbox():
    return render_template("console/outbox.html", messages=failed_outbox())
