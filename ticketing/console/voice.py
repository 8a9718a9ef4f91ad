"""Voice notes on the console: the ticket page plays the note (ticket.html) and the operator's
typed summary is posted here; services/voice.py makes it the ticket's text and has it routed."""

from __future__ import annotations

from flask import flash, redirect, request, url_for

from ticketing import catalogue
from ticketing.console.views import bp, current_user, explain, roles_required
from ticketing.errors import APIError
from ticketing.roles import COMMAND_CENTRE_ROLES
from ticketing.services.queries import visible_ticket
from ticketing.services.voice import add_voice_summary, is_voice_ticket

SUMMARY_MAX_CHARS = 4000


@bp.context_processor
def voice_helpers():
    return {"is_voice_ticket": is_voice_ticket}


@bp.post("/tickets/<ticket_number>/voice-summary")
@roles_required(*COMMAND_CENTRE_ROLES)
def voice_summary(ticket_number: str):
    user = current_user()
    ticket = visible_ticket(user, ticket_number)
    try:
        add_voice_summary(user, ticket, (request.form.get("summary") or "")[:SUMMARY_MAX_CHARS])
        flash(catalogue.text("voice.summary_saved", ticket_number=ticket_number), "success")
    except APIError as exc:
        flash(f"Tidak tersimpan: {explain(exc)}", "error")
    return redirect(url_for("console.ticket_page", ticket_number=ticket_number), 303)
