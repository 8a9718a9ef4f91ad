"""What the wall needs beyond API.md §4 once a deployment serves a province (issue #16).

- `recent_movements`: the feed of transfers and escalations. A `/wall` snapshot carries the
  newest ones of the screen's regions (`movements`, newest first), in the same shape as the live
  `ticket.updated` events with action `transfer` or `sla_escalated` that keep it current, so the
  page handles both alike: a transfer between two of the regions (any state since), or out of or
  into one of them; an escalation of a ticket of the regions still open and overdue.
- `plain_wall_region`: where a plain `/wall` (no `region`) should take an account. A province's
  account gets its province wall, a city's account of a region other than `DEFAULT_REGION` its
  own city's wall; the default city's accounts (every account of a single-city deployment) stay
  on the plain wall, exactly as before.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from ticketing.extensions import db
from ticketing.models import OPEN_STATUSES, Region, Ticket, TicketEvent
from ticketing.models.transfers import TicketTransfer
from ticketing.services.events import event_payload
from ticketing.services.regions import default_region_code

MOVEMENT_ACTIONS = ("transfer", "sla_escalated")
MOVEMENT_LIMIT = 30


def recent_movements(region_codes: list[str] | None, limit: int = MOVEMENT_LIMIT) -> list[dict]:
    """The newest `limit` transfers and escalations of `region_codes` (None: every region), as
    event payloads, newest first. Two bounded reads find the tickets (the newest transfers
    touching the regions, the open overdue tickets escalated last), one more their events."""
    transfers = select(TicketTransfer.ticket_id).order_by(TicketTransfer.id.desc()).limit(limit)
    escalated = (
        select(Ticket.id)
        .where(Ticket.status.in_(OPEN_STATUSES), Ticket.overdue.is_(True), Ticket.escalated_at.is_not(None))
        .order_by(Ticket.escalated_at.desc(), Ticket.id.desc())
        .limit(limit)
    )
    if region_codes is not None:
        transfers = transfers.where(
            or_(TicketTransfer.region_code.in_(region_codes), TicketTransfer.to_region_code.in_(region_codes))
        )
        escalated = escalated.where(Ticket.region_code.in_(region_codes))
    ticket_ids = set(db.session.scalars(transfers)) | set(db.session.scalars(escalated))
    if not ticket_ids:
        return []
    rows = db.session.execute(
        select(TicketEvent, Ticket)
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .where(TicketEvent.ticket_id.in_(ticket_ids), TicketEvent.action.in_(MOVEMENT_ACTIONS))
        .order_by(TicketEvent.id.desc())
    )
    shown = None if region_codes is None else set(region_codes)
    # Where each ticket was at the event being read: newest first, so a transfer is met before
    # the escalations that came before it, which belong to the region it left.
    region_then: dict[int, str] = {}
    movements = []
    for event, ticket in rows:
        payload = event_payload(event, ticket)
        if event.action == "transfer":
            sides = payload["transfer"]
            region_then[ticket.id] = sides["from_region"]
            concerns = {sides["from_region"], sides["to_region"]}
        else:
            concerns = {region_then.get(ticket.id, ticket.region_code)}
        if shown is not None and not concerns & shown:
            continue
        movements.append(payload)
        if len(movements) == limit:
            break
    return movements


def plain_wall_region(account) -> str | None:
    """The region a plain `/wall` should open for `account`, or None to stay as it is."""
    region = getattr(account, "region_code", None)
    if not region:
        return None
    has_cities = db.session.scalar(select(Region.code).where(Region.parent_code == region).limit(1))
    if region != default_region_code() or has_cities is not None:
        return region
    return None
