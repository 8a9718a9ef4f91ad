"""The citizen pages' plain HTML forms, read into the same shapes the JSON API loads, so a
complaint from the form is validated by `ComplaintSchema` exactly like one from the API."""

from __future__ import annotations

import re
import uuid

from marshmallow import Schema, ValidationError, fields, pre_load, validate

from ticketing.intake.schemas import ComplaintSchema, FeedbackSchema, ObjectionSchema, ReopenSchema

IDEMPOTENCY_FIELD = re.compile(r"[\x21-\x7e]{16,200}")


def _blank_to_none(data: dict) -> dict:
    return {key: (value.strip() or None) if isinstance(value, str) else value for key, value in data.items()}


class ComplaintFormSchema(Schema):
    """`POST /lapor` without JavaScript: flat fields, then ComplaintSchema's rules."""

    description = fields.String(load_default="", allow_none=True)
    category = fields.String(load_default=None, allow_none=True)
    address = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=240))
    kelurahan = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=48))
    lat = fields.Float(load_default=None, allow_none=True, allow_nan=False)
    lon = fields.Float(load_default=None, allow_none=True, allow_nan=False)
    name = fields.String(load_default=None, allow_none=True)
    phone = fields.String(load_default=None, allow_none=True)
    anonymous = fields.Boolean(load_default=False, truthy={"on", "1", "true", "ya"})
    confidential = fields.Boolean(load_default=False, truthy={"on", "1", "true", "ya"})
    idempotency_key = fields.String(load_default=None, allow_none=True)
    region = fields.String(load_default=None, allow_none=True)  # province mode's city select

    class Meta:
        unknown = "exclude"  # csrf_token, photo, the submit button

    @pre_load
    def blanks(self, data, **kwargs):
        return _blank_to_none(dict(data))


def complaint_from_form(form, kelurahan_name: str | None) -> tuple[dict, str | None]:
    """(the API's complaint, loaded by ComplaintSchema; the idempotency key) from the form.

    Errors come back keyed by the form's own field names (`phone`, not `reporter.phone`)."""
    flat = ComplaintFormSchema().load(form)
    address = (
        ", ".join(
            part for part in (flat["address"], kelurahan_name and f"Kelurahan {kelurahan_name}") if part
        )
        or None
    )
    payload: dict = {
        "description": flat["description"] or "",
        "category": flat["category"],
        "anonymous": flat["anonymous"],
        "confidential": flat["confidential"],
        "reporter": {"name": flat["name"], "phone": flat["phone"]},
    }
    if flat["region"]:
        payload["region"] = flat["region"]
    if flat["lat"] is not None and flat["lon"] is not None:
        payload["location"] = {"lat": flat["lat"], "lon": flat["lon"], "address": address}
    elif address:
        payload["location"] = {"address": address}
    try:
        complaint = ComplaintSchema().load(payload)
    except ValidationError as exc:
        raise ValidationError(_flatten(exc.messages)) from exc
    key = flat["idempotency_key"]
    return complaint, key if key and IDEMPOTENCY_FIELD.fullmatch(key) else None


def _flatten(messages: dict) -> dict:
    flat: dict = {}
    for key, value in messages.items():
        if isinstance(value, dict):
            flat.update(_flatten(value))
        else:
            flat[key] = value
    return flat


def new_idempotency_key() -> str:
    return str(uuid.uuid4())


class NoteFormSchema(Schema):
    note = fields.String(load_default="", validate=validate.Length(max=2000))

    class Meta:
        unknown = "exclude"


class RatingFormSchema(FeedbackSchema):
    """The API's feedback rules; a form sends the rating as text."""

    rating = fields.Integer(required=True, validate=validate.Range(min=1, max=5))

    class Meta:
        unknown = "exclude"

    @pre_load
    def blanks(self, data, **kwargs):
        return _blank_to_none(dict(data))


class ReopenFormSchema(ReopenSchema):
    class Meta:
        unknown = "exclude"

    @pre_load
    def blanks(self, data, **kwargs):
        return _blank_to_none(dict(data))


class ObjectionFormSchema(ObjectionSchema):
    """The API's objection rules (a reason of 1 to 2000 characters); a blank one is none."""

    class Meta:
        unknown = "exclude"

    @pre_load
    def blanks(self, data, **kwargs):
        return _blank_to_none(dict(data))
