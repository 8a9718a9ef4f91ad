"""Schema pieces shared by several blueprints."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from marshmallow import EXCLUDE, INCLUDE, Schema, ValidationError, fields, post_load, validates_schema

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.formatting import city_zone

# The calendar the service answers about. A date outside it (0001-01-01, 9999-12-31) is no
# ticket's date and would overflow the arithmetic on it (a day added, a time zone applied),
# so it is refused as a malformed request: 400 `invalid_fields`, never a 500.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)


def malformed(field: str, message: str) -> APIError:
    """400 `invalid_fields` for a query value no record can have (an odd date, a cursor we
    never issued): the request is malformed, unlike a well-formed value that fails a rule."""
    return APIError(400, "invalid_fields", catalogue.text("error.malformed"), {field: [message]})


def day_range_text() -> str:
    return catalogue.text("field.date_range", earliest=EARLIEST_DAY, latest=LATEST_DAY)


def check_day(field: str, day: date) -> None:
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise malformed(field, day_range_text())


class CityDate(fields.Date):
    """A calendar date inside the service's calendar (400 outside it)."""

    def _deserialize(self, value, attr, data, **kwargs):
        day = super()._deserialize(value, attr, data, **kwargs)
        check_day(self.data_key or attr, day)
        return day


class BoundedAwareDateTime(fields.AwareDateTime):
    """An instant inside the service's calendar (400 outside it). With `city_clock`, one written
    without an offset is on the city's clock (`TIMEZONE`, read when the request is loaded)."""

    def __init__(self, *args, city_clock: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.city_clock = city_clock

    def _deserialize(self, value, attr, data, **kwargs):
        if self.city_clock:
            moment = fields.DateTime._deserialize(self, value, attr, data, **kwargs)
            if moment.utcoffset() is None:
                moment = moment.replace(tzinfo=city_zone())
        else:
            moment = super()._deserialize(value, attr, data, **kwargs)
        check_day(self.data_key or attr, moment.date())
        return moment


def start_of_city_day(day) -> datetime:
    return datetime.combine(day, time(), city_zone()).astimezone(UTC)


class CityDateRangeSchema(Schema):
    """`from`/`to` as city-calendar dates, both inclusive, either optional; loads as UTC
    instants `start` (inclusive) and `end` (exclusive) beside any other fields."""

    class Meta:
        unknown = EXCLUDE

    from_ = CityDate(data_key="from", load_default=None)
    to = CityDate(load_default=None)

    @validates_schema
    def ordered(self, data, **kwargs):
        if data.get("from_") and data.get("to") and data["to"] < data["from_"]:
            raise ValidationError(catalogue.text("error.range_reversed"), "to")

    @post_load
    def as_instants(self, data, **kwargs):
        first, last = data.pop("from_", None), data.pop("to", None)
        data["start"] = start_of_city_day(first) if first else None
        data["end"] = start_of_city_day(last + timedelta(days=1)) if last else None
        return data


# -- responses: each view dumps its answer through one of these, and the OpenAPI document
#    shows the very same schema (ticketing/apidocs/spec.py), so the two cannot drift apart.


class ResponseSchema(Schema):
    """A response object that may grow: API.md lets fields be added, clients ignore unknown
    ones, so the document allows them (additionalProperties)."""

    class Meta:
        unknown = INCLUDE


def nullable_string(**kwargs) -> fields.String:
    return fields.String(allow_none=True, **kwargs)


def nullable_datetime(**kwargs) -> fields.DateTime:
    return fields.DateTime(allow_none=True, **kwargs)


class ErrorBodySchema(ResponseSchema):
    code = fields.String(required=True, metadata={"description": "snake_case error code"})
    message = fields.String(required=True)
    fields_ = fields.Dict(
        data_key="fields",
        attribute="fields",
        required=True,
        metadata={"description": "Problems per input field"},
    )


class ErrorSchema(ResponseSchema):
    """Every error answer: `{"error": {"code", "message", "fields"}}` (ticketing/errors.py)."""

    error = fields.Nested(ErrorBodySchema, required=True)
