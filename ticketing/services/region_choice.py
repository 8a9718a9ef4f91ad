"""Which city or regency a chat complaint belongs to (issue #16).

A message is filed in the region of the account it arrived on (services/channel_accounts.py).
A province-wide account (its region has cities under it) decides by the complaint's place:

1. a shared location inside a city's boundary (`regions.region_of_point`);
2. a recognised place name of exactly one city (config/region_places.json: each city's own
   names, kelurahan of its area table, and the region's name);
3. otherwise the complaint is stored at once in the province and held (the routing job waits
   while the question is open) and the citizen is asked once "Kota/Kabupaten mana?", as a
   WhatsApp list or buttons, Telegram buttons or a numbered SMS (the chat's category question's
   outbox kind, services/chat_markup.py). The answer (a number, a tap, a city's name or place,
   a shared location) moves the ticket to that city and routes it there; no answer within
   CHAT_QUESTION_TIMEOUT_SECONDS sends it to the province's triage (the periodic sweep of
   `received` tickets runs the routing job, which finds the question expired).

The question is a `chat_questions` row of kind `region` (one per ticket, ever).
"""

from __future__ import annotations

import csv
import functools
import json
import re
from pathlib import Path

from sqlalchemy import select

from config.settings import CONFIG_DIR
from ticketing import catalogue
from ticketing.extensions import db
from ticketing.models import InboundMessage, Opd, Region, Ticket
from ticketing.models.base import utcnow
from ticketing.models.questions import ChatQuestion
from ticketing.services import outbox
from ticketing.services.channel_accounts import account_region
from ticketing.services.chat_markup import ASK_CATEGORY, numbered
from ticketing.services.events import record_event
from ticketing.services.regions import child_region_codes, complaint_region, find_category, region_of_point

REGION_QUESTION = "region"
PLACES_FILE = CONFIG_DIR / "region_places.json"
_NUMBER = re.compile(r"^\s*+(\d{1,2})\s*+[.)]?\s*+$")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def _normal(text: str) -> str:
    return " " + " ".join(_NOT_WORD.sub(" ", str(text).lower()).split()) + " "


