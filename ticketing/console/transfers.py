"""The transfer form on the ticket page (issue #16): send a ticket to the region that holds the
authority (region select, that region's OPD select, the reason), or back to where it came from.
The page includes console/_transfer.html, which asks `transfer_panel(ticket)` what to show."""

from __future__ import annotations

from flask import flash, redirect, url_for
from marshmallow import fields, validate

from ticketing import catalogue
from ticketing.console.schemas import FormSchema
from ticketing.console.views import bp, current_user, error_page, explain, load_form, roles_required
from ticketing.errors import APIError
from ticketing.roles import COMMAND_CENTRE_ROLES
from ticketing.services import transfer_views, transfers
from ticketing.services.lifecycle import actions_for
from ticketing.services.queries import visible_ticket


class TransferForm(FormSchema):
    region = fields.String(required=True, validate=validate.Length(min=1, max=16))
    opd = fields.String(load_default=None, validate=validate.Length(max=32))
    note = fields.String(load_default=None, validate=validate.Length(max=4000))


@bp.app_template_global("transfer_panel")
def transfer_panel(ticket) -> dict:
    """What the ticket page shows of transfers: the history, the router's proposal, the form
    (for those who may transfer it now) or the read-only notice (for the region it left)."""
    user = current_user()
    details = transfer_views.transfer_details(user, ticket)
    read_only = details["read_only"]
    may = not read_only and transfers.TRANSFER in actions_for(user.role, ticket.status)
    targets = transfer_views.transfer_targets(ticket) if may else []
    return {
        "read_only": read_only,
        "region_name": transfers.region_name(ticket.region_code),
        "history": details["transfers"],
        "proposal": transfer_views.proposal_in_words(ticket),
        "may_transfer": may and bool(targets),
        "targets": targets,
        "opds": transfer_views.receiving_opds([region.code for region in targets]) if targets else {},
        "came_from": transfer_views.came_from(ticket),
    }


@bp.post("/tickets/<ticket_number>/transfer")
@roles_required(*COMMAND_CENTRE_ROLES)
def transfer_ticket(ticket_number: str):
    user = current_user()
    ticket = visible_ticket(user, ticket_number)
    back = url_for("console.ticket_page", ticket_number=ticket.ticket_number)
    try:
        form = load_form(TransferForm())
        transfers.transfer(ticket, user, region=form["region"], opd=form["opd"], note=form["note"])
    except APIError as exc:
        if exc.status == 404:
            return error_page(404, explain(exc))
        flash(f"Tidak tersimpan: {explain(exc)}", "error")
        return redirect(back), 303
    flash(
        catalogue.text(
            "console.transfer_done", n=ticket.ticket_number, body=transfers.responsible_body(ticket)
        ),
        "success",
    )
    return redirect(back), 303


@bp.app_template_filter("transfer_text")
def transfer_text(key: str, **values) -> str:
    """A transfer text of the catalogue (catalogue_transfers.py), filled in."""
    return catalogue.text(key, **values)
