"""The ticket lifecycle: one state-machine table, and the service that applies it.

`TRANSITIONS` is the single source of truth (status × action → next status, allowed roles): the
service enforces it, `docs_table()` renders it for the API docs and the tests generate their
role × action matrix from it. Every change appends a TicketEvent in the same transaction and is
published after commit; nothing is ever deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy import select

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.models import STATUSES, Category, Ticket, TicketEvent, User
from ticketing.models.tickets import KINDS
from ticketing.roles import (
    CITIZEN,
    COMMAND_CENTRE_ROLES,
    OBJECTION_ROLES,
    OPD_ROLES,
    OPD_SCOPED_ROLES,
    PPID_ROLES,
    SYSTEM,
    WORK_ROLES,
)
from ticketing.services import kind_states, kinds, sla
from ticketing.services.events import isoformat, record_event
from ticketing.services.regions import can_see_region, find_category, find_opd

# Who may act (ticketing/roles.py). `citizen` acts through a tracking token or their channel,
# `system` is the router and the sweeps.
COMMAND_CENTRE = frozenset(COMMAND_CENTRE_ROLES)
OPD_STAFF = frozenset(OPD_ROLES)
ALL_STAFF = frozenset(WORK_ROLES)
PPID_STAFF = frozenset(PPID_ROLES)
OBJECTION_STAFF = frozenset(OBJECTION_ROLES)
ROLE_CITIZEN, ROLE_SYSTEM = CITIZEN, SYSTEM
# An outside body (PLN, BPJN, …) acting through the signed link of its hand-off e-mail.
ROLE_EXTERNAL = "external"

REJECT_REASONS = ("spam", "duplicate")
DEFAULT_SLA_HOURS = 72  # a ticket disposed without a category ("lainnya")


@dataclass(frozen=True)
class Transition:
    to_status: str
    roles: frozenset[str]


def _t(to_status: str, *roles: frozenset[str] | str) -> Transition:
    allowed: set[str] = set()
    for role in roles:
        allowed |= {role} if isinstance(role, str) else set(role)
    return Transition(to_status, frozenset(allowed))


TRANSITIONS: dict[tuple[str, str], Transition] = {
    # The router (services/routing.py) assigns a new ticket it is sure of, or leaves it to triage.
    ("received", "route"): _t("assigned", ROLE_SYSTEM),
    ("received", "route_to_triage"): _t("triage", ROLE_SYSTEM),
    # The command centre sends a ticket to an OPD (again, after a return or a misroute).
    ("received", "dispose"): _t("assigned", COMMAND_CENTRE),
    ("triage", "dispose"): _t("assigned", COMMAND_CENTRE),
    ("assigned", "dispose"): _t("assigned", COMMAND_CENTRE),
    # The OPD takes it on, or says "bukan kewenangan" and hands it back to triage.
    ("assigned", "accept"): _t("in_progress", OPD_STAFF),
    ("assigned", "return"): _t("triage", OPD_STAFF),
    ("in_progress", "return"): _t("triage", OPD_STAFF),
    ("in_progress", "resolve"): _t("resolved", OPD_STAFF),
    # After resolution: the citizen rates it or reopens it within the window; else it closes.
    ("resolved", "feedback"): _t("resolved", ROLE_CITIZEN),
    ("resolved", "reopen"): _t("assigned", COMMAND_CENTRE, ROLE_CITIZEN),
    ("resolved", "close"): _t("closed", COMMAND_CENTRE, ROLE_SYSTEM),
    # Spam and duplicates end before an OPD works on them.
    ("received", "reject"): _t("rejected", COMMAND_CENTRE),
    ("triage", "reject"): _t("rejected", COMMAND_CENTRE),
    ("assigned", "reject"): _t("rejected", COMMAND_CENTRE),
    # Kinds and states (issue #17; services/kind_states.py). Waiting on the citizen
    # or on scheduled work: the SLA clock stands still until resumed.
    ("in_progress", "hold"): _t("on_hold", OPD_STAFF),
    # The worker resumes it by itself when the hold's `until` passes (services/sla_sweep.py).
    ("on_hold", "resume"): _t("in_progress", OPD_STAFF, ROLE_SYSTEM),
    # Closed without a fix, with a reason code (a duplicate, out of the city's authority, …).
    ("triage", "close_unresolved"): _t("closed_unresolved", COMMAND_CENTRE),
    ("assigned", "close_unresolved"): _t("closed_unresolved", COMMAND_CENTRE, OPD_STAFF),
    ("in_progress", "close_unresolved"): _t("closed_unresolved", COMMAND_CENTRE, OPD_STAFF),
    ("on_hold", "close_unresolved"): _t("closed_unresolved", COMMAND_CENTRE, OPD_STAFF),
    # An aspirasi is answered, not fixed.
    ("assigned", "answer"): _t("resolved", OPD_STAFF),
    ("in_progress", "answer"): _t("resolved", OPD_STAFF),
    # An information request: the PPID decides (once extending the deadline); the requester may
    # object (keberatan) after an answer or a missed deadline; the atasan PPID decides that.
    ("assigned", "extend"): _t("assigned", PPID_STAFF),
    ("in_progress", "extend"): _t("in_progress", PPID_STAFF),
    ("assigned", "decide"): _t("resolved", PPID_STAFF),
    ("in_progress", "decide"): _t("resolved", PPID_STAFF),
    ("assigned", "object"): _t("objection", ROLE_CITIZEN),
    ("in_progress", "object"): _t("objection", ROLE_CITIZEN),
    ("resolved", "object"): _t("objection", ROLE_CITIZEN),
    ("closed", "object"): _t("objection", ROLE_CITIZEN),
    ("objection", "decide"): _t("resolved", OBJECTION_STAFF),
    # Outside bodies (services/handoffs.py): the command centre hands a ticket to one; the body
    # acknowledges, updates and finishes it through its signed link, or the command centre takes
    # it back to triage.
    ("received", "forward_external"): _t("external", COMMAND_CENTRE),
    ("triage", "forward_external"): _t("external", COMMAND_CENTRE),
    ("assigned", "forward_external"): _t("external", COMMAND_CENTRE),
    ("in_progress", "forward_external"): _t("external", COMMAND_CENTRE),
    ("external", "external_ack"): _t("external", ROLE_EXTERNAL),
    ("external", "external_update"): _t("external", ROLE_EXTERNAL),
    ("external", "external_done"): _t("resolved", ROLE_EXTERNAL),
    ("external", "recall_external"): _t("triage", COMMAND_CENTRE),
    # To the region holding the authority (issue #16, services/transfers.py): its triage, or
    # `assigned` at once when `opd` names its agency; the receiver sends it back the same way.
    ("triage", "transfer"): _t("triage", COMMAND_CENTRE),
    ("assigned", "transfer"): _t("triage", COMMAND_CENTRE),
    ("in_progress", "transfer"): _t("triage", COMMAND_CENTRE),
    # Notes never change the status, and history stays writable after the end.
    **{(status, "comment"): _t(status, ALL_STAFF) for status in STATUSES},
}

ACTIONS: tuple[str, ...] = tuple(dict.fromkeys(action for _, action in TRANSITIONS))
# The actions a staff member sends to POST /tickets/<n>/actions (feedback is the citizen's).
STAFF_ACTIONS = ("dispose", "accept", "return", "resolve", "close", "reopen", "reject", "comment")
STAFF_ACTIONS += ("forward_external", "recall_external")  # services/handoffs.py carries them out
STAFF_ACTIONS += ("hold", "resume", "close_unresolved", "answer", "extend", "decide")  # issue #17
NOTE_REQUIRED = frozenset({"return", "resolve", "comment"})
NOTE_REQUIRED |= {"hold", "answer", "extend", "decide", "object"}
# Actions that belong to some kinds only (issue #17); every other action works for every kind.
KIND_ACTIONS: dict[str, tuple[str, ...]] = {
    "resolve": ("pengaduan",),
    "reopen": ("pengaduan", "aspirasi"),
    "hold": ("pengaduan", "aspirasi"),
    "answer": ("aspirasi",),
    "extend": ("informasi",),
    "decide": ("informasi",),
    "object": ("informasi",),
}
STAFF_ACTIONS += ("transfer",)  # issue #16: services/transfers.py carries it out
NOTE_REQUIRED |= {"transfer"}
# Citizens are told by default what the OPD did to solve their problem.
PUBLIC_BY_DEFAULT = frozenset({"resolve"})
PUBLIC_BY_DEFAULT |= {"hold", "resume", "close_unresolved", "answer", "extend", "decide", "object"}


def roles_for(action: str) -> frozenset[str]:
    """Every role that may take `action` in some status."""
    roles: set[str] = set()
    for (_, name), transition in TRANSITIONS.items():
        if name == action:
            roles |= transition.roles
    return frozenset(roles)


def kind_allows(kind: str | None, action: str) -> bool:
    """Whether `action` applies to a ticket of `kind` (KIND_ACTIONS; unlisted: every kind)."""
    kind = kind or "pengaduan"
    return kind in KIND_ACTIONS.get(action, (kind,))


def actions_for(role: str, status: str, kind: str | None = None) -> list[str]:
    """What `role` may do to a ticket in `status` (of `kind`) now (the console's buttons)."""
    return [
        action
        for (state, action), transition in TRANSITIONS.items()
        if state == status and role in transition.roles and kind_allows(kind, action)
    ]


def docs_table() -> list[dict]:
    """The table as rows for the API docs."""
    return [
        {
            "from": status,
            "action": action,
            "to": t.to_status,
            "roles": sorted(t.roles),
            "kinds": list(KIND_ACTIONS.get(action, KINDS)),
        }
        for (status, action), t in TRANSITIONS.items()
    ]


def markdown_table() -> str:
    """The table as Markdown, for README/API docs (`python -c` it or serve it from /docs)."""
    lines = ["| from | action | to | roles |", "|---|---|---|---|"]
    lines += [
        f"| {row['from']} | {row['action']} | {row['to']} | {', '.join(row['roles'])} |"
        for row in docs_table()
    ]
    return "\n".join(lines)


def check_transition(role: str, status: str, action: str) -> Transition:
    """The transition `role` may take, or the documented error: 403 for a role that never may,
    409 `invalid_transition` for a status that does not allow it, 403 when it does for others."""
    if action not in ACTIONS:
        raise APIError(
            422,
            "invalid_fields",
            catalogue.text("error.action_unknown"),
            {"action": [catalogue.text("field.one_of", choices=", ".join(STAFF_ACTIONS))]},
        )
    if role not in roles_for(action):
        raise APIError(403, "forbidden", catalogue.text("error.action_forbidden", action=action))
    transition = TRANSITIONS.get((status, action))
    if transition is None:
        raise APIError(
            409,
            "invalid_transition",
            catalogue.text(
                "error.action_invalid_now", action=action, status=catalogue.text(f"status.{status}")
            ),
        )
    if role not in transition.roles:
        raise APIError(403, "forbidden", catalogue.text("error.action_forbidden", action=action))
    return transition


def check_kind(ticket: Ticket, action: str) -> None:
    """409 `invalid_transition` for an action another kind of report takes (KIND_ACTIONS)."""
    if not kind_allows(ticket.kind, action):
        kind_name = catalogue.text(f"kind.{ticket.kind}")
        raise staff_error(409, "invalid_transition", "error.kind_action", action=action, kind=kind_name)


def officer_may_see(user: User | None, ticket: Ticket) -> bool:
    """Whether staff `user` may see `ticket`: an officer its own (region, OPD)'s only, others
    their visible regions' (services/regions.py); no user is the system or a citizen."""
    if user is None:
        return True
    if user.role in OPD_SCOPED_ROLES:
        return ticket.region_code == user.region_code and ticket.opd_code == user.opd_code
    return can_see_region(user, ticket.region_code)


def auto_close_working_days() -> int:
    if has_app_context():
        return int(current_app.config.get("AUTO_CLOSE_WORKING_DAYS", 10))
    return 10


def reopen_deadline(ticket: Ticket):
    return sla.add_working_days(ticket.resolved_at, auto_close_working_days())


def lock_ticket(ticket: Ticket) -> None:
    """Re-read the row under a lock: two officers pressing `accept` at once get one success.
    Public for the services that take a transition of their own (transfers, the hold sweep)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.refresh(ticket, with_for_update=True)
    else:
        db.session.refresh(ticket)


def start_sla(ticket: Ticket, category: Category | None, start) -> None:
    """A fresh SLA window from `start`: deadline, 75% reminder point, no notification sent yet.

    A deadline already missed stays recorded in `sla_breached_at`: a new window (reassignment,
    reopening) must not make a late ticket count as on time."""
    record_breach(ticket, ticket.resolved_at or start)
    if kinds.start_kind_clock(ticket):  # an aspirasi has no deadline, a request the statutory one
        return
    hours = category.sla_hours if category else DEFAULT_SLA_HOURS
    round_the_clock = bool(category and category.sla_24x7)
    ticket.sla_due_at = sla.due_at(start, hours, round_the_clock)
    ticket.sla_remind_at = sla.due_at(start, hours * 0.75, round_the_clock)
    ticket.reminded_at = ticket.escalated_at = None
    ticket.overdue = False


def record_breach(ticket: Ticket, moment) -> None:
    """Stamp the first missed deadline: flagged overdue, or `moment` (a resolution, a new
    window) came after it."""
    due = ticket.sla_due_at
    if due is not None and ticket.sla_breached_at is None and (ticket.overdue or moment > due):
        ticket.sla_breached_at = due


def staff_error(status: int, code: str, text_key: str, field: str | None = None, **values) -> APIError:
    """An APIError in the catalogue's words (`text_key`), also under `field` when one field is
    at fault; the console shows `text_key`'s text as it is, without a field list."""
    message = catalogue.text(text_key, **values)
    error = APIError(status, code, message, {field: [message]} if field else None)
    error.text_key, error.text_values = text_key, values
    return error


def require_note(action: str, note: str | None) -> str | None:
    """The note stripped (None when empty), or 422 when `action` is in NOTE_REQUIRED."""
    note = note.strip() if isinstance(note, str) else None
    if action in NOTE_REQUIRED and not note:
        raise APIError(
            422,
            "invalid_fields",
            catalogue.text("error.note_required"),
            {"note": [catalogue.text("field.required")]},
        )
    return note or None


def dispose_category(ticket: Ticket, opd_code: str, category_code: str | None) -> Category | None:
    """The category a dispose to `opd_code` leaves the ticket with, and so its SLA.

    The one rule for the API and the console alike: the category named; else the current
    category if it belongs to that OPD; else the router's suggested category for that OPD;
    else the OPD's only category; else none (the uncategorised default SLA). Keeping the old
    OPD's category would keep the old OPD's deadline too."""
    if category_code is not None:
        category = find_category(ticket.region_code, category_code)
        if category is None:
            raise APIError(
                422,
                "invalid_fields",
                catalogue.text("error.unknown_category"),
                {"category": [catalogue.text("error.unknown_category_field")]},
            )
        return category
    current = find_category(ticket.region_code, ticket.category_code)
    if current is not None and current.default_opd_code in (None, opd_code):
        return current
    routed = db.session.scalar(
        select(TicketEvent)
        .where(TicketEvent.ticket_id == ticket.id, TicketEvent.type == "ticket.routed")
        .order_by(TicketEvent.id.desc())
        .limit(1)
    )
    for candidate in ((routed.data or {}).get("candidates") or []) if routed else []:
        if (
            isinstance(candidate, dict)
            and candidate.get("opd") == opd_code
            and isinstance(candidate.get("category"), str)
        ):
            suggested = find_category(ticket.region_code, candidate["category"])
            if suggested is not None and suggested.active:
                return suggested
    owned = list(
        db.session.scalars(
            select(Category)
            .where(
                Category.region_code == ticket.region_code,
                Category.default_opd_code == opd_code,
                Category.active.is_(True),
            )
            .limit(2)
        )
    )
    return owned[0] if len(owned) == 1 else None


def _dispose(ticket: Ticket, opd: str | None, category_code: str | None, note: str | None, now) -> dict:
    target = find_opd(ticket.region_code, opd) if isinstance(opd, str) else None
    if target is None or not target.active:
        raise APIError(
            422,
            "invalid_fields",
            catalogue.text("error.dispose_needs_opd"),
            {"opd": [catalogue.text("error.dispose_needs_opd_field")]},
        )
    if target.code == ticket.opd_code:
        # A "reassignment" to the same OPD would only restart the deadline of a late ticket.
        raise staff_error(409, "invalid_transition", "error.dispose_same_opd", opd=target.code)
    if ticket.opd_code is not None and note is None:
        raise staff_error(422, "invalid_fields", "error.reassign_note_required", "note")
    category = dispose_category(ticket, target.code, category_code)
    previous, previous_category = ticket.opd_code, ticket.category_code
    data = {"opd": target.code, "previous_opd": previous, "previous_category": previous_category}
    if ticket.sla_due_at is not None:
        data["previous_sla_due_at"] = isoformat(ticket.sla_due_at)
    ticket.category_code = category.code if category is not None else None
    ticket.opd_code = target.code
    ticket.assigned_at = now
    start_sla(ticket, category, now)
    data["category"] = ticket.category_code
    data["sla_breached"] = ticket.sla_breached_at is not None
    return data


def _reject(ticket: Ticket, reason: str | None, duplicate_of: str | None) -> dict:
    if reason not in REJECT_REASONS:
        raise APIError(
            422,
            "invalid_fields",
            catalogue.text("error.reject_reason"),
            {"reason": [catalogue.text("field.one_of", choices=", ".join(REJECT_REASONS))]},
        )
    data: dict = {"reason": reason}
    if reason == "duplicate":
        original = _original_of(ticket, duplicate_of)
        ticket.duplicate_of_id = original.id
        data["duplicate_of"] = original.ticket_number
    ticket.rejection_reason = reason
    return data


def _original_of(ticket: Ticket, duplicate_of: str | None) -> Ticket:
    """The ticket a duplicate follows, or a 422 that says which of three things went wrong."""
    from ticketing.services.intake import find_ticket

    typed = duplicate_of.strip() if isinstance(duplicate_of, str) else ""
    if not typed:
        raise staff_error(422, "invalid_fields", "error.duplicate_of_missing", "duplicate_of")
    original = find_ticket(typed)
    if original is None:
        raise staff_error(422, "invalid_fields", "error.duplicate_of_unknown", "duplicate_of", number=typed)
    # Point at the root so a chain of duplicates all follow the one ticket being worked on.
    seen = {ticket.id}
    while original.id not in seen and original.duplicate_of_id:
        seen.add(original.id)
        original = db.session.get(Ticket, original.duplicate_of_id)
    if original.id in seen:
        raise staff_error(422, "invalid_fields", "error.duplicate_of_self", "duplicate_of", number=typed)
    return original


def apply_action(
    ticket: Ticket,
    user: User | None,
    action: str,
    opd: str | None = None,
    note: str | None = None,
    public: bool | None = None,
    reason: str | None = None,
    duplicate_of: str | None = None,
    *,
    category: str | None = None,
    actor_role: str | None = None,
    actor_label: str | None = None,
    now: datetime | None = None,
    region: str | None = None,
    body: str | None = None,
    details: dict | None = None,
) -> Ticket:
    """Take `action` on `ticket` as `user` (or, with no user, as `actor_role` citizen/system).

    Commits, then publishes the event. Raises APIError 404/403/409/422 as API.md documents.
    """
    role = user.role if user is not None else (actor_role or ROLE_SYSTEM)
    if not officer_may_see(user, ticket):  # cheap early answer; decided again under the lock
        from ticketing.services.transfer_views import refuse_if_transferred_away

        refuse_if_transferred_away(user, ticket)  # 403 for staff of the region it left
        raise APIError(404, "not_found", catalogue.text("error.ticket_not_found"))
    if action == "transfer":
        from ticketing.services.transfers import transfer

        return transfer(
            ticket, user, region=region, opd=opd, category=category, note=note, actor_label=actor_label
        )
    if action in ("forward_external", "recall_external"):
        from ticketing.services.handoffs import apply_staff_action

        return apply_staff_action(ticket, user, action, body=body, note=note, now=now or sla.now())
    try:
        return _apply(
            ticket,
            user,
            role,
            action,
            opd=opd,
            note=note,
            public=public,
            reason=reason,
            duplicate_of=duplicate_of,
            category=category,
            actor_label=actor_label,
            now=now or sla.now(),
            details=details or {},
        )
    except APIError:
        db.session.rollback()  # drop half-made changes and the row lock
        raise


def _reopen(ticket: Ticket, now) -> dict:
    if now > reopen_deadline(ticket):
        raise APIError(409, "invalid_transition", catalogue.text("error.reopen_window_passed"))
    category = find_category(ticket.region_code, ticket.category_code)
    # The first round's deadline and resolution stay in the history beside the new window.
    data = {
        "previous_sla_due_at": isoformat(ticket.sla_due_at),
        "previous_resolved_at": isoformat(ticket.resolved_at),
    }
    ticket.reopen_count += 1
    ticket.reopened_at = ticket.assigned_at = now
    start_sla(ticket, category, now)
    ticket.resolved_at = None
    data["sla_breached"] = ticket.sla_breached_at is not None
    return data


def _apply(
    ticket,
    user,
    role,
    action,
    # Keyword-only: several of these are `str | None` side by side, so a positional slip
    # (reason for duplicate_of, opd for category) would pass silently.
    *,
    opd,
    note,
    public,
    reason,
    duplicate_of,
    category,
    actor_label,
    now: datetime,
    details: dict | None = None,
) -> Ticket:
    lock_ticket(ticket)
    # The row as it is now: a reassignment that committed after the caller read the ticket
    # must not let the old OPD's officer act on it.
    if not officer_may_see(user, ticket):
        raise APIError(404, "not_found", catalogue.text("error.ticket_not_found"))
    transition = check_transition(role, ticket.status, action)
    check_kind(ticket, action)
    note = require_note(action, note)
    from_status = ticket.status
    details = details or {}
    # Issue #17's actions (hold, resume, close_unresolved, answer, the PPID's) in their module.
    data, note = (
        kind_states.apply(ticket, user, action, note, reason, details, now)
        if action in kind_states.ACTIONS
        else ({}, note)
    )

    if action == "dispose":
        kind_change = kinds.set_kind(ticket, details["kind"]) if details.get("kind") else {}
        data = {**_dispose(ticket, opd, category, note, now), **kind_change}
    elif action == "accept":
        ticket.accepted_at = ticket.accepted_at or now
    elif action == "return":
        data = {"returned_by_opd": ticket.opd_code}
        ticket.return_count += 1
        ticket.flagged_for_supervisor = ticket.flagged_for_supervisor or ticket.return_count >= 2
        data["flagged_for_supervisor"] = ticket.flagged_for_supervisor
        # Back to the command centre: no OPD owns it, no SLA clock runs (a missed deadline
        # stays recorded).
        record_breach(ticket, now)
        ticket.opd_code = None
        ticket.sla_due_at = ticket.sla_remind_at = None
        ticket.overdue = False
    elif action == "resolve":
        from ticketing.services.proof import resolution_proof

        # Proof of fix (issue #18): a `needs_proof` category resolves only with a photo.
        data = resolution_proof(ticket, details)
        ticket.resolved_at = now
        record_breach(ticket, now)
    elif action == "reopen":
        data = _reopen(ticket, now)
    elif action == "close":
        ticket.closed_at = now
    elif action == "reject":
        data = _reject(ticket, reason, duplicate_of)
        if note is None:
            # The reason in words, for the history and for the citizen's tracking page.
            note = (
                catalogue.text("event.rejected_duplicate", original=data["duplicate_of"])
                if reason == "duplicate"
                else catalogue.text("event.rejected_spam")
            )
            public = True if public is None else public
    elif action == "feedback":
        raise APIError(409, "invalid_transition", catalogue.text("error.feedback_elsewhere"))

    ticket.status = transition.to_status
    if public is None:
        public = action in PUBLIC_BY_DEFAULT
    # A status change without a note tells the citizen nothing private, so it is always shown.
    shown = bool(public) or (note is None and transition.to_status != from_status)
    record_event(
        ticket,
        type="ticket.updated",
        action=action,
        actor=user,
        actor_label=actor_label or role,
        from_status=from_status,
        note=note,
        public=shown,
        data=data,
    )
    db.session.commit()
    _after_commit(ticket, action, data)
    return ticket


def _after_commit(ticket: Ticket, action: str, data: dict) -> None:
    """What needs the new event's id, which exists only once committed: the resolve's photo."""
    if action == "resolve" and data.get("photo"):
        from ticketing.services.proof import attach_resolution_photo

        attach_resolution_photo(ticket, data["photo"])


def reopen_by_citizen(ticket: Ticket, note: str | None = None, channel: str = "web") -> Ticket:
    """The citizen says it is not solved: back to the same OPD while the window is open."""
    return apply_action(
        ticket,
        None,
        "reopen",
        note=note,
        public=True,
        actor_role=ROLE_CITIZEN,
        actor_label=f"citizen:{channel}",
    )


def record_feedback(ticket: Ticket, rating: int, comment: str | None, channel: str) -> Ticket:
    """Store the citizen's rating (1..5) of a resolved ticket, once per resolution.

    422 for a rating outside 1..5, 409 `invalid_transition` when the ticket is not resolved,
    409 `already_rated` for a second rating of the same resolution.
    """
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise APIError(
            422,
            "invalid_fields",
            catalogue.text("error.rating_range"),
            {"rating": [catalogue.text("field.range", min=1, max=5)]},
        )
    lock_ticket(ticket)
    try:
        check_transition(ROLE_CITIZEN, ticket.status, "feedback")
        if (
            ticket.feedback_at is not None
            and ticket.resolved_at is not None
            and ticket.feedback_at >= ticket.resolved_at
        ):
            raise APIError(409, "already_rated", catalogue.text("error.already_rated"))
    except APIError:
        db.session.rollback()
        raise
    comment = comment.strip()[:2000] if isinstance(comment, str) and comment.strip() else None
    ticket.feedback_rating = rating
    ticket.feedback_comment = comment
    ticket.feedback_at = sla.now()
    ticket.feedback_channel = channel
    record_event(
        ticket,
        type="ticket.updated",
        action="feedback",
        actor_label=f"citizen:{channel}",
        from_status=ticket.status,
        note=catalogue.text("event.feedback", rating=rating),
        public=True,
        data={"rating": rating, "comment": comment, "channel": channel},
    )
    db.session.commit()
    return ticket


def subscribers_of(ticket: Ticket) -> list[Ticket]:
    """Tickets whose reporters follow `ticket`'s updates: the duplicates rejected onto it."""
    return list(
        db.session.scalars(select(Ticket).where(Ticket.duplicate_of_id == ticket.id).order_by(Ticket.id))
    )


def history(ticket: Ticket) -> list[TicketEvent]:
    return list(
        db.session.scalars(
            select(TicketEvent).where(TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.id)
        )
    )
