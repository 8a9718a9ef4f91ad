"""Staff accounts, passwords and signed access tokens."""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import cache

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.models import AuditEntry, User
from ticketing.roles import OPD_SCOPED_ROLES, ROLES, WALL
from ticketing.services import console_sessions, login_throttle
from ticketing.services.regions import default_region_code, ensure_default_region, find_opd, get_region

TOKEN_SALT = "aduan.access-token"
LOGIN_ACTION = "auth.login"  # the audit entry of a successful sign-in


def hash_password(password: str) -> str:
    """A new password's hash, by the configured method (PASSWORD_HASH_METHOD, scrypt)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@cache
def _dummy_hash() -> str:
    """A real hash to check against when the user does not exist, so timing reveals nothing.
    Made on first sign-in, not at import: a scrypt hash costs every process 0.2 s of CPU."""
    return hash_password("not-a-real-password")


@dataclass
class IssuedToken:
    access_token: str
    expires_in: int
    user: User


def check_account(
    role: str, opd_code: str | None, password: str | None, region_code: str | None = None
) -> None:
    """The rules every account obeys, for creating and for editing one (`None` password:
    unchanged). An officer's OPD is one of the account's region (default: the default one)."""
    region_code = region_code or default_region_code()
    if get_region(region_code) is None:
        raise APIError(
            422,
            "invalid_fields",
            catalogue.text("admin.region_unknown"),
            {"region": [catalogue.text("admin.region_unknown")]},
        )
    if role not in ROLES:
        raise APIError(
            422,
            "invalid_fields",
            catalogue.text("admin.role_unknown"),
            {"role": [catalogue.text("field.one_of", choices=", ".join(ROLES))]},
        )
    if role in OPD_SCOPED_ROLES and not opd_code:
        raise APIError(
            422,
            "invalid_fields",
            catalogue.text("admin.officer_needs_opd"),
            {"opd": [catalogue.text("field.required")]},
        )
    if opd_code and find_opd(region_code, opd_code) is None:
        raise APIError(
            422,
            "invalid_fields",
            catalogue.text("admin.opd_unknown"),
            {"opd": [catalogue.text("admin.opd_unknown")]},
        )
    if password is not None and len(password) < 8:
        raise APIError(
            422,
            "invalid_fields",
            catalogue.text("admin.password_short"),
            {"password": [catalogue.text("field.length_min", min=8)]},
        )


def create_user(
    *,
    username: str,
    password: str,
    role: str,
    opd_code: str | None = None,
    region_code: str | None = None,
    commit: bool = True,
) -> User:
    """Create (or reset) an account in `region_code` (default: `DEFAULT_REGION`)."""
    if region_code is None:
        ensure_default_region()
        region_code = default_region_code()
    check_account(role, opd_code, password, region_code)
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username)
        db.session.add(user)
    user.password_hash = hash_password(password)
    user.role = role
    user.region_code = region_code
    user.opd_code = opd_code if role in OPD_SCOPED_ROLES else None
    user.active = True
    # Changing a password or role revokes the tokens issued before.
    user.token_version = (user.token_version or 0) + 1
    if commit:
        db.session.commit()
    return user


def update_user(
    user: User,
    *,
    role: str,
    opd_code: str | None,
    active: bool,
    password: str | None = None,
    region_code: str | None = None,
    commit: bool = True,
) -> User:
    """Change an account; a new role, region, OPD, password or deactivation revokes its tokens.
    `region_code` None keeps the account's region."""
    opd_code = opd_code if role in OPD_SCOPED_ROLES else None
    region_code = region_code or user.region_code
    check_account(role, opd_code, password, region_code)
    revoke = (role, opd_code, active, region_code) != (
        user.role,
        user.opd_code,
        user.active,
        user.region_code,
    ) or bool(password)
    user.role, user.opd_code, user.active, user.region_code = role, opd_code, active, region_code
    if password:
        user.password_hash = hash_password(password)
        user.failed_logins, user.locked_until = 0, None
    if revoke:
        user.token_version = (user.token_version or 0) + 1
    if commit:
        db.session.commit()
    return user


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)


