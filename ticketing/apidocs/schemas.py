"""Response shapes of /api/v1 for the OpenAPI document.

Request bodies and query strings are documented from the very schemas the views load with
(imported in `spec.py`); these describe what the services return, field for field, with every
field that can be null marked so — schemathesis checks each real response against them.
"""
from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields


class Open(Schema):
    """A response object that may grow: API.md lets fields be added freely."""

    class Meta:
        unknown = INCLUDE


def _s(**kwargs):
    return fields.String(allow_none=True, **kwargs)


def _t(**kwargs):
    return fields.DateTime(allow_none=True, **kwargs)


class ErrorBodySchema(Open):
    code = fields.String(required=True, metadata={"description": "snake_case error code"})
    message = fields.String(required=True)
    fields_ = fields.Dict(data_key="fields", required=True,
                          metadata={"description": "Problems per input field"})


class ErrorSchema(Open):
    error = fields.Nested(ErrorBodySchema, required=True)


class RevokeResponseSchema(Open):
    revoked = fields.Boolean(required=True)
    user_id = fields.Integer(required=True)
    username = fields.String(required=True)


class TokenResponseSchema(Open):
    access_token = fields.String(required=True)
    token_type = fields.String()
    expires_in = fields.Integer(required=True)
    role = fields.String(required=True)
    opd = _s()


class ComplaintCreatedResponseSchema(Open):
    ticket_number = fields.String(required=True)
    tracking_token = fields.String(required=True)
    status = fields.String(required=True)
    created_at = fields.DateTime(required=True)


class PublicEventResponseSchema(Open):
    at = _t()
    status = _s()
    note = _s()


class PublicTicketResponseSchema(Open):
    ticket_number = fields.String(required=True)
    status = fields.String(required=True)
    status_label = _s()
    category = _s()
    category_name = _s()
    opd = _s()
    opd_name = _s()
    channel = _s()
    created_at = _t()
    updated_at = _t()
    sla_due_at = _t()
    history = fields.List(fields.Nested(PublicEventResponseSchema))


class OpdResponseSchema(Open):
    code = fields.String(required=True)
    name = fields.String(required=True)
    handles = _s()


class CategoryResponseSchema(Open):
    code = fields.String(required=True)
    name = fields.String(required=True)
    opd = _s()
    sla_hours = fields.Integer()
    sla_24x7 = fields.Boolean()


class OpdListSchema(Open):
    items = fields.List(fields.Nested(OpdResponseSchema), required=True)


class CategoryListSchema(Open):
    items = fields.List(fields.Nested(CategoryResponseSchema), required=True)


class PointSchema(Open):
    lat = fields.Float(required=True)
    lon = fields.Float(required=True)


class WallTicketSchema(Open):
    ticket_number = fields.String(required=True)
    status = fields.String(required=True)
    category = _s()
    opd = _s()
    channel = fields.String()
    created_at = _s()
    updated_at = _s()
    sla_due_at = _s()
    overdue = fields.Boolean()
    location = fields.Nested(PointSchema, allow_none=True)
    summary = fields.String()


class EventResponseSchema(Open):
    event_id = fields.Integer(required=True)
    type = fields.String(required=True)
    action = _s()
    at = _s()
    ticket = fields.Nested(WallTicketSchema, required=True)


class EventListSchema(Open):
    items = fields.List(fields.Nested(EventResponseSchema), required=True)
    last_event_id = fields.Integer(required=True)


class LocationResponseSchema(Open):
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)
    address = _s()


class TicketListItemSchema(Open):
    ticket_number = fields.String(required=True)
    status = fields.String(required=True)
    category = _s()
    opd = _s()
    channel = fields.String()
    created_at = _s()
    updated_at = _s()
    sla_due_at = _s()
    overdue = fields.Boolean()
    flagged_for_supervisor = fields.Boolean()
    return_count = fields.Integer()
    anonymous = fields.Boolean()
    confidential = fields.Boolean()
    summary = fields.String()
    location = fields.Nested(LocationResponseSchema, allow_none=True)


class TicketListSchema(Open):
    items = fields.List(fields.Nested(TicketListItemSchema), required=True)
    next_cursor = _s(required=True)


class ReporterResponseSchema(Open):
    name = _s()
    phone = _s()
    email = _s()


class FeedbackResponseSchema(Open):
    rating = fields.Integer()
    comment = _s()
    at = _s()
    channel = _s()


class HistoryEntrySchema(Open):
    event_id = fields.Integer()
    type = fields.String()
    action = fields.String()
    from_status = _s()
    to_status = _s()
    actor = _s()
    note = _s()
    public = fields.Boolean()
    data = fields.Dict(allow_none=True)
    at = _s()


class TicketDetailSchema(TicketListItemSchema):
    description = fields.String()
    reporter = fields.Nested(ReporterResponseSchema, allow_none=True)
    routing_confidence = fields.Float(allow_none=True)
    routed_at = _s()
    assigned_at = _s()
    accepted_at = _s()
    resolved_at = _s()
    closed_at = _s()
    reminded_at = _s()
    escalated_at = _s()
    rejection_reason = _s()
    duplicate_of = _s()
    reopen_count = fields.Integer()
    feedback = fields.Nested(FeedbackResponseSchema, allow_none=True)
    allowed_actions = fields.List(fields.String())
    kelurahan = _s()
    kecamatan = _s()
    # Open tickets nearby with a similar text: for the operator to judge, never merged.
    possible_duplicates = fields.List(fields.String())
    history = fields.List(fields.Nested(HistoryEntrySchema))


class OpdStatsSchema(Open):
    opd = fields.String(required=True)
    open = fields.Integer()
    overdue = fields.Integer()
    median_hours_to_accept = fields.Float(allow_none=True)
    median_hours_to_resolve = fields.Float(allow_none=True)
    sla_compliance = fields.Float(allow_none=True)
    sla_resolved = fields.Integer()
    average_rating = fields.Float(allow_none=True)
    ratings = fields.Integer()


class OverallStatsSchema(Open):
    tickets = fields.Integer()
    by_channel = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_category = fields.Dict(keys=fields.String(), values=fields.Integer())
    open = fields.Integer()
    overdue = fields.Integer()


class StatsResponseSchema(Open):
    from_ = fields.String(data_key="from")
    to = fields.String()
    opds = fields.List(fields.Nested(OpdStatsSchema), required=True)
    overall = fields.Nested(OverallStatsSchema, required=True)


class TicketNumberPathSchema(Schema):
    ticket_number = fields.String(required=True, metadata={"example": "ABCD-2345"})


class TrackingTokenQuerySchema(Schema):
    token = fields.String(required=True, metadata={"description": "The tracking_token given at filing"})
