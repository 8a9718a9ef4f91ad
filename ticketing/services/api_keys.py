"""Open311 API keys: issued by an admin command, stored only as a hash, revocable."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.models import ApiKey
from ticketing.models.base import utcnow
from ticketing.services.regions import ensure_default_region, get_region

KEY_PREFIX_LENGTH = 8
MAX_KEY_LENGTH = 200
# An Open311 key's scopes: without one a key posts requests and reads the public view.
FULL_DETAIL = "full_detail"
API_KEY_SCOPES = (FULL_DETAIL,)


@dataclass
class IssuedKey:
    api_key: ApiKey
    key: str  # shown once, never stored


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_api_key(name: str, scope: str | None = None, region_code: str | None = None) -> IssuedKey:
    """A new key for `region_code` (default: DEFAULT_REGION): it posts requests there and, with
    `full_detail`, reads that region's (a province's: its cities' too) in full."""
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise APIError(
            422,
            "invalid_fields",
            catalogue.text("error.api_key_name"),
            {"name": [catalogue.text("field.length_between", min=1, max=120)]},
        )
    if scope is not None and scope not in API_KEY_SCOPES:
        raise APIError(
            422,
            "invalid_fields",
            catalogue.text("error.api_key_scope"),
            {"scope": [catalogue.text("field.one_of", choices=", ".join(API_KEY_SCOPES))]},
        )
    if region_code is None:
        region_code = ensure_default_region().code
    elif get_region(region_code) is None:
        raise APIError(
            422,
            "invalid_fields",
            catalogue.text("admin.region_unknown"),
            {"region": [catalogue.text("admin.region_unknown")]},
        )
    key = "a311_" + secrets.token_urlsafe(32)
    row = ApiKey(
        name=name,
        key_prefix=key[:KEY_PREFIX_LENGTH],
        key_hash=hash_api_key(key),
        scope=scope,
        region_code=region_code,
    )
    db.session.add(row)
    db.session.commit()
    return IssuedKey(api_key=row, key=key)


def verify_api_key(key: str | None) -> ApiKey | None:
    """The active key row for `key`, or None (unknown, malformed or revoked)."""
    if not key or len(key) > MAX_KEY_LENGTH:
        return None
    digest = hash_api_key(key)
    row = db.session.scalar(select(ApiKey).where(ApiKey.key_hash == digest))
    # The lookup is by hash already; the constant-time compare is belt and braces.
    if row is None or row.revoked_at is not None or not hmac.compare_digest(row.key_hash, digest):
        return None
    return row


def has_scope(row: ApiKey | None, scope: str) -> bool:
    """Only a key given `scope` explicitly has it; no key, or a key without, reads publicly."""
    return row is not None and row.scope == scope


def revoke_api_keys(name: str) -> int:
    """Revoke every active key issued under `name`; returns how many."""
    rows = db.session.scalars(select(ApiKey).where(ApiKey.name == name, ApiKey.revoked_at.is_(None))).all()
    now = utcnow()
    for row in rows:
        row.revoked_at = now
    db.session.commit()
    return len(rows)


def list_api_keys(region_codes: list[str] | None = None) -> list[ApiKey]:
    """Every key, or those of `region_codes` (an admin's regions)."""
    query = select(ApiKey).order_by(ApiKey.id)
    if region_codes is not None:
        query = query.where(ApiKey.region_code.in_(region_codes))
    return list(db.session.scalars(query))
