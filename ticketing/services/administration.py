"""Admin changes to users, OPDs, categories and API keys, each with its audit entry.

Every function here writes the change and its `AuditEntry` in one transaction where the
underlying service lets us (accounts take `commit=False`); API keys are issued by their own
service, which commits, so their entry follows in a second, immediate commit.
"""

from __future__ import annotations

import re

from sqlalchemy import or_, select

from ticketing import catalogue, formatting
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.models import ApiKey, AuditEntry, Category, Opd, Region, Ticket, TicketEvent, User
from ticketing.models.base import utcnow
from ticketing.roles import ADMIN
from ticketing.services import accounts, api_keys, sla
from ticketing.services.regions import (
    can_see_region,
    default_region_code,
    find_category,
    find_opd,
    get_region,
    in_visible_regions,
    list_regions,
    visible_region_codes,
)

# Letters, digits, dot, underscore, hyphen: typed at every login (on phones too), so no spaces.
USERNAME = re.compile(r"[A-Za-z0-9._-]{1,64}")
SECRET = "(diubah)"  # how a changed password appears in the log: never its value


def record(
    actor: User | None,
    action: str,
    target_type: str,
    target_id,
    changes: dict,
    actor_label: str | None = None,
    region_code: str | None = None,
) -> AuditEntry:
    """Add one entry to the current transaction; the caller commits. `actor_label` names an
    actor without an account (`cli:create-user`); otherwise the actor's username or `system`.
    `region_code` is the region the change concerns (the account, agency or key changed);
    default: the actor's, else `DEFAULT_REGION`. Its admins read it (`activity`, `recent`)."""
    entry = AuditEntry(
        region_code=region_code or getattr(actor, "region_code", None) or default_region_code(),
        actor_user_id=actor.id if actor else None,
        actor_label=actor_label or (actor.username if actor else "system"),
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        changes=changes,
    )
    db.session.add(entry)
    return entry


def recent(limit: int = 200, target_type: str | None = None, account=None) -> list[AuditEntry]:
    """The newest entries (of one target type), of the regions `account` sees when given."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if account is not None:
        query = query.where(in_visible_regions(AuditEntry.region_code, account))
    if target_type:
        query = query.where(AuditEntry.target_type == target_type)
    return list(db.session.scalars(query))


# The audit page's kinds: admin changes by their action's prefix, sign-ins, ticket actions.
ACTIVITY_KINDS = {
    "akun": "user.",
    "masuk": "auth.",
    "opd": "opd.",
    "kategori": "category.",
    "kunci": "api_key.",
    "tiket": None,
}


def activity(
    username: str | None = None, kind: str | None = None, limit: int = 300, account=None
) -> list[dict]:
    """The newest admin changes, sign-ins and staff ticket actions, merged newest first,
    optionally of one user (`username`) and one kind (a key of ACTIVITY_KINDS). With `account`
    (an admin): the entries of its regions, and the ticket actions on its regions' tickets or
    by its regions' staff (a ticket transferred away keeps who transferred it)."""
    rows: list[dict] = []
    codes = visible_region_codes(account) if account is not None else None
    if kind != "tiket":
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if codes is not None:
            query = query.where(in_visible_regions(AuditEntry.region_code, account, codes))
        if username:
            query = query.where(AuditEntry.actor_label == username)
        if kind in ACTIVITY_KINDS:
            query = query.where(AuditEntry.action.startswith(ACTIVITY_KINDS[kind]))
        rows += [
            {
                "at": e.at,
                "actor": e.actor_label,
                "action": e.action,
                "target_type": e.target_type,
                "target_id": e.target_id,
                "changes": e.changes or {},
                "ticket_number": None,
            }
            for e in db.session.scalars(query)
        ]
    if kind in (None, "", "tiket"):
        query = (
            select(TicketEvent, Ticket.ticket_number)
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .where(TicketEvent.actor_user_id.is_not(None))
            .order_by(TicketEvent.id.desc())
            .limit(limit)
        )
        if codes is not None:
            staff = select(User.id).where(in_visible_regions(User.region_code, account, codes))
            query = query.where(
                or_(
                    in_visible_regions(Ticket.region_code, account, codes),
                    TicketEvent.actor_user_id.in_(staff),
                )
            )
        if username:
            query = query.where(TicketEvent.actor_label == username)
        rows += [
            {
                "at": event.created_at,
                "actor": event.actor_label,
                "action": event.action,
                "target_type": "ticket",
                "target_id": number,
                "to_status": event.to_status,
                "changes": {},
                "ticket_number": number,
            }
            for event, number in db.session.execute(query)
        ]
    rows.sort(key=lambda row: row["at"], reverse=True)
    db.session.rollback()  # end the read transaction
    return rows[:limit]


