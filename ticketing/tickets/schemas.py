from marshmallow import Schema, ValidationError, fields, validate, validates

from ticketing import catalogue
from ticketing.models.tickets import CHANNELS, KINDS
from ticketing.schemas import (
    BoundedAwareDateTime,
    ResponseSchema,
    malformed,
    nullable_string,
)
from ticketing.services.kind_states import DECISIONS

MAX_EVENT_ID = 2**63 - 1
MAX_CURSOR_LENGTH = 64


class EventCursor(fields.Integer):
    """`since`: an event id from this feed. Anything else (text, a negative or oversized number
    that no 64-bit id can be and the databases would overflow on) is malformed: 400."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            number = super()._deserialize(value, attr, data, **kwargs)
        except ValidationError:
            number = -1
        if not 0 <= number <= MAX_EVENT_ID:
            raise malformed("since", catalogue.text("field.event_cursor"))
        return number


class KeysetCursor(fields.String):
    """`cursor`: `next_cursor` exactly as given; an oversized one is malformed (400), and one
    that does not decode to an id is refused the same way by `queries.decode_cursor`."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > MAX_CURSOR_LENGTH:
            raise malformed("cursor", catalogue.text("field.cursor"))
        return text


class EventsQuerySchema(Schema):
    # The Range only documents the bounds: EventCursor refuses anything outside them first.
    since = EventCursor(load_default=0, validate=validate.Range(min=0, max=MAX_EVENT_ID))
    limit = fields.Integer(load_default=500, validate=validate.Range(min=1, max=1000))


class CommaList(fields.Field):
    """`status=assigned,in_progress` (or the parameter repeated) as a list."""

    def _deserialize(self, value, attr, data, **kwargs):
        items = [part.strip() for part in str(value).split(",") if part.strip()]
        return items or None


class TicketListQuerySchema(Schema):
    status = CommaList(load_default=None)
    opd = fields.String(load_default=None, validate=validate.Length(max=32))
    category = fields.String(load_default=None, validate=validate.Length(max=48))
    channel = fields.String(load_default=None, validate=validate.Length(max=16))
    overdue = fields.Boolean(load_default=None)
    flagged = fields.Boolean(load_default=None)
    q = fields.String(load_default=None, validate=validate.Length(max=200))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))
    cursor = KeysetCursor(load_default=None, validate=validate.Length(max=MAX_CURSOR_LENGTH))
    # `away`: the tickets transferred from the account's region(s) to another (issue #16).
    transferred = fields.String(load_default=None, validate=validate.OneOf(["away"]))

    @validates("status")
    def known_statuses(self, value, **kwargs):
        from ticketing.models import STATUSES

        unknown = [item for item in value or [] if item not in STATUSES]
        if unknown:
            raise ValidationError(catalogue.text("error.status_unknown", statuses=", ".join(unknown)))


class TicketActionSchema(Schema):
    action = fields.String(required=True, validate=validate.Length(min=1, max=32))
    opd = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=32))
    category = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=48))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=4000))
    public = fields.Boolean(load_default=None, allow_none=True)
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=16))
    duplicate_of = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=16))
    # Issue #17: hold's `until`; decide's `decision`, `exemption` (UU 14/2008 Art. 17 letter a-j)
    # and `document` (an id from POST /tickets/<n>/documents); dispose's corrected `kind`.
    until = BoundedAwareDateTime(load_default=None, allow_none=True, city_clock=True)
    decision = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=16),
        metadata={"enum": list(DECISIONS)},
    )
    exemption = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=4))
    document = fields.Integer(load_default=None, allow_none=True, strict=True)
    # resolve (issue #18): an id from POST /tickets/<n>/photos, required for a needs_proof category.
    photo = fields.Integer(
        load_default=None, allow_none=True, strict=True, validate=validate.Range(min=1, max=2**62)
    )
    kind = fields.String(load_default=None, allow_none=True, metadata={"enum": list(KINDS)})
    # transfer (issue #16): the receiving region's code (GET /api/v1/regions); `opd` is then one
    # of that region's agencies, `note` the reason.
    region = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=16))
    # forward_external: the outside body's code (GET /api/v1/external-bodies).
    body = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=32))


class StatsQuerySchema(Schema):
    from_ = BoundedAwareDateTime(data_key="from", load_default=None, city_clock=True)
    # A bare date or a time without an offset is the city's (2026-11-01 = 00:00 on its clock, TIMEZONE).
    to = BoundedAwareDateTime(load_default=None, city_clock=True)
    # Issue #16: that region's own OPDs and the comparison of the cities under it (`regions`).
    region = fields.String(load_default=None, validate=validate.Length(min=1, max=16))


# -- responses (dumped by the views, shown by the OpenAPI document) ---------------------------


class TicketNumberPathSchema(Schema):
    ticket_number = fields.String(required=True, metadata={"example": "ABCD-2345"})


class OpdSchema(ResponseSchema):
    region = fields.String(attribute="region_code", metadata={"example": "35.71"})
    code = fields.String(required=True)
    name = fields.String(required=True)
    handles = nullable_string()


