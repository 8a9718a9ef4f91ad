from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate, validates_schema

from ticketing.models import CHANNELS, STATUSES

CITY_TIMEZONE = ZoneInfo("Asia/Jakarta")


class MonthlyQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    month = fields.String(required=True, validate=validate.Regexp(r"^\d{4}-\d{2}$",
                                                                   error="Format YYYY-MM."))
    format = fields.String(load_default="html", validate=validate.OneOf(["html", "pdf"]))


class TicketsCsvQuerySchema(Schema):
    """Filters of the staff CSV; `from`/`to` are city-calendar dates, both inclusive."""

    class Meta:
        unknown = EXCLUDE

    from_ = fields.Date(data_key="from", load_default=None)
    to = fields.Date(load_default=None)
    status = fields.String(validate=validate.OneOf(STATUSES))
    opd = fields.String(validate=validate.Length(min=1, max=32))
    category = fields.String(validate=validate.Length(min=1, max=48))
    channel = fields.String(validate=validate.OneOf(CHANNELS))

    @validates_schema
    def ordered(self, data, **kwargs):
        if data.get("from_") and data.get("to") and data["to"] < data["from_"]:
            raise ValidationError("`to` is before `from`.", "to")

    @post_load
    def as_instants(self, data, **kwargs):
        def start_of(day):
            return datetime.combine(day, time(), CITY_TIMEZONE).astimezone(timezone.utc)

        data["start"] = start_of(data.pop("from_")) if data.get("from_") else None
        data.pop("from_", None)
        to = data.pop("to", None)
        data["end"] = start_of(to + timedelta(days=1)) if to else None
        return data
