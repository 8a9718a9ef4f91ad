"""Form parsing for the console: one schema per form, the same validation style as the API.

Forms post strings; empty fields mean "not given", so every schema turns "" into None first.
"""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, pre_load, validate

from ticketing.catalogue_kinds import EXEMPTIONS
from ticketing.models import ROLES, STATUSES
from ticketing.models.tickets import ASSISTED_CHANNELS
from ticketing.services.administration import SLA_UNITS
from ticketing.services.kind_states import CLOSE_REASONS, DECISIONS


class FormSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # csrf_token and submit buttons ride along

    @pre_load
    def blanks_are_missing(self, data, **kwargs):
        return {
            key: value for key, value in data.items() if not (isinstance(value, str) and value.strip() == "")
        }


class LoginForm(FormSchema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))
    next = fields.String(load_default=None, validate=validate.Length(max=300))


class QueueFilter(FormSchema):
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    category = fields.String(load_default=None, validate=validate.Length(max=48))
    q = fields.String(load_default=None, validate=validate.Length(max=200))
    overdue = fields.Boolean(load_default=False)


class ActionForm(FormSchema):
    action = fields.String(required=True, validate=validate.Length(min=1, max=32))
    opd = fields.String(load_default=None, validate=validate.Length(max=32))
    category = fields.String(load_default=None, validate=validate.Length(max=48))
    note = fields.String(load_default=None, validate=validate.Length(max=4000))
    # Comment visibility: "public" tells the citizen, "internal" stays with staff.
    visibility = fields.String(load_default=None, validate=validate.OneOf(("public", "internal")))
    # reject's reasons, and close_unresolved's (issue #17).
    reason = fields.String(load_default=None, validate=validate.OneOf(("spam", "duplicate", *CLOSE_REASONS)))
    duplicate_of = fields.String(load_default=None, validate=validate.Length(max=16))
    back = fields.String(load_default=None, validate=validate.OneOf(("ticket", "triage", "queue")))
    # Issue #17: hold's last day (a city date), decide's decision and UU 14/2008 Art. 17 letter.
    until = fields.Date(load_default=None)
    decision = fields.String(load_default=None, validate=validate.OneOf(DECISIONS))
    exemption = fields.String(load_default=None, validate=validate.OneOf(tuple(EXEMPTIONS)))
    # forward_external: the outside body's code (issue #17).
    body = fields.String(load_default=None, validate=validate.Length(max=32))


class UserForm(FormSchema):
    username = fields.String(load_default=None, validate=validate.Length(max=64))
    password = fields.String(load_default=None, validate=validate.Length(max=200))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    opd = fields.String(load_default=None, validate=validate.Length(max=32))
    # The account's region (issue #16): one of the admin's; empty keeps it (or the admin's own).
    region = fields.String(load_default=None, validate=validate.Length(max=16))
    active = fields.Boolean(load_default=False)


class OpdForm(FormSchema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=32))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    handles = fields.String(load_default="", validate=validate.Length(max=2000))
    active = fields.Boolean(load_default=False)


class CategoryForm(FormSchema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=48))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    opd = fields.String(load_default=None, validate=validate.Length(max=32))
    # The SLA in days or hours and what they count (services/administration.py SLA_UNITS).
    sla_amount = fields.Float(required=True, allow_nan=False)
    sla_unit = fields.String(required=True, validate=validate.OneOf(SLA_UNITS))
    active = fields.Boolean(load_default=False)

    @pre_load
    def decimal_comma(self, data, **kwargs):
        # "1,5 hari kerja" as an Indonesian admin writes it.
        amount = data.get("sla_amount")
        if isinstance(amount, str):
            data = {**data, "sla_amount": amount.strip().replace(",", ".")}
        return data


class SlaPreviewQuery(CategoryForm):
    class Meta:
        unknown = EXCLUDE
        fields = ("sla_amount", "sla_unit")


class ApiKeyForm(FormSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))


class IntakeForm(FormSchema):
    """Phone and walk-in intake (console/intake.py)."""

    channel = fields.String(required=True, validate=validate.OneOf(ASSISTED_CHANNELS))
    description = fields.String(required=True, validate=validate.Length(min=10, max=4000))
    category = fields.String(load_default=None, validate=validate.Length(max=48))
    name = fields.String(load_default=None, validate=validate.Length(max=120))
    phone = fields.String(load_default=None, validate=validate.Length(max=40))
    kelurahan = fields.String(load_default=None, validate=validate.Length(max=32))
    address = fields.String(load_default=None, validate=validate.Length(max=250))
    lat = fields.Float(load_default=None, allow_nan=False, validate=validate.Range(-90, 90))
    lon = fields.Float(load_default=None, allow_nan=False, validate=validate.Range(-180, 180))