def staff_usernames(account=None) -> list[str]:
    """Every account's name, or those of the regions `account` (an admin) sees."""
    query = select(User.username).order_by(User.username)
    if account is not None:
        query = query.where(in_visible_regions(User.region_code, account))
    return list(db.session.scalars(query))


def _diff(before: dict, after: dict) -> dict:
    return {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}


def _fail(message: str, field: str, detail: str):
    raise APIError(422, "invalid_fields", message, {field: [detail]})


# -- users -------------------------------------------------------------------------------------


def list_users(actor: User | None = None) -> list[User]:
    """The accounts `actor` administers: those of its visible regions (None: every account)."""
    query = select(User).order_by(User.role, User.username)
    if actor is not None:
        query = query.where(User.region_code.in_(visible_region_codes(actor)))
    return list(db.session.scalars(query))


def admin_regions(actor: User) -> list[Region]:
    """The regions an admin may put accounts in: its own and, for a province, its cities."""
    codes = visible_region_codes(actor)
    return [region for region in list_regions() if region.code in codes]


def _account_region(actor: User | None, region_code: str | None) -> str | None:
    """The region asked for, checked against the admin's (the CLI, no actor, may name any)."""
    if not region_code:
        return actor.region_code if actor is not None else None
    if get_region(region_code) is None or (actor is not None and not can_see_region(actor, region_code)):
        _fail(catalogue.text("admin.region_unknown"), "region", catalogue.text("admin.region_unknown"))
    return region_code


def add_user(
    actor: User | None,
    *,
    username: str,
    password: str,
    role: str,
    opd_code: str | None,
    actor_label: str | None = None,
    region_code: str | None = None,
) -> User:
    """A new account in `region_code` (default: the admin's region; from the CLI: DEFAULT_REGION)."""
    username = (username or "").strip()
    if not USERNAME.fullmatch(username):  # typed at every login, on phones too: no spaces
        _fail(catalogue.text("admin.username_invalid"), "username", catalogue.text("admin.username_rule"))
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        _fail(
            catalogue.text("admin.username_taken", username=username),
            "username",
            catalogue.text("admin.in_use"),
        )
    try:
        user = accounts.create_user(
            username=username,
            password=password,
            role=role,
            opd_code=opd_code or None,
            region_code=_account_region(actor, region_code),
            commit=False,
        )
        db.session.flush()
        record(
            actor,
            "user.create",
            "user",
            user.username,
            {
                "role": [None, user.role],
                "region": [None, user.region_code],
                "opd": [None, user.opd_code],
                "password": SECRET,
            },
            actor_label,
            region_code=user.region_code,
        )
        db.session.commit()
    except APIError:
        db.session.rollback()
        raise
    return user


def edit_user(
    actor: User | None,
    user_id: int,
    *,
    role: str,
    opd_code: str | None,
    active: bool,
    password: str | None,
    actor_label: str | None = None,
    region_code: str | None = None,
) -> User:
    """Change an account; `region_code` None keeps its region. An admin edits accounts of its
    own regions only (another region's is 404, as if it did not exist)."""
    user = db.session.get(User, user_id)
    if user is None or (actor is not None and not can_see_region(actor, user.region_code)):
        raise APIError(404, "not_found", catalogue.text("error.user_not_found"))
    region_code = _account_region(actor, region_code) if region_code else None
    if actor is not None and user.id == actor.id and (role != user.role or not active):
        # An admin locking themselves out leaves the city with nobody to fix it.
        _fail(catalogue.text("admin.not_yourself"), "role", catalogue.text("admin.ask_another_admin"))
    before = {"role": user.role, "region": user.region_code, "opd": user.opd_code, "active": user.active}
    try:
        accounts.update_user(
            user,
            role=role,
            opd_code=opd_code or None,
            active=active,
            password=password or None,
            region_code=region_code,
            commit=False,
        )
        after = {"role": user.role, "region": user.region_code, "opd": user.opd_code, "active": user.active}
        changes = _diff(before, after)
        if password:
            changes["password"] = SECRET
        if changes:
            record(actor, "user.update", "user", user.username, changes, actor_label, user.region_code)
        db.session.commit()
    except APIError:
        db.session.rollback()
        raise
    return user


