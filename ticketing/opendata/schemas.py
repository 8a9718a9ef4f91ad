from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validates_schema

CITY_TIMEZONE = ZoneInfo("Asia/Jakarta")


class DateRangeSchema(Schema):
    """`from`/`to` as city-calendar dates, both inclusive; either may be left out."""

    class Meta:
        unknown = EXCLUDE

    from_ = fields.Date(data_key="from", load_default=None)
    to = fields.Date(load_default=None)

    @validates_schema
    def ordered(self, data, **kwargs):
        if data.get("from_") and data.get("to") and data["to"] < data["from_"]:
            raise ValidationError("`to` is before `from`.", "to")

    @post_load
    def as_instants(self, data, **kwargs):
        def start_of(day):
            return datetime.combine(day, time(), CITY_TIMEZONE).astimezone(timezone.utc)

        return {"start": start_of(data["from_"]) if data.get("from_") else None,
                "end": start_of(data["to"] + timedelta(days=1)) if data.get("to") else None}
