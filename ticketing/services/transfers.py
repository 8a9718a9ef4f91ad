"""Transfers between regions (issue #16): a ticket moves to the region that holds the authority.

`transfer {region, opd?, note}` (POST /tickets/<n>/actions, the lifecycle table's `transfer`
rows) moves a ticket from a city to its province, from the province to one of its cities, or to
a neighbouring city of the same province:

- the ticket keeps its number, its citizen, its thread and its history; only its region, OPD,
  category and SLA change. With `opd` it is assigned there at once (the category named, else the
  router's proposal for that agency, else as a dispose picks it) and the SLA restarts under that
  category; without, it waits in the receiver's triage with no clock running;
- one history event (`ticket.updated`, action `transfer`) names both sides (`from_region`,
  `to_region`, the OPDs, the operator's note); its public line and the citizen's ONE message
  name the new responsible body; screens of both regions (their walls and `/opd` rooms) hear it;
- the receiver sends it back with a `transfer` to the region it came from, the reason in `note`:
  the transfer it answers is then marked returned (`returned_at`, `return_note`);
- staff of a region a ticket left keep reading it, read-only, with its outcome (its status in
  the receiving region, its transfers): services/transfer_views.py.

Who may transfer: the command centre (operators, admins) of the region holding the ticket, and
of the province above it (a province account sees its cities' tickets).
"""

from __future__ import annotations

from sqlalchemy import select

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.models import Opd, Region, Ticket, User
from ticketing.models.transfers import TicketTransfer
from ticketing.roles import SYSTEM
from ticketing.services.events import isoformat, record_event
from ticketing.services.lifecycle import (
    check_transition,
    dispose_category,
    lock_ticket,
    officer_may_see,
    record_breach,
    require_note,
    staff_error,
    start_sla,
)
from ticketing.services.regions import find_category, find_opd, get_region

TRANSFER = "transfer"


def region_name(code: str | None) -> str:
    region = get_region(code)
    return region.name if region is not None else (code or "-")


def responsible_body(ticket: Ticket) -> str:
    """Who holds the ticket now, in words: "Dinas PU Bina Marga Provinsi (Provinsi Jawa Timur)",
    or the receiver's command centre while it waits in triage there."""
    name = region_name(ticket.region_code)
    opd = find_opd(ticket.region_code, ticket.opd_code)
    if opd is None:
        return catalogue.text("transfer.triage_of", region_name=name)
    return catalogue.text("notify.transferred_body", opd_name=opd.name, region_name=name)


def related(source: Region, target: Region) -> bool:
    """A transfer goes up to the province, down to one of its cities, or across to a city of the
    same province; never to an unrelated region."""
    return (
        source.parent_code == target.code
        or target.parent_code == source.code
        or (source.parent_code is not None and source.parent_code == target.parent_code)
    )


def _field_error(text_key: str, field: str, **values) -> APIError:
    return staff_error(422, "invalid_fields", text_key, field, **values)


def _target_region(ticket: Ticket, code: str | None) -> Region:
    if not isinstance(code, str) or not code.strip():
        raise _field_error("error.transfer_region_missing", "region")
    target = get_region(code.strip())
    if target is None:
        raise _field_error("error.unknown_region_field", "region")
    if target.code == ticket.region_code:
        raise _field_error("error.transfer_same_region", "region", region_name=target.name)
    source = get_region(ticket.region_code)
    if source is None or not related(source, target):
        raise _field_error("error.transfer_unrelated_region", "region")
    if not db.session.scalar(
        select(Opd.code).where(Opd.region_code == target.code, Opd.active.is_(True)).limit(1)
    ):
        # A region nobody works in Aduan (a single city's bare province row): the ticket would vanish.
        raise _field_error("error.transfer_region_empty", "region", region_name=target.name)
    return target


def _proposed_category(ticket: Ticket, target: Region, opd_code: str) -> str | None:
    """The category the router proposed for that agency of that region (router/authority.py),
    when the region has it: the receiving agency's category, so its SLA, without asking."""
    proposal = transfer_proposal(ticket)
    if not proposal or (proposal.get("region"), proposal.get("opd")) != (target.code, opd_code):
        return None
    category = find_category(target.code, proposal.get("category"))
    return category.code if category is not None and category.active else None


def transfer_proposal(ticket: Ticket) -> dict | None:
    """The router's proposal to transfer this ticket (router/authority.py), from its latest
    `ticket.routed` event; None when the router proposed nothing."""
    from ticketing.models import TicketEvent

    data = db.session.scalar(
        select(TicketEvent.data)
        .where(TicketEvent.ticket_id == ticket.id, TicketEvent.type == "ticket.routed")
        .order_by(TicketEvent.id.desc())
        .limit(1)
    )
    proposal = (data or {}).get("transfer_proposal") if isinstance(data, dict) else None
    return proposal if isinstance(proposal, dict) else None


