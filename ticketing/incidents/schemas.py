"""Incident requests and answers (issue #18); the OpenAPI document shows these same schemas."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from ticketing.models.incidents import INCIDENT_KINDS, INCIDENT_STATUSES
from ticketing.schemas import ResponseSchema, nullable_string


class IncidentCreateSchema(Schema):
    """`area` is `{lat, lon, radius_m}` or `{polygon: [[lat, lon], …]}`; with `from_ticket` a
    ticket is promoted (its category, place and OPD unless given)."""

    class Meta:
        unknown = EXCLUDE

    kind = fields.String(required=True, validate=validate.OneOf(INCIDENT_KINDS))
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    categories = fields.List(fields.String(validate=validate.Length(max=48)), load_default=None)
    area = fields.Dict(
        load_default=None, metadata={"example": {"lat": -7.81, "lon": 112.01, "radius_m": 500}}
    )
    lead_opd = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=32))
    region = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=16))
    from_ticket = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=16))
    radius_m = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=10, max=50_000))


class IncidentDeclareSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    kind = fields.String(load_default=None, validate=validate.OneOf(INCIDENT_KINDS))
    # The spike found one category; a flood also arrives as drainage: widen it here.
    categories = fields.List(fields.String(validate=validate.Length(max=48)), load_default=None)
    area = fields.Dict(load_default=None)  # widen (or narrow) the spike's circle
    title = fields.String(load_default=None, validate=validate.Length(min=1, max=200))
    lead_opd = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=32))


class IncidentUpdateBodySchema(Schema):
    message = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class IncidentCloseSchema(Schema):
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))


class IncidentListQuerySchema(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(INCIDENT_STATUSES))


class IncidentAreaSchema(ResponseSchema):
    lat = fields.Float(required=True)
    lon = fields.Float(required=True)
    radius_m = fields.Integer(allow_none=True)
    polygon = fields.List(fields.List(fields.Float()), allow_none=True)


class IncidentSchema(ResponseSchema):
    id = fields.Integer(required=True)
    region = fields.String(required=True)
    kind = fields.String(required=True, metadata={"enum": list(INCIDENT_KINDS)})
    title = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": list(INCIDENT_STATUSES)})
    categories = fields.List(fields.String(), required=True)
    area = fields.Nested(IncidentAreaSchema, required=True)
    lead_opd = nullable_string()
    starts_at = nullable_string()
    ends_at = nullable_string()
    declared_at = nullable_string()
    created_at = nullable_string()
    updated_at = nullable_string()
    report_count = fields.Integer()
    # A proposal's evidence: the reports the spike found.
    proposed_tickets = fields.List(fields.String())


class IncidentTicketSchema(ResponseSchema):
    ticket_number = fields.String(required=True)
    status = fields.String()
    channel = fields.String()
    category = nullable_string()
    created_at = nullable_string()
    summary = nullable_string()


class IncidentUpdateSchema(ResponseSchema):
    id = fields.Integer(required=True)
    message = fields.String(required=True)
    recipients = fields.Integer()
    at = nullable_string()


class IncidentDetailSchema(IncidentSchema):
    tickets = fields.List(fields.Nested(IncidentTicketSchema))
    updates = fields.List(fields.Nested(IncidentUpdateSchema))


class IncidentListSchema(ResponseSchema):
    items = fields.List(fields.Nested(IncidentSchema), required=True)


class IncidentEventSchema(ResponseSchema):
    """Socket.IO `/wall`: `incident.proposed`, `incident.created`, `incident.updated`."""

    type = fields.String(required=True)
    at = nullable_string()
    incident = fields.Nested(IncidentSchema, required=True)
