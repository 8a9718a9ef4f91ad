from __future__ import annotations

from flask import Blueprint, current_app, g, request

from ticketing.auth.schemas import (
    RevokeRequestSchema,
    RevokeResponseSchema,
    TokenRequestSchema,
    TokenSchema,
)
from ticketing.extensions import limiter
from ticketing.http import json_body, require_roles
from ticketing.ratelimits import client_address
from ticketing.services.accounts import authenticate
from ticketing.services.administration import revoke_user_tokens

bp = Blueprint("auth", __name__, url_prefix="/api/v1/auth")

token_request_schema = TokenRequestSchema()
token_schema = TokenSchema()
revoke_request_schema = RevokeRequestSchema()
revoke_response_schema = RevokeResponseSchema()


@bp.post("/token")
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"])
def issue_access_token():
    credentials = token_request_schema.load(json_body())
    issued = authenticate(credentials["username"], credentials["password"], client_address())
    return token_schema.dump(
        {
            "access_token": issued.access_token,
            "token_type": "Bearer",
            "expires_in": issued.expires_in,
            "role": issued.user.role,
            "opd": issued.user.opd_code,
        }
    )


@bp.post("/revoke")
@require_roles()
def revoke_access_tokens():
    """Revoke every token of the caller (no body) or, for an admin, of `{"user_id": N}`."""
    payload = json_body() if request.get_data() else {}
    target = revoke_user_tokens(g.user, revoke_request_schema.load(payload)["user_id"])
    return revoke_response_schema.dump({"revoked": True, "user_id": target.id, "username": target.username})