def _answered_transfer(ticket: Ticket, target: str) -> TicketTransfer | None:
    """The transfer that brought the ticket here from `target`, if not already sent back: a
    transfer to `target` now sends it back."""
    return db.session.scalar(
        select(TicketTransfer)
        .where(
            TicketTransfer.ticket_id == ticket.id,
            TicketTransfer.region_code == target,
            TicketTransfer.to_region_code == ticket.region_code,
            TicketTransfer.returned_at.is_(None),
        )
        .order_by(TicketTransfer.id.desc())
        .limit(1)
    )


def transfer(
    ticket: Ticket,
    user: User | None,
    *,
    region: str | None,
    opd: str | None = None,
    category: str | None = None,
    note: str | None = None,
    actor_label: str | None = None,
    now=None,
) -> Ticket:
    """Move `ticket` to `region` (its `opd`, else its triage), as the module docstring says.
    Commits; both regions' screens hear it. Raises APIError 403/404/409/422."""
    from ticketing.services import sla

    try:
        _transfer(ticket, user, region, opd, category, note, actor_label, now or sla.now())
    except APIError:
        db.session.rollback()  # drop half-made changes and the row lock
        raise
    return ticket


def _transfer(ticket, user, region, opd, category, note, actor_label, now):
    role = user.role if user is not None else SYSTEM
    lock_ticket(ticket)
    if not officer_may_see(user, ticket):
        from ticketing.services.transfer_views import refuse_if_transferred_away

        refuse_if_transferred_away(user, ticket)
        raise APIError(404, "not_found", catalogue.text("error.ticket_not_found"))
    transition = check_transition(role, ticket.status, TRANSFER)
    note = require_note(TRANSFER, note)
    target = _target_region(ticket, region)
    receiving_opd = None
    if opd is not None:
        receiving_opd = find_opd(target.code, opd)
        if receiving_opd is None or not receiving_opd.active:
            raise _field_error("error.transfer_opd_unknown", "opd", opd=opd, region_name=target.name)
    answered = _answered_transfer(ticket, target.code)
    source, from_opd, from_status = ticket.region_code, ticket.opd_code, ticket.status
    previous = {
        "previous_category": ticket.category_code,
        "previous_sla_due_at": isoformat(ticket.sla_due_at),
    }
    row = TicketTransfer(
        region_code=source,
        ticket_id=ticket.id,
        to_region_code=target.code,
        from_opd_code=from_opd,
        to_opd_code=receiving_opd.code if receiving_opd else None,
        from_status=from_status,
        note=note,
        actor_user_id=user.id if user is not None else None,
        actor_label=user.username if user is not None else (actor_label or role),
        created_at=now,
    )
    db.session.add(row)
    if answered is not None:
        answered.returned_at, answered.return_note = now, note

    # The move: the same row, number, citizen and thread, under the receiver's authority.
    record_breach(ticket, now)
    # No flush between: the new region with the old OPD and category would break their keys.
    with db.session.no_autoflush:
        ticket.region_code = target.code
        receiving_category = None
        if receiving_opd is not None:
            # The category named, else the router's proposal for that agency, else the rule of a
            # dispose (the same category code there, the agency's only one): its SLA starts now.
            category = category or _proposed_category(ticket, target, receiving_opd.code)
            receiving_category = dispose_category(ticket, receiving_opd.code, category)
        ticket.opd_code = receiving_opd.code if receiving_opd else None
        ticket.category_code = receiving_category.code if receiving_category else None
    if receiving_opd is not None:
        ticket.status = "assigned"
        ticket.assigned_at = now
        start_sla(ticket, receiving_category, now)
    else:
        ticket.status = transition.to_status
        ticket.sla_due_at = ticket.sla_remind_at = None
        ticket.reminded_at = ticket.escalated_at = None
        ticket.overdue = False
    db.session.flush()
    data = {
        "from_region": source,
        "to_region": target.code,
        "from_opd": from_opd,
        "opd": ticket.opd_code,
        "category": ticket.category_code,
        "returned": answered is not None,
        "transfer_id": row.id,
        "note": note,
        "sla_due_at": isoformat(ticket.sla_due_at),
        "sla_breached": ticket.sla_breached_at is not None,
        **previous,
    }
    body = responsible_body(ticket)
    record_event(
        ticket,
        type="ticket.updated",
        action=TRANSFER,
        actor=user,
        actor_label=actor_label or role,
        from_status=from_status,
        # The public line names the new body; the operator's reason stays in `data.note`.
        note=catalogue.text("event.transfer_returned" if answered else "event.transferred", body=body),
        public=True,
        data=data,
    )
    # Published after the commit to both regions' screens (realtime.publish reads `transfer`).
    db.session.commit()