def create_or_reset_user(
    *,
    username: str,
    password: str,
    role: str,
    opd_code: str | None,
    actor_label: str,
    region_code: str | None = None,
) -> User:
    """`flask create-user`, run on the server by someone without an account here: a new user
    is added as the console adds one; an existing one gets the password, role and OPD given and
    is active again, as an admin's edit in the console would do. Audited the same way."""
    existing = db.session.scalar(select(User.id).where(User.username == (username or "").strip()))
    if existing is None:
        return add_user(
            None,
            username=username,
            password=password,
            role=role,
            opd_code=opd_code,
            actor_label=actor_label,
            region_code=region_code,
        )
    return edit_user(
        None,
        existing,
        role=role,
        opd_code=opd_code,
        active=True,
        password=password,
        actor_label=actor_label,
        region_code=region_code,
    )


# -- OPDs and categories -----------------------------------------------------------------------


def all_opds(region_code: str | None = None) -> list[Opd]:
    """The OPDs an admin of `region_code` (default: the default region) manages."""
    region_code = region_code or default_region_code()
    return list(db.session.scalars(select(Opd).where(Opd.region_code == region_code).order_by(Opd.code)))


def all_categories(region_code: str | None = None) -> list[Category]:
    region_code = region_code or default_region_code()
    return list(
        db.session.scalars(
            select(Category).where(Category.region_code == region_code).order_by(Category.code)
        )
    )


def _code(value: str, limit: int) -> str:
    code = (value or "").strip()
    if not code or len(code) > limit or not all(c.isalnum() or c in "-_" for c in code):
        _fail(
            catalogue.text("admin.code_invalid"),
            "code",
            catalogue.text("field.length_between", min=1, max=limit),
        )
    return code


def save_opd(actor: User, *, code: str, name: str, handles: str, active: bool, create: bool) -> Opd:
    name = (name or "").strip()
    if not name or len(name) > 200:
        _fail(
            catalogue.text("admin.opd_name_required"),
            "name",
            catalogue.text("field.length_between", min=1, max=200),
        )
    code = _code(code.upper() if create and code else code, 32)
    # An admin manages its own region's OPDs.
    opd = find_opd(actor.region_code, code)
    if create and opd is not None:
        _fail(catalogue.text("admin.opd_code_taken"), "code", catalogue.text("admin.in_use"))
    if not create and opd is None:
        raise APIError(404, "not_found", catalogue.text("admin.opd_unknown"))
    before = {} if create else {"name": opd.name, "handles": opd.handles, "active": opd.active}
    if create:
        opd = Opd(region_code=actor.region_code, code=code)
        db.session.add(opd)
    opd.name, opd.handles, opd.active = name, (handles or "").strip(), active
    changes = _diff(before, {"name": opd.name, "handles": opd.handles, "active": opd.active})
    if changes:
        record(actor, "opd.create" if create else "opd.update", "opd", code, changes)
    db.session.commit()
    return opd


def save_category(
    actor: User,
    *,
    code: str,
    name: str,
    default_opd_code: str | None,
    sla_hours: int,
    sla_24x7: bool,
    active: bool,
    create: bool,
) -> Category:
    name = (name or "").strip()
    if not name or len(name) > 200:
        _fail(
            catalogue.text("admin.category_name_required"),
            "name",
            catalogue.text("field.length_between", min=1, max=200),
        )
    if not isinstance(sla_hours, int) or not 1 <= sla_hours <= 24 * 365:
        _fail(
            catalogue.text("admin.sla_hours_invalid"),
            "sla_hours",
            catalogue.text("field.range", min=1, max=8760),
        )
    if default_opd_code and find_opd(actor.region_code, default_opd_code) is None:
        _fail(catalogue.text("admin.opd_unknown"), "opd", catalogue.text("admin.opd_unknown"))
    code = _code(code.lower() if create and code else code, 48)
    category = find_category(actor.region_code, code)
    if create and category is not None:
        _fail(catalogue.text("admin.category_code_taken"), "code", catalogue.text("admin.in_use"))
    if not create and category is None:
        raise APIError(404, "not_found", catalogue.text("error.unknown_category"))
    fields = ("name", "default_opd_code", "sla_hours", "sla_24x7", "active")
    before = {} if create else {f: getattr(category, f) for f in fields}
    if create:
        category = Category(region_code=actor.region_code, code=code)
        db.session.add(category)
    category.name, category.default_opd_code = name, default_opd_code or None
    category.sla_hours, category.sla_24x7, category.active = sla_hours, sla_24x7, active
    changes = _diff(before, {f: getattr(category, f) for f in fields})
    if changes:
        record(actor, "category.create" if create else "category.update", "category", code, changes)
    db.session.commit()
    return category