class CategorySchema(ResponseSchema):
    region = fields.String(attribute="region_code", metadata={"example": "35.71"})
    code = fields.String(required=True)
    name = fields.String(required=True)
    opd = nullable_string(attribute="default_opd_code")
    sla_hours = fields.Integer()
    sla_24x7 = fields.Boolean()


class RegionSchema(ResponseSchema):
    code = fields.String(required=True, metadata={"example": "35.71"})
    name = fields.String(required=True, metadata={"example": "Kota Kediri"})
    parent = nullable_string(metadata={"example": "35"})
    population = fields.Integer(allow_none=True)


class OpdListSchema(ResponseSchema):
    items = fields.List(fields.Nested(OpdSchema), required=True)


class CategoryListSchema(ResponseSchema):
    items = fields.List(fields.Nested(CategorySchema), required=True)


class PointSchema(ResponseSchema):
    lat = fields.Float(required=True)
    lon = fields.Float(required=True)


class TicketSummarySchema(ResponseSchema):
    """What every staff view of a ticket shows, the wall's included (services/events.py
    `wall_ticket`, services/queries.py `list_item`)."""

    ticket_number = fields.String(required=True)
    status = fields.String(required=True)
    category = nullable_string()
    # The region responsible (issue #16); `opd` and `category` are codes of that region.
    region = fields.String(metadata={"example": "35.71"})
    opd = nullable_string()
    channel = fields.String(metadata={"enum": list(CHANNELS)})
    created_at = nullable_string()
    updated_at = nullable_string()
    sla_due_at = nullable_string()
    overdue = fields.Boolean()
    summary = nullable_string()
    # Issue #17: what the report is, and an information request's statutory deadline.
    kind = fields.String(metadata={"enum": list(KINDS)})
    due_at = nullable_string()
    # The incident the report joined (issue #18), else null.
    incident = fields.Integer(allow_none=True)
    # The outside body the ticket was handed to (issue #17; status `external` while it waits),
    # the body's own reference and the date it expects to finish; null when none.
    external_body = nullable_string()
    external_reference = nullable_string()
    external_expected_at = nullable_string()


class WallTicketSchema(TicketSummarySchema):
    """A ticket as screens see it: no reporter, the point rounded to ~100 m."""

    location = fields.Nested(PointSchema, allow_none=True)


class TransferSidesSchema(ResponseSchema):
    """The two sides of a transfer between regions (issue #16); `returned`: a send-back."""

    from_region = fields.String(required=True)
    from_opd = nullable_string()
    to_region = fields.String(required=True)
    to_opd = nullable_string()
    returned = fields.Boolean()


class EventSchema(ResponseSchema):
    event_id = fields.Integer(required=True)
    type = fields.String(required=True)
    action = nullable_string()
    at = nullable_string()
    ticket = fields.Nested(WallTicketSchema, required=True)
    # Only on a transfer (action `transfer`): both regions' screens hear it (issue #16).
    transfer = fields.Nested(TransferSidesSchema)


class EventListSchema(ResponseSchema):
    items = fields.List(fields.Nested(EventSchema), required=True)
    last_event_id = fields.Integer(required=True)


class TicketLocationSchema(ResponseSchema):
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)
    address = nullable_string()


class TicketListItemSchema(TicketSummarySchema):
    flagged_for_supervisor = fields.Boolean()
    return_count = fields.Integer()
    anonymous = fields.Boolean()
    confidential = fields.Boolean()
    location = fields.Nested(TicketLocationSchema, allow_none=True)
    # Issue #16: true for a ticket transferred to another region (list `transferred=away`, detail):
    # the account reads it with its outcome, and its actions answer 403 `transferred_away`.
    read_only = fields.Boolean()


class TicketListSchema(ResponseSchema):
    items = fields.List(fields.Nested(TicketListItemSchema), required=True)
    next_cursor = nullable_string(required=True)


class TicketReporterSchema(ResponseSchema):
    name = nullable_string()
    phone = nullable_string()
    email = nullable_string()


class TicketFeedbackSchema(ResponseSchema):
    rating = fields.Integer()
    comment = nullable_string()
    at = nullable_string()
    channel = nullable_string()


class TransferProposalSchema(ResponseSchema):
    """The router's proposal (issue #16, router/authority.py): another region holds the matter."""

    region = fields.String(required=True)
    opd = fields.String(required=True)
    category = nullable_string()
    rule = fields.String(required=True)


class TransferSchema(ResponseSchema):
    """One move between regions (issue #16, services/transfers.py), seen by both sides."""

    from_region = fields.String(required=True)
    to_region = fields.String(required=True)
    from_opd = nullable_string()
    to_opd = nullable_string()
    note = fields.String()
    by = fields.String()
    at = fields.String()
    # Sent back by the receiver: when, and its reason.
    returned_at = nullable_string()
    return_note = nullable_string()


