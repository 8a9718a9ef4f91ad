from marshmallow import Schema, fields, validate


class TokenRequestSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=256))


class TokenSchema(Schema):
    access_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()
    role = fields.String()
    opd = fields.String(allow_none=True)


class RevokeRequestSchema(Schema):
    # Absent: the caller's own tokens. An admin may name another user.
    user_id = fields.Integer(load_default=None, allow_none=True, strict=True,
                             validate=validate.Range(min=1))
