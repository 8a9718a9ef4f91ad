from marshmallow import Schema, fields, validate


class EventsQuerySchema(Schema):
    since = fields.Integer(load_default=0, validate=validate.Range(min=0))
    limit = fields.Integer(load_default=500, validate=validate.Range(min=1, max=1000))


class OpdSchema(Schema):
    code = fields.String()
    name = fields.String()
    handles = fields.String()


class CategorySchema(Schema):
    code = fields.String()
    name = fields.String()
    opd = fields.String(attribute="default_opd_code", allow_none=True)
    sla_hours = fields.Integer()
    sla_24x7 = fields.Boolean()
