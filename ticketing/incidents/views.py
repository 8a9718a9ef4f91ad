"""Staff API of incidents (issue #18): declare, read, update, take a report out, close."""

from __future__ import annotations

from flask import Blueprint, g, request

from ticketing.http import idempotency_key, json_body, require_roles
from ticketing.incidents.schemas import (
    IncidentCloseSchema,
    IncidentCreateSchema,
    IncidentDeclareSchema,
    IncidentDetailSchema,
    IncidentListQuerySchema,
    IncidentListSchema,
    IncidentSchema,
    IncidentUpdateBodySchema,
    IncidentUpdateSchema,
)
from ticketing.roles import COMMAND_CENTRE_ROLES, STAFF_ROLES, WORK_ROLES
from ticketing.services import incidents
from ticketing.services.queries import visible_ticket

bp = Blueprint("incidents", __name__, url_prefix="/api/v1")


@bp.post("/incidents")
@require_roles(*WORK_ROLES)  # officers only of the OPDs in INCIDENT_DECLARING_OPDS (BPBD)
def create_incident():
    data = IncidentCreateSchema().load(json_body())
    incident = incidents.declare_incident(g.user, data)
    return (
        IncidentSchema().dump(incidents.incident_payload(incident)),
        201,
        {"Location": f"/api/v1/incidents/{incident.id}"},
    )


@bp.get("/incidents")
@require_roles(*STAFF_ROLES)
def list_incidents():
    query = IncidentListQuerySchema().load(request.args)
    return IncidentListSchema().dump({"items": incidents.list_incidents(g.user, query["status"])})


@bp.get("/incidents/<incident_id>")
@require_roles(*STAFF_ROLES)
def show_incident(incident_id: str):
    return IncidentDetailSchema().dump(
        incidents.incident_detail(incidents.visible_incident(g.user, incident_id))
    )


@bp.post("/incidents/<incident_id>/declare")
@require_roles(*WORK_ROLES)
def declare_proposal(incident_id: str):
    data = IncidentDeclareSchema().load(json_body())
    incident = incidents.declare_proposal(g.user, incidents.visible_incident(g.user, incident_id), data)
    return IncidentSchema().dump(incidents.incident_payload(incident))


@bp.post("/incidents/<incident_id>/dismiss")
@require_roles(*WORK_ROLES)
def dismiss_proposal(incident_id: str):
    request.get_json(silent=True)  # no body is needed, but an oversized one is refused (413) first
    incident = incidents.dismiss_proposal(g.user, incidents.visible_incident(g.user, incident_id))
    return IncidentSchema().dump(incidents.incident_payload(incident))


@bp.post("/incidents/<incident_id>/updates")
@require_roles(*WORK_ROLES)
def post_update(incident_id: str):
    key = idempotency_key()
    data = IncidentUpdateBodySchema().load(json_body())
    incident = incidents.visible_incident(g.user, incident_id)
    update = incidents.post_update(g.user, incident, data["message"], idempotency_key=key)
    body = IncidentUpdateSchema().dump(
        {
            "id": update.id,
            "message": update.message,
            "recipients": update.recipients,
            "at": update.created_at.isoformat(),
        }
    )
    # A retry (same Idempotency-Key) answers the first update, marked as such; nothing is sent.
    return body, 201, ({"Idempotent-Replayed": "true"} if update.replayed else {})


@bp.post("/incidents/<incident_id>/close")
@require_roles(*WORK_ROLES)
def close_incident(incident_id: str):
    data = IncidentCloseSchema().load(request.get_json(silent=True) or {})
    incident = incidents.close_incident(g.user, incidents.visible_incident(g.user, incident_id), data["note"])
    return IncidentSchema().dump(incidents.incident_payload(incident))


@bp.post("/incidents/<incident_id>/tickets/<ticket_number>/remove")
@require_roles(*COMMAND_CENTRE_ROLES)
def take_out(incident_id: str, ticket_number: str):
    request.get_json(silent=True)  # no body is needed, but an oversized one is refused (413) first
    incident = incidents.visible_incident(g.user, incident_id)
    incidents.take_out(g.user, incident, visible_ticket(g.user, ticket_number))
    return IncidentDetailSchema().dump(incidents.incident_detail(incident))
