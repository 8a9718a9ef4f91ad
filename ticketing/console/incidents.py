"""Operator pages for incidents (issue #18): spike proposals with the reports they would take
in, declaring (or promoting a ticket), public updates, taking a report out, closing."""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for

from ticketing import catalogue
from ticketing.console.views import bp, current_user, error_page, explain, roles_required
from ticketing.errors import APIError
from ticketing.http import IDEMPOTENCY_KEY
from ticketing.models.incidents import INCIDENT_KINDS
from ticketing.roles import WORK_ROLES
from ticketing.services import incidents
from ticketing.services.queries import visible_ticket
from ticketing.services.reference import active_categories, active_opds

KIND_LABELS = {
    "flood": "Banjir",
    "fire": "Kebakaran",
    "landslide": "Tanah longsor",
    "outage": "Gangguan layanan",
    "road_collapse": "Jalan ambles",
    "storm": "Angin kencang",
    "earthquake": "Gempa",
    "other": "Lainnya",
}


def _number(name: str) -> float | None:
    try:
        return float(request.form.get(name, ""))
    except ValueError:
        return None


def _declare_body() -> dict:
    body = {
        "kind": request.form.get("kind"),
        "title": (request.form.get("title") or "").strip(),
        "lead_opd": request.form.get("lead_opd") or None,
    }
    if request.form.get("from_ticket"):
        body["from_ticket"] = request.form["from_ticket"].strip()[:16]
        radius = _number("radius_m")
        body["radius_m"] = int(radius) if radius else None
    else:
        body["categories"] = request.form.getlist("categories")
        body["area"] = {"lat": _number("lat"), "lon": _number("lon"), "radius_m": _number("radius_m")}
    return body


@bp.get("/incidents")
@roles_required(*WORK_ROLES)
def incidents_page():
    user = current_user()
    return render_template(
        "console/incidents.html",
        items=incidents.list_incidents(user),
        may_declare=incidents.may_declare(user),
        kinds=INCIDENT_KINDS,
        kind_labels=KIND_LABELS,
        categories=active_categories(),
        opds=active_opds(),
        from_ticket=(request.args.get("from_ticket") or "")[:16],
    )


@bp.post("/incidents")
@roles_required(*WORK_ROLES)
def incidents_declare():
    try:
        incident = incidents.declare_incident(current_user(), _declare_body())
    except APIError as exc:
        flash(f"Tidak tersimpan: {explain(exc)}", "error")
        return redirect(url_for("console.incidents_page")), 303
    flash(catalogue.text("incident.declared", title=incident.title), "success")
    return redirect(url_for("console.incident_page", incident_id=incident.id)), 303


@bp.get("/incidents/<int:incident_id>")
@roles_required(*WORK_ROLES)
def incident_page(incident_id: int):
    user = current_user()
    try:
        incident = incidents.visible_incident(user, incident_id)
    except APIError as exc:
        return error_page(404, explain(exc))
    return render_template(
        "console/incident.html",
        incident=incidents.incident_detail(incident),
        may_declare=incidents.may_declare(user),
        update_key=str(uuid.uuid4()),
        kinds=INCIDENT_KINDS,
        kind_labels=KIND_LABELS,
        opds=active_opds(),
    )


@bp.post("/incidents/<int:incident_id>/<any(declare, dismiss, update, close):step>")
@roles_required(*WORK_ROLES)
def incident_step(incident_id: int, step: str):
    user = current_user()
    back = url_for("console.incident_page", incident_id=incident_id)
    try:
        incident = incidents.visible_incident(user, incident_id)
        if step == "declare":
            body = {k: request.form.get(k) or None for k in ("kind", "title", "lead_opd")}
            incidents.declare_proposal(user, incident, body)
        elif step == "dismiss":
            incidents.dismiss_proposal(user, incident)
            back = url_for("console.incidents_page")
        elif step == "update":
            # The page's own key (a double click, a resubmitted form): one update, one message each.
            key = request.form.get("idempotency_key") or ""
            key = key if IDEMPOTENCY_KEY.fullmatch(key) else None
            update = incidents.post_update(user, incident, request.form.get("message", ""), key)
            sent = "incident.update_replayed" if update.replayed else "incident.update_sent"
            flash(catalogue.text(sent, count=update.recipients), "success")
        else:
            incidents.close_incident(user, incident, request.form.get("note"))
    except APIError as exc:
        flash(f"Tidak tersimpan: {explain(exc)}", "error")
        return redirect(back), 303
    if step != "update":
        flash(catalogue.text(f"incident.done_{step}"), "success")
    return redirect(back), 303


@bp.post("/incidents/<int:incident_id>/tickets/<ticket_number>/remove")
@roles_required(*WORK_ROLES)
def incident_take_out(incident_id: int, ticket_number: str):
    user = current_user()
    try:
        incident = incidents.visible_incident(user, incident_id)
        ticket = incidents.take_out(user, incident, visible_ticket(user, ticket_number))
        flash(catalogue.text("incident.done_take_out", ticket_number=ticket.ticket_number), "success")
    except APIError as exc:
        flash(f"Tidak tersimpan: {explain(exc)}", "error")
    return redirect(url_for("console.incident_page", incident_id=incident_id)), 303
