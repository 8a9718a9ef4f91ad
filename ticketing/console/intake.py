"""Phone and walk-in intake: an operator files a complaint for a caller or a visitor.

Keyboard first (console/intake.js): the description has the focus, the router's category
proposal appears as they type (the citizen form's `POST /api/v1/complaints/category-guess`) and
Alt+U takes it, the kelurahan search and the map set the place, Ctrl+Enter files. Without
JavaScript it is a plain form."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from ticketing import catalogue
from ticketing.console.schemas import IntakeForm
from ticketing.console.views import bp, current_user, explain, load_form, roles_required
from ticketing.errors import APIError
from ticketing.roles import COMMAND_CENTRE_ROLES
from ticketing.services.assisted_intake import file_for_citizen
from ticketing.services.citizen import kelurahan_name, kelurahan_places, map_settings
from ticketing.services.reference import active_categories
from ticketing.services.region_routing import warm_router_in_background

SCRIPT_TEXTS = ("guess", "guess_none", "point", "map_failed")


def _page(values: dict, status: int = 200, error: APIError | None = None):
    texts = {key: catalogue.text(f"console.intake.{key}") for key in SCRIPT_TEXTS}
    field_errors = [
        text
        for texts in ((error.fields or {}).values() if error else ())
        for text in (texts if isinstance(texts, list) else [texts])
    ]
    return render_template(
        "console/intake.html",
        values=values,
        error=explain(error) if error else None,
        field_errors=field_errors,
        categories=active_categories([current_user().region_code]),
        region=current_user().region_code,  # the proposal is its router's, from its categories
        places=kelurahan_places(),
        map_settings=map_settings(),
        script_texts=texts,
    ), status


@bp.get("/lapor")
@roles_required(*COMMAND_CENTRE_ROLES)
def intake():
    warm_router_in_background(current_user().region_code)  # its proposal while the call goes on
    return _page({"channel": request.args.get("kanal") or "phone"})


@bp.post("/lapor")
@roles_required(*COMMAND_CENTRE_ROLES)
def intake_file():
    values = request.form.to_dict()
    try:
        form = load_form(IntakeForm())
        place = kelurahan_name(form["kelurahan"])
        address = ", ".join(part for part in (form["address"], place and f"Kel. {place}") if part)
        created = file_for_citizen(
            current_user(),
            channel=form["channel"],
            description=form["description"].strip(),
            category_code=form["category"],
            caller_name=form["name"],
            caller_phone=form["phone"],
            lat=form["lat"] if form["lon"] is not None else None,
            lon=form["lon"] if form["lat"] is not None else None,
            address=address or None,
        )
    except APIError as exc:
        return _page(values, 422, exc)
    flash(catalogue.text("console.intake.filed", ticket_number=created.ticket_number), "success")
    return redirect(url_for("console.ticket_page", ticket_number=created.ticket_number), 303)
