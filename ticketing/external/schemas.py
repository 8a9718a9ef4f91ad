"""The body's page forms, and the registry as the staff API sends it."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from ticketing.models.handoffs import EXTERNAL_BODY_KINDS
from ticketing.schemas import ResponseSchema


class BodyUpdateForm(Schema):
    """An update or the done from the body's page (the submit button rides along)."""

    class Meta:
        unknown = EXCLUDE

    note = fields.String(load_default="", validate=validate.Length(max=2000))
    reference = fields.String(load_default="", validate=validate.Length(max=64))
    expected_date = fields.String(load_default="", validate=validate.Length(max=10))


class ExternalBodySchema(ResponseSchema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True, metadata={"enum": list(EXTERNAL_BODY_KINDS)})
    email = fields.String(required=True)
    region = fields.String(required=True)
    active = fields.Boolean()


class ExternalBodyListSchema(ResponseSchema):
    items = fields.List(fields.Nested(ExternalBodySchema), required=True)