# -- SLA in days ------------------------------------------------------------------------------
# Admins think in days; the calendar counts hours (office hours, or every hour for 24/7
# categories). A unit says which, so "3" can never silently mean 3 office hours.
SLA_UNITS = ("hari_kerja", "hari", "jam")


def sla_hours_from(amount: float | None, unit: str) -> tuple[int, bool]:
    """(sla_hours, sla_24x7) for an amount in `unit`; refuses what is no positive duration."""
    if unit not in SLA_UNITS or amount is None or not 0 < amount <= 24 * 365:
        _fail(
            catalogue.text("admin.sla_amount_invalid"),
            "sla_amount",
            catalogue.text("field.range", min="0", max=24 * 365),
        )
    if unit == "hari_kerja":
        return max(1, round(amount * sla.calendar().workday_hours)), False
    return max(1, round(amount * (24 if unit == "hari" else 1))), True


def sla_in_days(hours: int, round_the_clock: bool) -> tuple[float, str]:
    """How a stored SLA is shown to an admin: (amount, unit)."""
    if not round_the_clock:
        return round(hours / sla.calendar().workday_hours, 2), "hari_kerja"
    return (hours // 24, "hari") if hours % 24 == 0 else (hours, "jam")


def sla_summary(hours: int, round_the_clock: bool) -> str:
    amount, unit = sla_in_days(hours, round_the_clock)
    return catalogue.text(f"sla.summary.{unit}", amount=formatting.number(amount, 2))


def sla_preview(hours: int, round_the_clock: bool, start=None) -> str:
    """The deadline a complaint filed at `start` (now) would get, in words, on the city's clock."""
    start = start or sla.now()
    due = sla.due_at(start, hours, round_the_clock)
    return catalogue.text(
        "sla.preview", start=formatting.moment_label(start), due=formatting.moment_label(due)
    )


# -- API keys ----------------------------------------------------------------------------------


def issue_api_key(actor: User, name: str) -> api_keys.IssuedKey:
    issued = api_keys.create_api_key(name, region_code=actor.region_code)
    record(
        actor, "api_key.create", "api_key", issued.api_key.key_prefix, {"name": [None, issued.api_key.name]}
    )
    db.session.commit()
    return issued


def revoke_api_key(actor: User, key_id: int) -> ApiKey:
    row = db.session.get(ApiKey, key_id)
    if row is None or not can_see_region(actor, row.region_code):  # another region's: as if none
        raise APIError(404, "not_found", catalogue.text("error.api_key_not_found"))
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        record(
            actor,
            "api_key.revoke",
            "api_key",
            row.key_prefix,
            {"name": [row.name, row.name], "revoked": [False, True]},
            region_code=row.region_code,
        )
        db.session.commit()
    return row


# -- tokens ------------------------------------------------------------------------------------


def revoke_user_tokens(actor: User, user_id: int | None = None) -> User:
    """End every token of a user (`POST /api/v1/auth/revoke`): one's own, whatever the role, or
    anyone's for an admin. The token in use dies too. Audited in the same transaction."""
    target = actor if user_id is None else db.session.get(User, user_id)
    if target is None:
        raise APIError(404, "not_found", catalogue.text("error.user_not_found"))
    if target.id != actor.id and actor.role != ADMIN:
        raise APIError(403, "forbidden", catalogue.text("error.revoke_others"))
    record(
        actor,
        "user.revoke_tokens",
        "user",
        target.username,
        {"tokens": ["valid", "revoked"]},
        region_code=target.region_code,
    )
    accounts.revoke_tokens(target)  # commits the entry with the new token version
    return target
