"""The survey's input and output shapes (API.md §6, Surveys); the OpenAPI document shows these."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from ticketing.models.skm import EDUCATIONS, ELEMENTS, OCCUPATIONS, SEXES
from ticketing.schemas import ResponseSchema

ANSWER = validate.Range(1, 4)


class AnswersSchema(Schema):
    class Meta:
        unknown = RAISE

    u1 = fields.Integer(strict=True, allow_none=True, load_default=None, validate=ANSWER)
    u2 = fields.Integer(strict=True, allow_none=True, load_default=None, validate=ANSWER)
    u3 = fields.Integer(strict=True, allow_none=True, load_default=None, validate=ANSWER)
    u4 = fields.Integer(strict=True, allow_none=True, load_default=None, validate=ANSWER)
    u5 = fields.Integer(strict=True, allow_none=True, load_default=None, validate=ANSWER)
    u6 = fields.Integer(strict=True, allow_none=True, load_default=None, validate=ANSWER)
    u7 = fields.Integer(strict=True, allow_none=True, load_default=None, validate=ANSWER)
    u8 = fields.Integer(strict=True, allow_none=True, load_default=None, validate=ANSWER)
    u9 = fields.Integer(strict=True, allow_none=True, load_default=None, validate=ANSWER)


class RespondentSchema(Schema):
    class Meta:
        unknown = RAISE

    sex = fields.String(required=True, validate=validate.OneOf(SEXES))
    age = fields.Integer(strict=True, required=True, validate=validate.Range(10, 120))
    education = fields.String(required=True, validate=validate.OneOf(EDUCATIONS))
    occupation = fields.String(required=True, validate=validate.OneOf(OCCUPATIONS))


class SurveyAnswerSchema(Schema):
    """`POST /api/v1/skm/<service_code>/responses`."""

    class Meta:
        unknown = RAISE

    answers = fields.Nested(AnswersSchema, required=True)
    respondent = fields.Nested(RespondentSchema, required=True)
    phone = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=40))
    comment = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=2000))


class SurveyAnsweredSchema(ResponseSchema):
    service = fields.String(required=True)
    semester = fields.String(required=True, metadata={"description": "YYYY-1 or YYYY-2"})
    flagged = fields.Boolean(
        required=True, metadata={"description": "A burst from one address: kept, left out of the index"}
    )


class ServiceSchema(ResponseSchema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    opd = fields.String(required=True)
    region = fields.String(required=True)


class ServiceListSchema(ServiceSchema):
    pass


class ResultsQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    semester = fields.String(
        load_default=None, validate=validate.Length(max=6), metadata={"description": "YYYY-1 or YYYY-2"}
    )


class ServiceCodePathSchema(Schema):
    service_code = fields.String(required=True, validate=validate.Length(min=1, max=32))


class ResultSchema(ResponseSchema):
    service = fields.String(required=True)
    name = fields.String()
    opd = fields.String(required=True)
    region = fields.String()
    respondents = fields.Integer(required=True, metadata={"description": "Counted answers (not flagged)"})
    flagged = fields.Integer()
    sample_size = fields.Integer(allow_none=True, metadata={"description": "Krejcie–Morgan, from population"})
    elements = fields.Dict(
        keys=fields.String(validate=validate.OneOf(ELEMENTS)),
        values=fields.Float(allow_none=True),
        required=True,
        metadata={"description": "u1..u9: mean answer (1–4), null when not applicable or unanswered"},
    )
    ikm = fields.Float(allow_none=True, required=True, metadata={"description": "25–100"})
    grade = fields.String(allow_none=True, required=True, metadata={"description": "A, B, C or D"})