class HistoryEntrySchema(ResponseSchema):
    event_id = fields.Integer()
    type = fields.String()
    action = fields.String()
    from_status = nullable_string()
    to_status = nullable_string()
    actor = nullable_string()
    note = nullable_string()
    public = fields.Boolean()
    data = fields.Dict(allow_none=True)
    at = nullable_string()


class TicketDetailSchema(TicketListItemSchema):
    description = fields.String()
    reporter = fields.Nested(TicketReporterSchema, allow_none=True)
    routing_confidence = fields.Float(allow_none=True)
    routed_at = nullable_string()
    assigned_at = nullable_string()
    accepted_at = nullable_string()
    resolved_at = nullable_string()
    closed_at = nullable_string()
    reminded_at = nullable_string()
    escalated_at = nullable_string()
    rejection_reason = nullable_string()
    duplicate_of = nullable_string()
    reopen_count = fields.Integer()
    feedback = fields.Nested(TicketFeedbackSchema, allow_none=True)
    allowed_actions = fields.List(fields.String())
    # Issue #17 (services/kind_states.py): decision one of granted/partial/refused with the
    # UU 14/2008 Art. 17 letter; close_reason one of the close_unresolved reasons.
    decision = nullable_string()
    exemption = nullable_string()
    decided_at = nullable_string()
    extended_at = nullable_string()
    objection_at = nullable_string()
    objection_reason = nullable_string()
    # UU 14/2008 Art. 35(1) letter a-g (catalogue_kinds.OBJECTION_GROUNDS).
    objection_ground = nullable_string()
    objection_decision = nullable_string()
    held_at = nullable_string()
    hold_until = nullable_string()
    close_reason = nullable_string()
    kelurahan = nullable_string()
    kecamatan = nullable_string()
    # Open tickets nearby with a similar text: for the operator to judge, never merged.
    possible_duplicates = fields.List(fields.String())
    # Issue #16: the router's proposal to transfer it (null when none, or once it is there), its
    # transfers, and `read_only` for staff of a region it left (they read it; actions answer 403).
    transfer_proposal = fields.Nested(TransferProposalSchema, allow_none=True)
    transfers = fields.List(fields.Nested(TransferSchema))
    read_only = fields.Boolean()
    history = fields.List(fields.Nested(HistoryEntrySchema))


class OpdStatsSchema(ResponseSchema):
    opd = fields.String(required=True)
    # Issue #16: the OPD's region. Codes are unique within a region only, so a province
    # account's figures hold one row per (region, opd): Kediri's PUPR and Blitar's PUPR apart.
    region = fields.String(metadata={"example": "35.71"})
    open = fields.Integer()
    overdue = fields.Integer()
    median_hours_to_accept = fields.Float(allow_none=True)
    median_hours_to_resolve = fields.Float(allow_none=True)
    sla_compliance = fields.Float(allow_none=True)
    sla_resolved = fields.Integer()
    average_rating = fields.Float(allow_none=True)
    ratings = fields.Integer()
    # Resolutions its citizens answered "belum beres" to (reopened by the citizen, issue #18).
    reopened_by_citizen = fields.Integer()


class OverallStatsSchema(ResponseSchema):
    tickets = fields.Integer()
    by_channel = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_category = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_kind = fields.Dict(keys=fields.String(), values=fields.Integer())
    open = fields.Integer()
    overdue = fields.Integer()


class RegionStatsSchema(ResponseSchema):
    """One city or regency in its province's comparison (issue #16, services/region_comparison.py)."""

    region = fields.String(required=True, metadata={"example": "35.72"})
    name = fields.String()
    population = fields.Integer(allow_none=True)
    tickets = fields.Integer()
    per_10k_inhabitants = fields.Float(allow_none=True)
    open = fields.Integer()
    overdue = fields.Integer()
    sla_resolved = fields.Integer()
    sla_compliance = fields.Float(allow_none=True)
    median_hours_to_accept = fields.Float(allow_none=True)
    average_rating = fields.Float(allow_none=True)
    ratings = fields.Integer()


class StatsResponseSchema(ResponseSchema):
    from_ = fields.String(data_key="from", attribute="from")
    to = fields.String()
    opds = fields.List(fields.Nested(OpdStatsSchema), required=True)
    overall = fields.Nested(OverallStatsSchema, required=True)
    # The cities under the region asked for (or the account's): empty for a city alone.
    regions = fields.List(fields.Nested(RegionStatsSchema))


class TicketPhotoSchema(ResponseSchema):
    """An "after" photo kept for `resolve` (issue #18): pass its `id` as the action's `photo`."""

    id = fields.Integer(required=True)
    ticket_number = fields.String(required=True)
    content_type = fields.String(metadata={"enum": ["image/jpeg", "image/png", "image/webp"]})
    size_bytes = fields.Integer()


class TicketDocumentSchema(ResponseSchema):
    """An answer document kept for `decide` (issue #17)."""

    id = fields.Integer(required=True)
    ticket_number = fields.String(required=True)
    content_type = fields.String(metadata={"enum": ["application/pdf", "image/jpeg", "image/png"]})
    size_bytes = fields.Integer()
