"""The survey operations (SKM, issue #19) of the OpenAPI document, beside spec.py's table."""

from __future__ import annotations

from ticketing.skm.schemas import (
    ResultSchema,
    ResultsQuerySchema,
    ServiceCodePathSchema,
    ServiceSchema,
    SurveyAnsweredSchema,
    SurveyAnswerSchema,
)


def skm_operations(operation) -> tuple:
    """The rows, built with spec.py's `Operation` (passed in: this module sits below it)."""
    return (
        operation(
            "/api/v1/skm/services",
            "/api/v1/skm/services",
            "get",
            "Public services that take a satisfaction survey (SKM)",
            "surveys",
            ServiceSchema(many=True),
            errors=(429,),
        ),
        operation(
            "/api/v1/skm/{service_code}/responses",
            "/api/v1/skm/<service_code>/responses",
            "post",
            "Answer the satisfaction survey (Permenpan RB 14/2017) of a service",
            "surveys",
            SurveyAnsweredSchema,
            status=201,
            body=SurveyAnswerSchema,
            path_schema=ServiceCodePathSchema,
            errors=(400, 404, 409, 415, 422, 429),
            description="`answers.u1`…`u9` on the regulation's 1–4 scale (null only for an element "
            "the service does not have). One answer per phone (any spelling of it) per service per "
            "semester: a second is 409 `already_answered`. Answers beyond SKM_BURST_PER_ADDRESS "
            "from one address within SKM_BURST_WINDOW_SECONDS are kept with `flagged: true` and "
            "left out of the index.",
        ),
        operation(
            "/api/v1/skm/results",
            "/api/v1/skm/results",
            "get",
            "The satisfaction index (IKM) and grade of every service for a semester",
            "surveys",
            ResultSchema(many=True),
            query=ResultsQuerySchema,
            errors=(422, 429),
            description="`semester` is YYYY-1 (January–June) or YYYY-2 (July–December) in the "
            "city's calendar, default the current one. IKM = mean of the applicable elements' "
            "means × 25; grade A 88.31–100, B 76.61–88.30, C 65.00–76.60, D 25.00–64.99.",
        ),
    )
