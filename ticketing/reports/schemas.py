from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from ticketing.models import CHANNELS, STATUSES
from ticketing.schemas import CityDateRangeSchema


class MonthlyQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    month = fields.String(required=True, validate=validate.Regexp(r"^\d{4}-\d{2}$", error="Format YYYY-MM."))
    format = fields.String(load_default="html", validate=validate.OneOf(["html", "pdf", "csv"]))
    # Issue #16: the region reported (default DEFAULT_REGION); a province adds its cities' comparison.
    region = fields.String(load_default=None, validate=validate.Length(min=1, max=16))


class TicketsCsvQuerySchema(CityDateRangeSchema):
    """Filters of the staff CSV; `from`/`to` are city-calendar dates, both inclusive."""

    status = fields.String(validate=validate.OneOf(STATUSES))
    opd = fields.String(validate=validate.Length(min=1, max=32))
    category = fields.String(validate=validate.Length(min=1, max=48))
    channel = fields.String(validate=validate.OneOf(CHANNELS))


class EvaluationQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    semester = fields.String(load_default=None, validate=validate.Length(max=6))
    format = fields.String(load_default="html", validate=validate.OneOf(["html", "pdf", "csv"]))
