from marshmallow import Schema, fields, validate

from ticketing import catalogue
from ticketing.schemas import ResponseSchema, nullable_string


class TokenRequestSchema(Schema):
    # A NUL is no username: refused here, the same 422 on SQLite and on PostgreSQL (which
    # cannot even compare it).
    username = fields.String(
        required=True,
        validate=[
            validate.Length(min=1, max=64),
            validate.Regexp(r"\A[^\x00]*\Z", error=catalogue.text("error.unstorable")),
        ],
    )
    password = fields.String(required=True, validate=validate.Length(min=1, max=256))


class TokenSchema(ResponseSchema):
    access_token = fields.String(required=True)
    token_type = fields.String()
    expires_in = fields.Integer(required=True)
    role = fields.String(required=True)
    opd = nullable_string()


class RevokeRequestSchema(Schema):
    # Absent: the caller's own tokens. An admin may name another user.
    user_id = fields.Integer(load_default=None, allow_none=True, strict=True, validate=validate.Range(min=1))


class RevokeResponseSchema(ResponseSchema):
    revoked = fields.Boolean(required=True)
    user_id = fields.Integer(required=True)
    username = fields.String(required=True)
