"""Admin changes to users, OPDs, categories and API keys, each with its audit entry.

Every function here writes the change and its `AuditEntry` in one transaction where the
underlying service lets us (accounts take `commit=False`); API keys are issued by their own
service, which commits, so their entry follows in a second, immediate commit.
"""
from __future__ import annotations

from sqlalchemy import select

from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.models import ApiKey, AuditEntry, Category, Opd, User
from ticketing.models.base import utcnow
from ticketing.services import accounts, api_keys

SECRET = "(diubah)"  # how a changed password appears in the log: never its value


def record(actor: User | None, action: str, target_type: str, target_id, changes: dict) -> AuditEntry:
    """Add one entry to the current transaction; the caller commits."""
    entry = AuditEntry(actor_user_id=actor.id if actor else None,
                       actor_label=actor.username if actor else "system", action=action,
                       target_type=target_type, target_id=str(target_id), changes=changes)
    db.session.add(entry)
    return entry


def recent(limit: int = 200, target_type: str | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if target_type:
        query = query.where(AuditEntry.target_type == target_type)
    return list(db.session.scalars(query))


def _diff(before: dict, after: dict) -> dict:
    return {key: [before.get(key), value] for key, value in after.items()
            if before.get(key) != value}


def _fail(message: str, field: str, detail: str):
    raise APIError(422, "invalid_fields", message, {field: [detail]})


# -- users -------------------------------------------------------------------------------------

def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.role, User.username)))


def add_user(actor: User, *, username: str, password: str, role: str,
             opd_code: str | None) -> User:
    username = (username or "").strip()
    if not username or len(username) > 64:
        _fail("A user needs a username.", "username", "Between 1 and 64 characters.")
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        _fail("That username is taken.", "username", "Already in use.")
    try:
        user = accounts.create_user(username=username, password=password, role=role,
                                    opd_code=opd_code or None, commit=False)
        db.session.flush()
        record(actor, "user.create", "user", user.username,
               {"role": [None, user.role], "opd": [None, user.opd_code], "password": SECRET})
        db.session.commit()
    except APIError:
        db.session.rollback()
        raise
    return user


def edit_user(actor: User, user_id: int, *, role: str, opd_code: str | None, active: bool,
              password: str | None) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise APIError(404, "not_found", "No such user.")
    if user.id == actor.id and (role != user.role or not active):
        # An admin locking themselves out leaves the city with nobody to fix it.
        _fail("You cannot demote or deactivate yourself.", "role", "Ask another admin.")
    before = {"role": user.role, "opd": user.opd_code, "active": user.active}
    try:
        accounts.update_user(user, role=role, opd_code=opd_code or None, active=active,
                             password=password or None, commit=False)
        changes = _diff(before, {"role": user.role, "opd": user.opd_code, "active": user.active})
        if password:
            changes["password"] = SECRET
        if changes:
            record(actor, "user.update", "user", user.username, changes)
        db.session.commit()
    except APIError:
        db.session.rollback()
        raise
    return user


# -- OPDs and categories -----------------------------------------------------------------------

def all_opds() -> list[Opd]:
    return list(db.session.scalars(select(Opd).order_by(Opd.code)))


def all_categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.code)))


def _code(value: str, limit: int) -> str:
    code = (value or "").strip()
    if not code or len(code) > limit or not all(c.isalnum() or c in "-_" for c in code):
        _fail("Codes are letters, digits, - and _.", "code", f"1 to {limit} characters.")
    return code


def save_opd(actor: User, *, code: str, name: str, handles: str, active: bool,
             create: bool) -> Opd:
    name = (name or "").strip()
    if not name or len(name) > 200:
        _fail("An OPD needs a name.", "name", "Between 1 and 200 characters.")
    code = _code(code.upper() if create and code else code, 32)
    opd = db.session.get(Opd, code)
    if create and opd is not None:
        _fail("That OPD code exists.", "code", "Already in use.")
    if not create and opd is None:
        raise APIError(404, "not_found", "No such OPD.")
    before = {} if create else {"name": opd.name, "handles": opd.handles, "active": opd.active}
    if create:
        opd = Opd(code=code)
        db.session.add(opd)
    opd.name, opd.handles, opd.active = name, (handles or "").strip(), active
    changes = _diff(before, {"name": opd.name, "handles": opd.handles, "active": opd.active})
    if changes:
        record(actor, "opd.create" if create else "opd.update", "opd", code, changes)
    db.session.commit()
    return opd


def save_category(actor: User, *, code: str, name: str, default_opd_code: str | None,
                  sla_hours: int, sla_24x7: bool, active: bool, create: bool) -> Category:
    name = (name or "").strip()
    if not name or len(name) > 200:
        _fail("A category needs a name.", "name", "Between 1 and 200 characters.")
    if not isinstance(sla_hours, int) or not 1 <= sla_hours <= 24 * 365:
        _fail("SLA hours are a whole number.", "sla_hours", "Between 1 and 8760.")
    if default_opd_code and db.session.get(Opd, default_opd_code) is None:
        _fail("Unknown OPD.", "opd", "Unknown OPD code.")
    code = _code(code.lower() if create and code else code, 48)
    category = db.session.get(Category, code)
    if create and category is not None:
        _fail("That category code exists.", "code", "Already in use.")
    if not create and category is None:
        raise APIError(404, "not_found", "No such category.")
    fields = ("name", "default_opd_code", "sla_hours", "sla_24x7", "active")
    before = {} if create else {f: getattr(category, f) for f in fields}
    if create:
        category = Category(code=code)
        db.session.add(category)
    category.name, category.default_opd_code = name, default_opd_code or None
    category.sla_hours, category.sla_24x7, category.active = sla_hours, sla_24x7, active
    changes = _diff(before, {f: getattr(category, f) for f in fields})
    if changes:
        record(actor, "category.create" if create else "category.update", "category", code,
               changes)
    db.session.commit()
    return category


# -- API keys ----------------------------------------------------------------------------------

def issue_api_key(actor: User, name: str) -> api_keys.IssuedKey:
    issued = api_keys.create_api_key(name)
    record(actor, "api_key.create", "api_key", issued.api_key.key_prefix,
           {"name": [None, issued.api_key.name]})
    db.session.commit()
    return issued


def revoke_api_key(actor: User, key_id: int) -> ApiKey:
    row = db.session.get(ApiKey, key_id)
    if row is None:
        raise APIError(404, "not_found", "No such API key.")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        record(actor, "api_key.revoke", "api_key", row.key_prefix, {"name": [row.name, row.name],
                                                                   "revoked": [False, True]})
        db.session.commit()
    return row


# -- tokens ------------------------------------------------------------------------------------

def revoke_user_tokens(actor: User, user_id: int | None = None) -> User:
    """End every token of a user (`POST /api/v1/auth/revoke`): one's own, whatever the role, or
    anyone's for an admin. The token in use dies too. Audited in the same transaction."""
    target = actor if user_id is None else db.session.get(User, user_id)
    if target is None:
        raise APIError(404, "not_found", "No such user.")
    if target.id != actor.id and actor.role != "admin":
        raise APIError(403, "forbidden", "Only an admin may revoke another user's tokens.")
    record(actor, "user.revoke_tokens", "user", target.username,
           {"tokens": ["valid", "revoked"]})
    accounts.revoke_tokens(target)  # commits the entry with the new token version
    return target
