from __future__ import annotations

from flask import Blueprint, current_app

from ticketing.auth.schemas import TokenRequestSchema, TokenSchema
from ticketing.extensions import limiter
from ticketing.http import json_body
from ticketing.services.accounts import authenticate

bp = Blueprint("auth", __name__, url_prefix="/api/v1/auth")

token_request_schema = TokenRequestSchema()
token_schema = TokenSchema()


@bp.post("/token")
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"])
def issue_access_token():
    credentials = token_request_schema.load(json_body())
    issued = authenticate(credentials["username"], credentials["password"])
    return token_schema.dump({
        "access_token": issued.access_token, "token_type": "Bearer",
        "expires_in": issued.expires_in, "role": issued.user.role, "opd": issued.user.opd_code,
    })
