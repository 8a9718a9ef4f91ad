"""GeoReport v2 inputs: the POST form and the GET requests query."""

from __future__ import annotations

from datetime import UTC, datetime

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate, validates_schema

from ticketing import phones
from ticketing.formatting import city_zone
from ticketing.schemas import EARLIEST_DAY, LATEST_DAY, day_range_text

MAX_DESCRIPTION = 4000


class Blank(fields.String):
    """A form field where an empty value means "not given" (HTML forms send them)."""

    def deserialize(self, value, attr=None, data=None, **kwargs):
        if isinstance(value, str) and not value.strip():
            value = None
        return super().deserialize(value, attr, data, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:  # PostgreSQL cannot store it; nobody types it
            raise ValidationError("NUL characters are not allowed.")
        return text


class BlankFloat(fields.Float):
    def deserialize(self, value, attr=None, data=None, **kwargs):
        if isinstance(value, str) and not value.strip():
            value = None
        return super().deserialize(value, attr, data, **kwargs)


class PhoneField(Blank):
    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return phones.to_e164(super()._deserialize(value, attr, data, **kwargs))
        except phones.InvalidPhoneNumber as exc:
            raise ValidationError(str(exc)) from exc


class W3CDateTime(Blank):
    """W3C / ISO 8601 datetimes ("2025-01-31T00:00:00Z"); without an offset, city time."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        try:
            moment = datetime.fromisoformat(text.replace("z", "Z"))
        except ValueError:
            raise ValidationError("Use the W3C format, e.g. 2025-01-31T00:00:00Z.") from None
        # Checked before any offset is applied: 0001-01-01 or 9999-12-31 would overflow it.
        if not EARLIEST_DAY <= moment.date() <= LATEST_DAY:
            raise ValidationError(day_range_text())
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=city_zone())
        return moment.astimezone(UTC)


class CommaList(Blank):
    """`a,b,c` (the spec's "comma delimited") as a list of non-empty, stripped items."""

    def __init__(self, *args, item_max: int = 64, max_items: int = 1000, **kwargs):
        super().__init__(*args, **kwargs)
        self.item_max, self.max_items = item_max, max_items

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        items = [item.strip() for item in text.split(",") if item.strip()]
        if len(items) > self.max_items or any(len(item) > self.item_max for item in items):
            raise ValidationError(f"At most {self.max_items} items of {self.item_max} characters.")
        return items


class ServiceRequestFormSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # api_key, jurisdiction_id and attribute[...] are read separately

    service_code = Blank(required=True, validate=validate.Length(min=1, max=48))
    lat = BlankFloat(allow_none=True, validate=validate.Range(-90, 90), allow_nan=False)
    long = BlankFloat(allow_none=True, validate=validate.Range(-180, 180), allow_nan=False)
    address_string = Blank(allow_none=True, validate=validate.Length(max=300))
    address_id = Blank(allow_none=True, validate=validate.Length(max=100))
    email = Blank(allow_none=True, validate=[validate.Length(max=254), validate.Email()])
    device_id = Blank(allow_none=True, validate=validate.Length(max=100))
    account_id = Blank(allow_none=True, validate=validate.Length(max=100))
    first_name = Blank(allow_none=True, validate=validate.Length(max=60))
    last_name = Blank(allow_none=True, validate=validate.Length(max=60))
    phone = PhoneField(allow_none=True)
    description = Blank(allow_none=True, validate=validate.Length(max=MAX_DESCRIPTION))
    media_url = Blank(
        allow_none=True,
        validate=[validate.Length(max=1000), validate.URL(schemes={"http", "https"}, require_tld=False)],
    )

    @validates_schema
    def location_given(self, data: dict, **kwargs) -> None:
        has_point = data.get("lat") is not None and data.get("long") is not None
        if (data.get("lat") is None) != (data.get("long") is None):
            raise ValidationError("lat and long are given together.", "lat")
        if not (has_point or data.get("address_string") or data.get("address_id")):
            raise ValidationError("A location is required: lat & long, or address_string.", "address_string")

    @post_load
    def clean(self, data: dict, **kwargs) -> dict:
        for key in ("description", "address_string", "first_name", "last_name"):
            if data.get(key):
                data[key] = data[key].strip()
        return data


class RequestsQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE  # jurisdiction_id, api_key and client extras are ignored

    service_request_id = CommaList(allow_none=True, item_max=32)
    service_code = CommaList(allow_none=True, item_max=48)
    start_date = W3CDateTime(allow_none=True)
    end_date = W3CDateTime(allow_none=True)
    status = CommaList(allow_none=True, item_max=16, validate=validate.ContainsOnly(["open", "closed"]))
