"""The incident operations of the OpenAPI document (issue #18), beside spec.py's table."""

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


class IncidentPathSchema(Schema):
    incident_id = fields.Integer(required=True, metadata={"example": 1})


class IncidentTicketPathSchema(IncidentPathSchema):
    ticket_number = fields.String(required=True, metadata={"example": "ABCD-2345"})


INCIDENT = "/api/v1/incidents/{incident_id}"
RULE = "/api/v1/incidents/<incident_id>"


def incident_operations(operation) -> tuple:
    """The rows, built with spec.py's `Operation` (passed in: this module sits below it)."""
    return (
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
