from datetime import timezone

from marshmallow import Schema, ValidationError, fields, validate, validates


class EventsQuerySchema(Schema):
    # Bounded to a 64-bit id: larger numbers cannot be an event and overflow the databases.
    since = fields.Integer(load_default=0, validate=validate.Range(min=0, max=2**63 - 1))
    limit = fields.Integer(load_default=500, validate=validate.Range(min=1, max=1000))


class OpdSchema(Schema):
    code = fields.String()
    name = fields.String()
    handles = fields.String()


class CategorySchema(Schema):
    code = fields.String()
    name = fields.String()
    opd = fields.String(attribute="default_opd_code", allow_none=True)
    sla_hours = fields.Integer()
    sla_24x7 = fields.Boolean()


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
    cursor = fields.String(load_default=None, validate=validate.Length(max=64))

    @validates("status")
    def known_statuses(self, value, **kwargs):
        from ticketing.models import STATUSES

        unknown = [item for item in value or [] if item not in STATUSES]
        if unknown:
            raise ValidationError(f"Unknown status: {', '.join(unknown)}.")


class TicketActionSchema(Schema):
    action = fields.String(required=True, validate=validate.Length(min=1, max=32))
    opd = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=32))
    category = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=48))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=4000))
    public = fields.Boolean(load_default=None, allow_none=True)
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=16))
    duplicate_of = fields.String(load_default=None, allow_none=True,
                                 validate=validate.Length(max=16))


class StatsQuerySchema(Schema):
    from_ = fields.AwareDateTime(data_key="from", load_default=None, default_timezone=timezone.utc)
    to = fields.AwareDateTime(load_default=None, default_timezone=timezone.utc)
