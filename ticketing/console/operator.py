"""Operator pages: the triage queue (router suggestions, one-key dispose), escalations, and the
outbound messages that failed. Dispose, reject and reassign post to `ticket_action`."""
from __future__ import annotations

from flask import render_template

from ticketing.console.views import bp, current_user, roles_required
from ticketing.services import console as console_service
from ticketing.services.lifecycle import REJECT_REASONS, actions_for
from ticketing.services.outbox import failed_outbox
from ticketing.services.reference import active_categories, active_opds

# The router stores no duplicate candidates yet (its `ticket.routed` data has none); the page
# says so instead of guessing. When it does, they arrive under this key.
DUPLICATES_KEY = "duplicates"


@bp.get("/triage")
@roles_required("operator", "admin")
def triage():
    user = current_user()
    tickets = console_service.triage_queue(user)
    overdue = console_service.escalations(user)
    return render_template(
        "console/triage.html", tickets=tickets, escalations=overdue,
        candidates=console_service.routing_candidates(tickets + overdue),
        duplicates=console_service.possible_duplicate_tickets(tickets, DUPLICATES_KEY),
        opds=active_opds(), categories=active_categories(), reject_reasons=REJECT_REASONS,
        counts=console_service.queue_counts(user),
        allowed=lambda ticket, action: action in actions_for(user.role, ticket.status))


@bp.get("/outbox")
@roles_required("operator", "admin")
def outbox():
    return render_template("console/outbox.html", messages=failed_outbox())
