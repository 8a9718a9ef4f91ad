"""Schema pieces shared by several blueprints."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validates_schema

CITY_TIMEZONE = ZoneInfo("Asia/Jakarta")


def start_of_city_day(day) -> datetime:
    return datetime.combine(day, time(), CITY_TIMEZONE).astimezone(timezone.utc)


class CityDateRangeSchema(Schema):
    """`from`/`to` as city-calendar dates, both inclusive, either optional; loads as UTC
    instants `start` (inclusive) and `end` (exclusive) beside any other fields."""

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
        first, last = data.pop("from_", None), data.pop("to", None)
        data["start"] = start_of_city_day(first) if first else None
        data["end"] = start_of_city_day(last + timedelta(days=1)) if last else None
        return data
