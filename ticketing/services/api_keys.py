"""Open311 API keys: issued by an admin command, stored only as a hash, revocable."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.models import ApiKey
from ticketing.models.base import utcnow

KEY_PREFIX_LENGTH = 8
MAX_KEY_LENGTH = 200


@dataclass
class IssuedKey:
    api_key: ApiKey
    key: str  # shown once, never stored


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_api_key(name: str) -> IssuedKey:
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise APIError(422, "invalid_fields", "An API key needs a name.",
                       {"name": ["Between 1 and 120 characters."]})
    key = "a311_" + secrets.token_urlsafe(32)
    row = ApiKey(name=name, key_prefix=key[:KEY_PREFIX_LENGTH], key_hash=hash_api_key(key))
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


def revoke_api_keys(name: str) -> int:
    """Revoke every active key issued under `name`; returns how many."""
    rows = db.session.scalars(
        select(ApiKey).where(ApiKey.name == name, ApiKey.revoked_at.is_(None))).all()
    now = utcnow()
    for row in rows:
        row.revoked_at = now
    db.session.commit()
    return len(rows)


def list_api_keys() -> list[ApiKey]:
    return list(db.session.scalars(select(ApiKey).order_by(ApiKey.id)))
