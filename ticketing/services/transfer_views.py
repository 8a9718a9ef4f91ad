"""What staff read of transfers between regions (issue #16; the move itself is services/transfers.py).

- The region a ticket left keeps reading it, read-only, with its outcome: `transferred_away`
  (the list `GET /tickets?transferred=away`), `transferred_away_ticket` (its detail),
  `refuse_if_transferred_away` (403 `transferred_away` on any action), `transfer_details`
  (`read_only`, `transfers`, `transfer_proposal` in the detail).
- The console's transfer form: where the ticket may go and those regions' agencies.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from ticketing.extensions import db
from ticketing.models import Opd, Region, Ticket, User
from ticketing.models.transfers import TicketTransfer
from ticketing.roles import COMMAND_CENTRE_ROLES
from ticketing.services.events import isoformat
from ticketing.services.regions import find_opd, get_region, visible_region_codes
from ticketing.services.transfers import region_name, transfer_proposal

# -- what the sending region keeps -------------------------------------------------------------


def _one_opd(user: User) -> bool:
    """An account of one OPD (an officer, a PPID): it followed its OPD's tickets only."""
    return user.role not in COMMAND_CENTRE_ROLES and user.opd_code is not None


def transferred_from(user: User, ticket: Ticket) -> TicketTransfer | None:
    """The newest transfer that took `ticket` out of `user`'s sight (None when the user sees it
    anyway, or it never left their region or OPD)."""
    query = select(TicketTransfer).where(TicketTransfer.ticket_id == ticket.id)
    if _one_opd(user):
        query = query.where(
            TicketTransfer.region_code == user.region_code, TicketTransfer.from_opd_code == user.opd_code
        )
    else:
        query = query.where(TicketTransfer.region_code.in_(visible_region_codes(user)))
    return db.session.scalar(query.order_by(TicketTransfer.id.desc()).limit(1))


def refuse_if_transferred_away(user: User | None, ticket: Ticket) -> None:
    """403 `transferred_away`, naming where it went, for staff of a region the ticket left: they
    read it but no longer act on it."""
    if user is None or transferred_from(user, ticket) is None:
        return
    from ticketing.services.lifecycle import staff_error

    raise staff_error(
        403, "transferred_away", "error.transferred_away", region_name=region_name(ticket.region_code)
    )


def transfers_of(ticket: Ticket) -> list[dict]:
    """The ticket's transfers, oldest first, for its detail (both sides see them all)."""
    rows = db.session.scalars(
        select(TicketTransfer).where(TicketTransfer.ticket_id == ticket.id).order_by(TicketTransfer.id)
    )
    return [
        {
            "from_region": row.region_code,
            "to_region": row.to_region_code,
            "from_opd": row.from_opd_code,
            "to_opd": row.to_opd_code,
            "note": row.note,
            "by": row.actor_label,
            "at": isoformat(row.created_at),
            "returned_at": isoformat(row.returned_at),
            "return_note": row.return_note,
        }
        for row in rows
    ]


# -- what the console shows -----------------------------------------------------------------------


def sees_current_region(user: User, ticket: Ticket) -> bool:
    from ticketing.services.lifecycle import officer_may_see

    return officer_may_see(user, ticket)


def transfer_targets(ticket: Ticket) -> list[Region]:
    """The regions this ticket may go to: its province, the province's other cities, and (for a
    province's ticket) its cities."""
    source = get_region(ticket.region_code)
    if source is None:
        return []
    parents = [source.parent_code] if source.parent_code else []
    query = select(Region).where(Region.code != source.code)
    clauses = [Region.parent_code == source.code]
    if parents:
        clauses += [Region.code == source.parent_code, Region.parent_code == source.parent_code]
    return list(db.session.scalars(query.where(or_(*clauses)).order_by(Region.code)))


def receiving_opds(region_codes: list[str]) -> dict[str, list[Opd]]:
    """Each region's active agencies (not its kelurahan/kecamatan offices), by name."""
    rows = db.session.scalars(
        select(Opd)
        .where(Opd.region_code.in_(region_codes), Opd.active.is_(True), Opd.kind == "agency")
        .order_by(Opd.region_code, Opd.name)
    )
    found: dict[str, list[Opd]] = {code: [] for code in region_codes}
    for opd in rows:
        found[opd.region_code].append(opd)
    return found


def proposal_in_words(ticket: Ticket) -> dict | None:
    """The router's proposal with the names staff read, while the ticket has not moved there."""
    proposal = transfer_proposal(ticket)
    if not proposal or proposal.get("region") == ticket.region_code:
        return None
    opd = find_opd(proposal.get("region"), proposal.get("opd"))
    return {
        **proposal,
        "region_name": region_name(proposal.get("region")),
        "opd_name": opd.name if opd is not None else proposal.get("opd"),
    }


def came_from(ticket: Ticket) -> str | None:
    """The region whose transfer brought the ticket here and was not sent back (where a send-back
    would go), or None."""
    row = db.session.scalar(
        select(TicketTransfer)
        .where(
            TicketTransfer.ticket_id == ticket.id,
            TicketTransfer.to_region_code == ticket.region_code,
            TicketTransfer.returned_at.is_(None),
        )
        .order_by(TicketTransfer.id.desc())
        .limit(1)
    )
    return row.region_code if row is not None else None


def transfer_details(user: User, ticket: Ticket) -> dict:
    """What a ticket's detail says of transfers: the router's proposal while the ticket is not
    where it proposes, the transfers both sides see, and `read_only` (no actions) for staff of a
    region the ticket left."""
    read_only = transferred_from(user, ticket) is not None and not sees_current_region(user, ticket)
    proposal = transfer_proposal(ticket)
    details = {
        "transfer_proposal": proposal if proposal and proposal.get("region") != ticket.region_code else None,
        "transfers": transfers_of(ticket),
        "read_only": read_only,
    }
    if read_only:
        details["allowed_actions"] = []
    return details


def transferred_away(user: User):
    """The tickets that left `user`'s sight by a transfer (its regions', an officer's OPD's) and
    did not come back: the list `GET /tickets?transferred=away` pages, read-only."""
    from sqlalchemy import and_, false, not_

    from ticketing.roles import WALL

    sent = select(TicketTransfer.ticket_id)
    if user.role == WALL:
        return select(Ticket).where(false())
    if _one_opd(user):
        sent = sent.where(
            TicketTransfer.region_code == user.region_code, TicketTransfer.from_opd_code == user.opd_code
        )
        gone = not_(and_(Ticket.region_code == user.region_code, Ticket.opd_code == user.opd_code))
    else:
        codes = visible_region_codes(user)
        sent = sent.where(TicketTransfer.region_code.in_(codes))
        gone = Ticket.region_code.not_in(codes)
    return select(Ticket).where(Ticket.id.in_(sent), gone)


def transferred_away_ticket(user: User, number: str) -> Ticket | None:
    """The ticket `number` if it left `user`'s sight by a transfer: readable, read-only."""
    return db.session.scalar(transferred_away(user).where(Ticket.ticket_number == number))