def token_ttl(user: User) -> int:
    key = "WALL_TOKEN_TTL_SECONDS" if user.role == WALL else "ACCESS_TOKEN_TTL_SECONDS"
    return int(current_app.config[key])


def issue_token(user: User, console_session: str | None = None) -> IssuedToken:
    """A signed access token; one for a console page names its session (console_sessions.py)."""
    claims = {"u": user.id, "v": user.token_version}
    if console_session:
        claims["c"] = console_session
    token = _serializer().dumps(claims)
    return IssuedToken(access_token=token, expires_in=token_ttl(user), user=user)


def authenticate(username: str, password: str, address: str = "-") -> IssuedToken:
    """Check a password. Failures slow down this (address, username) pair (login_throttle.py);
    an unknown username costs the same hash check and gets the very answers a known one gets,
    so neither the status, the body nor the timing tells whether an account exists."""
    now = time.time()
    state = login_throttle.pair_state(address, username)
    user = db.session.scalar(select(User).where(User.username == username))
    valid = check_password_hash(user.password_hash if user else _dummy_hash(), password)
    accepted = user is not None and valid and user.active
    if state.is_locked(now) and not (accepted and state.is_short):
        if not accepted:
            state = _count_failure(address, username)
        wait = max(1, state.wait_seconds(now))
        raise APIError(
            429,
            "too_many_attempts",
            catalogue.text("error.login_locked", seconds=wait),
            headers={"Retry-After": str(wait)},
        )
    if not accepted:
        _count_failure(address, username)
        raise APIError(401, "invalid_credentials", catalogue.text("error.login_failed"))
    login_throttle.forget(address, username)
    if user.failed_logins or user.locked_until:
        user.failed_logins = 0
        user.locked_until = None
    # Who signed in, and when, is the first thing an admin looks for in the audit log.
    db.session.add(
        AuditEntry(
            region_code=user.region_code,
            actor_user_id=user.id,
            actor_label=user.username,
            action=LOGIN_ACTION,
            target_type="user",
            target_id=user.username,
            changes={},
        )
    )
    db.session.commit()
    return issue_token(user)


def _count_failure(address: str, username: str) -> login_throttle.PairState:
    """The pair's count in Redis, and the account's `failed_logins` incremented in SQL (an
    unknown name updates no row, at the same cost): concurrent failures all count."""
    db.session.execute(
        update(User)
        .where(User.username == username)
        .values(failed_logins=User.failed_logins + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return login_throttle.record_failure(address, username)


def user_for_token(token: str | None) -> User | None:
    """The active user a token was issued to, or None (bad, expired or revoked)."""
    if not token:
        return None
    try:
        claims = _serializer().loads(token, max_age=current_app.config["WALL_TOKEN_TTL_SECONDS"])
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(claims, dict):
        return None
    user = db.session.get(User, claims.get("u"))
    if user is None or not user.active or user.token_version != claims.get("v"):
        return None
    # Staff tokens live shorter than wall tokens; the signed timestamp is checked per role.
    try:
        _serializer().loads(token, max_age=token_ttl(user))
    except SignatureExpired:
        return None
    session_id = claims.get("c")
    if session_id is not None and (not isinstance(session_id, str) or console_sessions.has_ended(session_id)):
        return None
    return user


def end_console_session(user: User, session_id: str) -> None:
    """Logout: the tokens embedded in that session's pages stop working. When Redis cannot
    record it, every token of the user is revoked instead (safe, if heavy-handed)."""
    if not console_sessions.end_session(session_id):
        revoke_tokens(user)


def revoke_tokens(user: User) -> None:
    user.token_version += 1
    db.session.commit()
