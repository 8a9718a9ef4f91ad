"""Request helpers shared by the blueprints: JSON bodies and bearer-token auth."""
from __future__ import annotations

from functools import wraps

from flask import g, request

from ticketing.errors import APIError
from ticketing.services.accounts import user_for_token


def json_body() -> dict:
    """The request's JSON object, or the documented 415/400."""
    if not request.is_json:
        raise APIError(415, "unsupported_media_type", "Send JSON with Content-Type: application/json.")
    payload = request.get_json(silent=True)
    if payload is None:
        raise APIError(400, "malformed_json", "The body is not valid JSON.")
    if not isinstance(payload, dict):
        raise APIError(400, "malformed_json", "The body must be a JSON object.")
    return payload


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def require_roles(*roles: str):
    """Bearer-token auth; the user is `g.user`. 401 without a valid token, 403 for other roles."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = user_for_token(bearer_token())
            if user is None:
                raise APIError(401, "unauthorized", "A valid access token is required.",
                               headers={"WWW-Authenticate": "Bearer"})
            if roles and user.role not in roles:
                raise APIError(403, "forbidden", "Your role may not do this.")
            g.user = user
            return view(*args, **kwargs)

        return wrapper

    return decorator