@functools.cache
def configured_places(path: Path = PLACES_FILE) -> dict[str, tuple[str, ...]]:
    """{region code: normalised place names} from the config (read once per process)."""
    if not path.exists():
        return {}
    document = json.loads(path.read_text(encoding="utf-8"))
    places: dict[str, tuple[str, ...]] = {}
    for code, entry in document.items():
        if code.startswith("_") or not isinstance(entry, dict):
            continue
        names = list(entry.get("names") or [])
        if entry.get("areas"):
            with (path.parent / entry["areas"]).open(encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    if str(row.get("needs_prefix") or "0").strip() == "0":
                        names.append(row["kelurahan"])
                        names.extend(a for a in (row.get("aliases") or "").split("|") if a.strip())
        places[code] = tuple(sorted({_normal(name) for name in names if _normal(name).strip()}))
    return places


def region_by_place(text: str | None, candidates: list[str]) -> str | None:
    """The one candidate region whose places `text` names; None for none or several."""
    if not text:
        return None
    said = _normal(text)
    names = dict(
        db.session.execute(select(Region.code, Region.name).where(Region.code.in_(candidates))).all()
    )
    places = configured_places()
    found = {
        code
        for code in candidates
        if any(place in said for place in places.get(code, ()))
        or (names.get(code) and _normal(names[code]) in said)
    }
    return found.pop() if len(found) == 1 else None


def _placed(lat, lon, text: str | None, cities: list[str]) -> str | None:
    point = region_of_point(lat, lon)
    if point in cities:
        return point
    return region_by_place(text, cities)


def inbound_region(message, text: str | None) -> str:
    """The region a new chat complaint is filed in: its account's, or for a province-wide
    account the city its place names (else the province itself: `ask_region` asks)."""
    account = account_region(message.provider, message.payload)
    cities = child_region_codes(account)
    if not cities:
        return account
    return _placed(message.lat, message.lon, text, cities) or account


def ask_region(ticket: Ticket, message) -> ChatQuestion | None:
    """Ask "Kota/Kabupaten mana?" for a new chat ticket filed in a province (in the caller's
    transaction); None when its region has no cities under it (nothing to ask)."""
    cities = child_region_codes(ticket.region_code)
    if not cities:
        return None
    regions = db.session.scalars(select(Region).where(Region.code.in_(cities)).order_by(Region.name)).all()
    options = [{"code": region.code, "label": region.name} for region in regions]
    labels = [option["label"] for option in options]
    choices, numbers = numbered(labels)
    now = utcnow()
    from ticketing.services.chat_questions import question_timeout

    question = ChatQuestion(
        ticket_id=ticket.id,
        kind=REGION_QUESTION,
        provider=message.provider,
        recipient=message.sender,
        options=options,
        data={"from_region": ticket.region_code},
        asked_at=now,
        expires_at=now + question_timeout(),
    )
    db.session.add(question)
    outbox.add_message(
        ticket=ticket,
        channel=message.provider,
        recipient=message.sender,
        kind=ASK_CATEGORY,
        body=catalogue.text(
            "region.ask", ticket_number=ticket.ticket_number, choices=choices, numbers=numbers
        ),
        template_params=labels,
    )
    return question


def _open_question(sender: str) -> ChatQuestion | None:
    question = db.session.scalar(
        select(ChatQuestion)
        .where(ChatQuestion.recipient == sender, ChatQuestion.kind == REGION_QUESTION)
        .order_by(ChatQuestion.id.desc())
        .limit(1)
    )
    if question is None or question.state != "open" or utcnow() >= question.expires_at:
        return None
    return question


def _chosen(question: ChatQuestion, message) -> str | None:
    codes = [option["code"] for option in question.options]
    if message.kind == "location":
        point = region_of_point(message.lat, message.lon)
        return point if point in codes else None
    if message.kind not in ("text", "interactive") or not message.text:
        return None
    number = _NUMBER.match(message.text)
    if number:
        index = int(number.group(1)) - 1
        return codes[index] if 0 <= index < len(codes) else None
    return region_by_place(message.text, codes)


def handle_region_reply(record: InboundMessage, message):
    """The answer to this sender's open "Kota/Kabupaten mana?", if this message is one (the
    ticket moves there, is routed there, and the citizen hears where); None otherwise."""
    from ticketing.services.conversation import Outcome, ticket_channel
    from ticketing.services.intake import enqueue_routing

    question = _open_question(message.sender)
    if question is None:
        return None
    code = _chosen(question, message)
    if code is None:
        return None
    ticket = db.session.scalar(select(Ticket).where(Ticket.id == question.ticket_id).with_for_update())
    if (
        ticket is None
        or ticket.status != "received"
        or ticket.region_code != question.data.get("from_region")
    ):
        question.state = "superseded"
        db.session.commit()
        return None
    region = db.session.get(Region, code)
    ticket.region_code = code
    question.state, question.answer, question.answered_at = "answered", code, utcnow()
    record_event(
        ticket,
        type="ticket.updated",
        action="region_chosen",
        actor_label=f"citizen:{ticket_channel(message.provider)}",
        from_status=ticket.status,
        note=catalogue.text("event.region_chosen", region_name=region.name),
        public=True,
        data={
            "region": code,
            "from_region": question.data.get("from_region"),
            "inbound_message_id": record.id,
        },
    )
    reply = catalogue.text("region.chosen", ticket_number=ticket.ticket_number, region_name=region.name)
    record.ticket_id, record.effect = ticket.id, "region_answer"
    outbox.add_message(
        ticket=ticket, channel=message.provider, recipient=message.sender, kind="reply", body=reply
    )
    number = ticket.ticket_number
    db.session.commit()
    enqueue_routing(ticket)
    return Outcome(effect="region_answer", ticket_number=number, reply=reply)


def _question_of(ticket: Ticket) -> ChatQuestion | None:
    return db.session.scalar(
        select(ChatQuestion).where(ChatQuestion.ticket_id == ticket.id, ChatQuestion.kind == REGION_QUESTION)
    )


def waiting_for_region(ticket: Ticket) -> bool:
    """Is this `received` ticket held for its citizen's "Kota/Kabupaten mana?" answer? An
    expired question is marked so here (committed with the province's triage that follows)."""
    question = _question_of(ticket)
    if question is None or question.state != "open":
        return False
    if utcnow() < question.expires_at:
        return True
    question.state = "expired"
    return False


def unplaced(ticket: Ticket) -> bool:
    """A province-wide chat complaint whose citizen never said where: the province's triage."""
    question = _question_of(ticket)
    return (
        question is not None
        and question.state == "expired"
        and ticket.region_code == (question.data or {}).get("from_region")
    )


# -- the web and the console's phone intake ------------------------------------------------------


def intake_region(
    code: str | None,
    lat: float | None,
    lon: float | None,
    category: str | None = None,
    *,
    fallback: str | None = None,
    within: list[str] | None = None,
) -> str:
    """The region of a complaint filed on the web or by an operator: the one it names (400
    for an unknown one), else the region whose boundary holds its point (among `within`, and
    only where its chosen category exists), else `fallback` or `DEFAULT_REGION`."""
    if code is not None:
        return complaint_region(code)
    point = region_of_point(lat, lon)
    if (
        point is not None
        and (within is None or point in within)
        and (category is None or find_category(point, category) is not None)
    ):
        return point
    return fallback or complaint_region(None)


def form_regions() -> list[Region]:
    """The cities and regencies the citizen's form offers: none for a single city (the select
    stays hidden), each one with agencies of its own in province mode."""
    cities = list(
        db.session.scalars(
            select(Region)
            .where(Region.parent_code.is_not(None), Region.code.in_(select(Opd.region_code).distinct()))
            .order_by(Region.name)
        )
    )
    return cities if len(cities) > 1 else []
