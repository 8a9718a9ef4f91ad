"""Request helpers shared by the blueprints: JSON bodies and bearer-token auth."""

from __future__ import annotations

import re
from functools import wraps

from flask import g, request

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.roles import ROLES
from ticketing.services.accounts import user_for_token


def json_body() -> dict:
    """The request's JSON object, or the documented 415/400."""
    if not request.is_json:
        raise APIError(415, "unsupported_media_type", catalogue.text("error.json_required"))
    payload = request.get_json(silent=True)
    if payload is None:
        raise APIError(400, "malformed_json", catalogue.text("error.json_malformed"))
    if not isinstance(payload, dict):
        raise APIError(400, "malformed_json", catalogue.text("error.json_not_object"))
    return payload


def required_upload(upload, field: str, *, not_multipart: str, missing: str):
    """`upload` (the request's multipart file `field`), or the documented 415 when the body is
    not multipart at all and 422 naming `field` when it is but lacks it; `not_multipart` and
    `missing` are catalogue keys."""
    if upload is not None:
        return upload
    if request.mimetype != "multipart/form-data":
        raise APIError(415, "unsupported_media_type", catalogue.text(not_multipart))
    message = catalogue.text(missing)
    raise APIError(422, "invalid_fields", message, {field: [message]})


IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{16,200}")


def idempotency_key() -> str | None:
    """The optional `Idempotency-Key` header (complaints, incident updates): 16–200 visible
    ASCII characters; unguessable, like a random UUID, since a complaint's replay answers with
    its tracking token."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not IDEMPOTENCY_KEY.fullmatch(key):
        raise APIError(
            422,
            "invalid_fields",
            catalogue.text("error.idempotency_key"),
            {"Idempotency-Key": [catalogue.text("error.idempotency_key_format")]},
        )
    return key


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def require_roles(*roles: str):
    """Bearer-token auth; the user is `g.user`. 401 without a valid token, 403 for other roles
    (none named: any staff role). The OpenAPI document reads the roles from the view
    (`required_roles`), so what it shows is what is enforced."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = user_for_token(bearer_token())
            if user is None:
                raise APIError(
                    401,
                    "unauthorized",
                    catalogue.text("error.unauthorized"),
                    headers={"WWW-Authenticate": "Bearer"},
                )
            if roles and user.role not in roles:
                raise APIError(403, "forbidden", catalogue.text("error.forbidden"))
            g.user = user
            return view(*args, **kwargs)

        wrapper.required_roles = roles or ROLES
        return wrapper

    return decorator
