"""The incident operations of the OpenAPI document (issue #18), beside spec.py's table, and the
proof-of-fix photo a `needs_proof` category's `resolve` names."""

from __future__ import annotations

from marshmallow import Schema, fields

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
from ticketing.tickets.schemas import TicketPhotoSchema


class IncidentPathSchema(Schema):
    incident_id = fields.Integer(required=True, metadata={"example": 1})


class IncidentTicketPathSchema(IncidentPathSchema):
    ticket_number = fields.String(required=True, metadata={"example": "ABCD-2345"})


UPDATE_IDEMPOTENCY_KEY_HEADER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "description": "16–200 visible ASCII characters (a random UUID): the same key, the same update.",
    "schema": {"type": "string", "pattern": "^[\\x21-\\x7e]{16,200}$"},
}

PROOF_PHOTO_UPLOAD = {
    "type": "object",
    "required": ["photo"],
    "properties": {
        "photo": {"type": "string", "format": "binary"},
        "geo_lat": {"type": "number", "minimum": -90, "maximum": 90},
        "geo_lon": {"type": "number", "minimum": -180, "maximum": 180},
    },
}
PROOF_DESCRIPTION = (
    "A `resolve` of a ticket whose category is marked `needs_proof` (roads, drains, street "
    'lights, waste) carries `photo`: the id of an "after" photo kept with '
    "`POST /api/v1/tickets/{ticket_number}/photos`; with an unknown or already used one the "
    "answer is 422 `invalid_fields`. Without one the resolve goes through, as this contract always "
    "allowed, unless the deployment sets PROOF_REQUIRED_FOR_API: then it is 422 `proof_required` "
    "(field `photo`). The console always requires the photo."
)

INCIDENT = "/api/v1/incidents/{incident_id}"
RULE = "/api/v1/incidents/<incident_id>"


def incident_operations(operation) -> tuple:
    """The rows, built with spec.py's `Operation` (passed in: this module sits below it)."""
    return (
        operation(
            "/api/v1/tickets/{ticket_number}/photos",
            "/api/v1/tickets/<ticket_number>/photos",
            "post",
            'Keep an "after" photo (proof of fix) for `resolve` (JPEG, PNG or WebP by its bytes)',
            "staff",
            TicketPhotoSchema,
            status=201,
            body=PROOF_PHOTO_UPLOAD,
            body_content_type="multipart/form-data",
            path_params=True,
            errors=(401, 403, 404, 409, 413, 415, 422),
            description="Multipart field `photo` (at most CONSOLE_PHOTO_MAX_BYTES), optionally the "
            "device's position `geo_lat`, `geo_lon`. Who may `resolve` the ticket now may add one "
            "(403 or 409 otherwise). For a `needs_proof` category a photo taken (EXIF GPS, else "
            "the position sent) farther than PROOF_MAX_DISTANCE_M from the complaint, or (EXIF "
            "time) before it was filed, is 422 `proof_refused` with the reason. Pass the returned "
            "`id` as `photo` in the `resolve` action: it is then shown beside the resolution. "
            + PROOF_DESCRIPTION,
        ),
        operation(
            "/api/v1/incidents",
            "/api/v1/incidents",
            "post",
            "Declare an incident (or promote a ticket: `from_ticket`); it takes in the reports it covers",
            "incidents",
            IncidentSchema,
            status=201,
            body=IncidentCreateSchema,
            errors=(400, 401, 403, 404, 415, 422),
            description="Officers only of the OPDs in INCIDENT_DECLARING_OPDS (BPBD).",
        ),
        operation(
            "/api/v1/incidents",
            "/api/v1/incidents",
            "get",
            "Incidents and spike proposals, newest first",
            "incidents",
            IncidentListSchema,
            query=IncidentListQuerySchema,
            errors=(401, 403, 422),
        ),
        operation(
            INCIDENT,
            RULE,
            "get",
            "An incident with its reports and public updates",
            "incidents",
            IncidentDetailSchema,
            path_schema=IncidentPathSchema,
            errors=(401, 403, 404),
        ),
        operation(
            INCIDENT + "/declare",
            RULE + "/declare",
            "post",
            "Declare a spike's proposal (it takes in the reports it found)",
            "incidents",
            IncidentSchema,
            body=IncidentDeclareSchema,
            path_schema=IncidentPathSchema,
            errors=(401, 403, 404, 409, 415, 422),
        ),
        operation(
            INCIDENT + "/dismiss",
            RULE + "/dismiss",
            "post",
            "Dismiss a spike's proposal",
            "incidents",
            IncidentSchema,
            path_schema=IncidentPathSchema,
            errors=(401, 403, 404, 409),
        ),
        operation(
            INCIDENT + "/updates",
            RULE + "/updates",
            "post",
            "A public update: in each linked ticket's history, sent once to every linked citizen",
            "incidents",
            IncidentUpdateSchema,
            status=201,
            body=IncidentUpdateBodySchema,
            path_schema=IncidentPathSchema,
            errors=(400, 401, 403, 404, 409, 415, 422),
            headers=(UPDATE_IDEMPOTENCY_KEY_HEADER,),
            description="With an `Idempotency-Key`, a retry of the same update (a client that "
            "timed out) answers 201 with the update made the first time (header "
            "`Idempotent-Replayed: true`) and no citizen is told twice; the key with another "
            "message is 409 `idempotency_key_reused`.",
        ),
        operation(
            INCIDENT + "/close",
            RULE + "/close",
            "post",
            "Close the incident and its reports (one message to each citizen)",
            "incidents",
            IncidentSchema,
            body=IncidentCloseSchema,
            path_schema=IncidentPathSchema,
            errors=(401, 403, 404, 409, 422),
        ),
        operation(
            INCIDENT + "/tickets/{ticket_number}/remove",
            RULE + "/tickets/<ticket_number>/remove",
            "post",
            "Take a report out of the incident: it stands alone again, with its own SLA",
            "incidents",
            IncidentDetailSchema,
            path_schema=IncidentTicketPathSchema,
            errors=(401, 403, 404),
        ),
    )
