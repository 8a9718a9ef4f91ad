from __future__ import annotations

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates,
    validates_schema,
)

from ticketing import catalogue, phones
from ticketing.catalogue_kinds import OBJECTION_GROUNDS
from ticketing.schemas import ResponseSchema, malformed, nullable_datetime, nullable_string

MAX_DESCRIPTION = 4000


def to_e164(value: str, region: str = "ID") -> str:
    """+62812…, 62812… and 0812… all become +62812…; anything else is an error."""
    try:
        return phones.to_e164(value, region)
    except phones.InvalidPhoneNumber as exc:
        raise ValidationError(str(exc)) from exc


class PhoneField(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        return to_e164(super()._deserialize(value, attr, data, **kwargs))


class ReporterSchema(Schema):
    name = fields.String(validate=validate.Length(max=120), allow_none=True)
    phone = PhoneField(allow_none=True)
    email = fields.Email(validate=validate.Length(max=254), allow_none=True)


class LocationSchema(Schema):
    """A map point (`lat` and `lon` together) and/or an address: a citizen without a map (the
    web form without JavaScript, an old phone) still says where."""

    lat = fields.Float(load_default=None, allow_none=True, validate=validate.Range(-90, 90), allow_nan=False)
    lon = fields.Float(
        load_default=None, allow_none=True, validate=validate.Range(-180, 180), allow_nan=False
    )
    address = fields.String(validate=validate.Length(max=300), allow_none=True)

    @validates_schema
    def point_or_address(self, data: dict, **kwargs) -> None:
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise ValidationError(catalogue.text("error.lat_lon_together"), "lat")
        if data.get("lat") is None and not (data.get("address") or "").strip():
            raise ValidationError(catalogue.text("error.point_or_address"), "address")


class KindField(fields.String):
    """`kind`: pengaduan (default), aspirasi or informasi; anything else is malformed (400)."""

    def _deserialize(self, value, attr, data, **kwargs):
        from ticketing.models.tickets import KINDS

        text = super()._deserialize(value, attr, data, **kwargs) if isinstance(value, str) else None
        if text not in KINDS:
            raise malformed("kind", catalogue.text("field.one_of", choices=", ".join(KINDS)))
        return text


class ObjectionSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    # UU 14/2008 Art. 35(1) letter; omitted: the one the ticket shows (services/kind_states.py).
    ground = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(list(OBJECTION_GROUNDS), error=catalogue.text("error.objection_ground")),
        metadata={"enum": list(OBJECTION_GROUNDS)},
    )


class ComplaintSchema(Schema):
    description = fields.String(required=True, validate=validate.Length(min=1, max=MAX_DESCRIPTION))
    kind = KindField(
        load_default=None, allow_none=True, metadata={"enum": ["pengaduan", "aspirasi", "informasi"]}
    )
    category = fields.String(validate=validate.Length(min=1, max=48), allow_none=True)
    # The region to file it in (GET /api/v1/regions); none: DEFAULT_REGION.
    region = fields.String(validate=validate.Length(min=1, max=16), allow_none=True)
    reporter = fields.Nested(ReporterSchema, allow_none=True)
    anonymous = fields.Boolean(load_default=False)
    confidential = fields.Boolean(load_default=False)
    location = fields.Nested(LocationSchema, allow_none=True)

    @validates("description")
    def description_not_blank(self, value: str, **kwargs) -> None:
        if not value.strip():
            raise ValidationError(catalogue.text("error.describe_problem"))

    @post_load
    def strip_description(self, data: dict, **kwargs) -> dict:
        data["description"] = data["description"].strip()
        return data


class ComplaintCreatedSchema(ResponseSchema):
    ticket_number = fields.String(required=True)
    tracking_token = fields.String(required=True)
    status = fields.String(required=True)
    created_at = fields.DateTime(required=True)


class PublicEventSchema(ResponseSchema):
    at = nullable_datetime(attribute="created_at")
    status = nullable_string(attribute="to_status")
    note = nullable_string()


class PublicTicketSchema(ResponseSchema):
    """What a citizen with the tracking token sees: no personal data."""

    ticket_number = fields.String(required=True)
    status = fields.String(required=True)
    status_label = nullable_string()
    category = nullable_string(attribute="category_code")
    category_name = nullable_string()
    opd = nullable_string(attribute="opd_code")
    opd_name = nullable_string()
    # Handed to an outside body (issue #17): the body that has it now.
    external_body_name = nullable_string()
    channel = nullable_string()
    created_at = nullable_datetime()
    updated_at = nullable_datetime()
    sla_due_at = nullable_datetime()
    history = fields.List(fields.Nested(PublicEventSchema))


class TrackingTokenQuerySchema(Schema):
    """`?token=`: documents the parameter every citizen URL carries."""

    token = fields.String(required=True, metadata={"description": "The tracking_token given at filing"})


class FeedbackSchema(Schema):
    rating = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=5))
    comment = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class ReopenSchema(Schema):
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class CitizenPhotoSchema(Schema):
    """The answer to `POST /api/v1/complaints/<n>/photos`."""

    id = fields.Integer()
    ticket_number = fields.String()
    size_bytes = fields.Integer()


class CategoryGuessSchema(Schema):
    """`POST /api/v1/complaints/category-guess`: a description in, the router's guess out
    (`category` null when it would leave the choice to an operator). `region` and `location`
    as the complaint will carry them: the guess is that region's router's (issue #16)."""

    description = fields.String(
        required=True, load_only=True, validate=validate.Length(min=1, max=MAX_DESCRIPTION)
    )
    region = fields.String(load_only=True, validate=validate.Length(min=1, max=16), allow_none=True)
    location = fields.Nested(LocationSchema, load_only=True, allow_none=True)
    category = fields.String(dump_only=True, allow_none=True)
    category_name = fields.String(dump_only=True, allow_none=True)
    confidence = fields.Float(dump_only=True)
