"""One error shape for every response: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

import logging
import re

from flask import Flask, jsonify, request
from marshmallow import ValidationError
from redis.exceptions import RedisError
from sqlalchemy.exc import DataError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from ticketing import catalogue

log = logging.getLogger(__name__)

# marshmallow's built-in English texts, matched whole, and the catalogue's words for them.
_FIELD_TEXTS = [
    (re.compile(pattern), key)
    for pattern, key in (
        (r"Missing data for required field\.", "field.required"),
        (r"Field may not be null\.", "field.null"),
        (r"Not a valid string\.", "field.string"),
        (r"Not a valid integer\.", "field.integer"),
        (
            r"Not a valid number\.|Special numeric values \(nan or infinity\) are not permitted\.",
            "field.number",
        ),
        (r"Not a valid boolean\.", "field.boolean"),
        (r"Not a valid email address\.", "field.email"),
        (r"Not a valid (?:datetime|date|time)\.|Not a valid aware datetime\.", "field.datetime"),
        (r"Unknown field\.", "field.unknown"),
        (r"Invalid input type\.|Invalid type\.|Invalid value\.", "field.type"),
        (r"Not a valid list\.", "field.list"),
        (r"Not a valid mapping type\.", "field.mapping"),
        (r"Length must be between (?P<min>\d+) and (?P<max>\d+)\.", "field.length_between"),
        (r"Shorter than minimum length (?P<min>\d+)\.", "field.length_min"),
        (r"Longer than maximum length (?P<max>\d+)\.", "field.length_max"),
        (
            r"Must be greater than or equal to (?P<min>\S+) and less than or equal to (?P<max>\S+)\.",
            "field.range",
        ),
        (r"Must be greater than or equal to (?P<min>\S+)\.", "field.range_min"),
        (r"Must be less than or equal to (?P<max>\S+)\.", "field.range_max"),
        (r"Must be one of: (?P<choices>.*)\.", "field.one_of"),
    )
]


def field_text(message):
    """A field's error in the catalogue's words (nested dicts and lists walked)."""
    if isinstance(message, dict):
        return {key: field_text(value) for key, value in message.items()}
    if isinstance(message, list):
        return [field_text(value) for value in message]
    if not isinstance(message, str):
        return message
    for pattern, key in _FIELD_TEXTS:
        match = pattern.fullmatch(message)
        if match:
            return catalogue.text(key, **match.groupdict())
    return message


class APIError(Exception):
    def __init__(
        self, status: int, code: str, message: str, fields: dict | None = None, headers: dict | None = None
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.headers = headers or {}


def error_response(
    status: int, code: str, message: str, fields: dict | None = None, headers: dict | None = None
):
    response = jsonify({"error": {"code": code, "message": message, "fields": fields or {}}})
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def rate_limited_response(exc: HTTPException):
    """A limit's 429 (flask-limiter): the error shape, `Retry-After`, the catalogue's words."""
    from ticketing.ratelimits import rate_limited_text, retry_after_seconds

    seconds = retry_after_seconds(exc)
    return error_response(
        429, "rate_limited", rate_limited_text(seconds), headers={"Retry-After": str(seconds)}
    )


def _snake(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def http_error_response(exc: HTTPException):
    """An HTTP error (404, 405, 413, 429, …) in the API's error shape with the catalogue's words;
    blueprints that render their own error pages use it for their `/api/` routes."""
    if exc.code == 429:
        return rate_limited_response(exc)
    codes = {413: "payload_too_large"}
    code = codes.get(exc.code, _snake(exc.name))
    # Werkzeug's descriptions are English: people read the catalogue's words instead.
    texts = {404: "error.not_found", 405: "error.method_not_allowed", 413: "error.payload_too_large"}
    text = catalogue.text(
        texts.get(exc.code, "error.bad_request" if (exc.code or 500) < 500 else "error.internal")
    )
    response = error_response(exc.code or 500, code, text)
    if exc.code == 405 and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def register_errorhandlers(app: Flask) -> None:
    @app.errorhandler(APIError)
    def handle_api_error(exc: APIError):
        return error_response(exc.status, exc.code, exc.message, exc.fields, exc.headers)

    @app.errorhandler(ValidationError)
    def handle_validation_error(exc: ValidationError):
        fields = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        return error_response(
            422, "invalid_fields", catalogue.text("error.invalid_fields"), field_text(fields)
        )

    @app.errorhandler(HTTPException)
    def handle_http_error(exc: HTTPException):
        return http_error_response(exc)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def handle_database_down(exc):
        log.warning("database unavailable on %s %s: %s", request.method, request.path, type(exc).__name__)
        return error_response(
            503,
            "database_unavailable",
            catalogue.text("error.database_unavailable"),
            headers={"Retry-After": "5"},
        )

    @app.errorhandler(RedisError)
    def handle_redis_down(exc):
        log.warning("redis unavailable on %s %s: %s", request.method, request.path, type(exc).__name__)
        return error_response(
            503,
            "redis_unavailable",
            catalogue.text("error.service_unavailable"),
            headers={"Retry-After": "5"},
        )

    @app.errorhandler(DataError)
    def handle_unstorable_value(exc):
        # PostgreSQL refuses values SQLite takes (a NUL character in text, an out-of-range
        # number): bad input, not a server fault. The session is unusable until rolled back.
        from ticketing.extensions import db

        db.session.rollback()
        log.info("unstorable value on %s %s: %s", request.method, request.path, exc.orig)
        return error_response(422, "invalid_fields", catalogue.text("error.unstorable"))

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal_error", catalogue.text("error.internal"))
