"""One error shape for every response: {"error": {"code", "message", "fields"}}."""
from __future__ import annotations

import logging
import re

from flask import Flask, jsonify, request
from marshmallow import ValidationError
from redis.exceptions import RedisError
from sqlalchemy.exc import DataError, OperationalError, InterfaceError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class APIError(Exception):
    def __init__(self, status: int, code: str, message: str, fields: dict | None = None,
                 headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.headers = headers or {}


def error_response(status: int, code: str, message: str, fields: dict | None = None,
                   headers: dict | None = None):
    response = jsonify({"error": {"code": code, "message": message, "fields": fields or {}}})
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def rate_limited_response(exc: HTTPException):
    """A limit's 429 (flask-limiter): the error shape, `Retry-After`, the catalogue's words."""
    from ticketing.ratelimits import rate_limited_text, retry_after_seconds

    seconds = retry_after_seconds(exc)
    return error_response(429, "rate_limited", rate_limited_text(seconds),
                          headers={"Retry-After": str(seconds)})


def _snake(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def register_errorhandlers(app: Flask) -> None:
    @app.errorhandler(APIError)
    def handle_api_error(exc: APIError):
        return error_response(exc.status, exc.code, exc.message, exc.fields, exc.headers)

    @app.errorhandler(ValidationError)
    def handle_validation_error(exc: ValidationError):
        fields = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        return error_response(422, "invalid_fields", "Some fields are invalid.", fields)

    @app.errorhandler(HTTPException)
    def handle_http_error(exc: HTTPException):
        if exc.code == 429:
            return rate_limited_response(exc)
        codes = {413: "payload_too_large"}
        code = codes.get(exc.code, _snake(exc.name))
        response = error_response(exc.code or 500, code, exc.description or exc.name)
        if exc.code == 405 and exc.valid_methods:
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def handle_database_down(exc):
        log.warning("database unavailable on %s %s: %s", request.method, request.path,
                    type(exc).__name__)
        return error_response(503, "database_unavailable",
                              "The database is unavailable; please retry shortly.",
                              headers={"Retry-After": "5"})

    @app.errorhandler(RedisError)
    def handle_redis_down(exc):
        log.warning("redis unavailable on %s %s: %s", request.method, request.path,
                    type(exc).__name__)
        return error_response(503, "redis_unavailable",
                              "A backing service is unavailable; please retry shortly.",
                              headers={"Retry-After": "5"})

    @app.errorhandler(DataError)
    def handle_unstorable_value(exc):
        # PostgreSQL refuses values SQLite takes (a NUL character in text, an out-of-range
        # number): bad input, not a server fault. The session is unusable until rolled back.
        from ticketing.extensions import db

        db.session.rollback()
        log.info("unstorable value on %s %s: %s", request.method, request.path, exc.orig)
        return error_response(422, "invalid_fields",
                              "Some values cannot be stored (for example NUL characters).")

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal_error", "Something went wrong on our side.")
