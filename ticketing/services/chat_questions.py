"""The chat asks the citizen before an operator has to (issue 20).

Which category: when the router is unsure (the plan that would send a chat complaint to
triage), the ticket stays `received` and the citizen is offered the router's top candidates and
"Lainnya" (WhatsApp reply buttons or a list, Telegram inline buttons, a numbered question on
SMS). A pick routes the ticket through `routing.apply_route`, the service the router and the
operators' routing use, with the citizen as the actor; "Lainnya", or no answer within
CHAT_QUESTION_TIMEOUT_SECONDS, sends it to triage as before. The timeout needs no timer of its
own: the periodic sweep of tickets still `received` runs the routing job again, and that job
(`waiting_for_citizen`) holds the ticket until the question expires.

Where: a category that needs a place (CHAT_LOCATION_CATEGORIES) on a chat ticket with no pin,
no address, no kelurahan and no street, gang or RT named in its text gets WhatsApp's location
request (a Telegram location button, a text question elsewhere); the pin, or on SMS the street
and kelurahan typed back, attaches as a location does.

A question is one row per ticket and kind (models/questions.py): a routing job run twice asks
once. Answers are matched by number, by the option's words or by a tap (whose id is the number).
"""

from __future__ import annotations

import re
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from ticketing import catalogue
from ticketing.extensions import db
from ticketing.models import CHAT_CHANNELS, InboundMessage, OutboxMessage, Ticket
from ticketing.models.base import utcnow
from ticketing.models.questions import ChatQuestion
from ticketing.router.categories import NONE_CATEGORY
from ticketing.services import outbox
from ticketing.services.chat_markup import ASK_CATEGORY, ASK_LOCATION, numbered
from ticketing.services.conversation import (
    _CEK,
    _RATING,
    Inbound,
    Outcome,
    _small_talk,
    ticket_channel,
    words,
)
from ticketing.services.events import record_event
from ticketing.services.regions import find_category

# A candidate the router gives less than this is noise, not a choice worth offering.
MIN_CANDIDATE_CONFIDENCE = 0.05
# An answer to a question asked longer ago than this is not looked for.
ANSWER_LOOKBACK = timedelta(days=1)
_NUMBER = re.compile(r"^\s*+(\d{1,2})\s*+[.)]?\s*+$")
# "Jl. Brawijaya", "gg 3", "RT 02", "Perum Griya …": the text says where, even with no kelurahan.
_NAMED_PLACE = re.compile(r"\b(?:[Jj]ln?|[Jj]alan|[Gg]g|[Gg]ang|[Pp]erum(?:ahan)?|RT|RW)\b\.?\s*+[A-Z0-9]")
_RESOLVED_ANSWER = re.compile(r"^\s*+(?:sudah(?:\s++beres)?|belum|ya|tidak)\b", re.IGNORECASE)


def question_timeout() -> timedelta:
    return timedelta(seconds=current_app.config.get("CHAT_QUESTION_TIMEOUT_SECONDS", 600))


def offered_candidates() -> int:
    return max(0, min(9, int(current_app.config.get("CHAT_PICK_CANDIDATES", 2))))


def location_categories() -> set[str]:
    raw = current_app.config.get("CHAT_LOCATION_CATEGORIES", "")
    return {code.strip() for code in str(raw).split(",") if code.strip()}


def category_label(category) -> str:
    """A short name for a button: the catalogue's, else the category's own name."""
    key = f"category.short.{category.code}"
    if key in catalogue.CATALOGUE[catalogue.DEFAULT_LANGUAGE]:
        return catalogue.text(key)
    return category.name


def _chat_route(ticket: Ticket) -> tuple[str, str] | None:
    if ticket.channel not in CHAT_CHANNELS or not ticket.reporter_phone:
        return None
    return outbox.reply_route(ticket)


def _question(ticket_id: int, kind: str) -> ChatQuestion | None:
    return db.session.scalar(
        select(ChatQuestion).where(ChatQuestion.ticket_id == ticket_id, ChatQuestion.kind == kind)
    )


def _ask(ticket: Ticket, route, kind: str, body: str, options: list, data: dict) -> ChatQuestion:
    provider, recipient = route
    now = utcnow()
    question = ChatQuestion(
        ticket_id=ticket.id,
        kind=kind,
        provider=provider,
        recipient=recipient,
        options=options,
        data=data,
        asked_at=now,
        expires_at=now + question_timeout(),
    )
    db.session.add(question)
    outbox.add_message(
        ticket=ticket,
        channel=provider,
        recipient=recipient,
        kind=ASK_CATEGORY if kind == "category" else ASK_LOCATION,
        body=body,
        template_params=[option["label"] for option in options],
    )
    return question


# -- asking (from the routing job) -------------------------------------------------------------


def waiting_for_citizen(ticket: Ticket) -> bool:
    """Is this `received` ticket waiting for its citizen's pick? An expired question is marked
    so here (committed with the triage that follows)."""
    question = _question(ticket.id, "category")
    if question is None or question.state != "open":
        return False
    if utcnow() < question.expires_at:
        return True
    question.state = "expired"
    return False


def ask_category(ticket: Ticket, plan) -> bool:
    """Ask the citizen instead of sending the ticket to triage; True when the question is out
    (committed). False when this ticket cannot or need not be asked (again): the caller
    triages it, and the plan's data says what became of an earlier question."""
    earlier = _question(ticket.id, "category")
    if earlier is not None:
        plan.data["citizen_pick"] = {"declined": "lainnya", "expired": "no_answer"}.get(
            earlier.state, earlier.state
        )
        return False
    route = _chat_route(ticket)
    if route is None or plan.data.get("method") != "model" or not plan.data.get("is_complaint"):
        return False
    if ticket.routed_at is not None:
        return False  # routed before (a voice note an operator summarised): operators have it
    options = []
    for candidate in plan.data.get("candidates") or []:
        if len(options) >= offered_candidates():
            break
        code = candidate.get("category")
        if code == NONE_CATEGORY or (candidate.get("confidence") or 0) < MIN_CANDIDATE_CONFIDENCE:
            continue
        category = find_category(ticket.region_code, code)
        if category is None or not category.active:
            continue
        options.append(
            {"code": code, "label": category_label(category), "confidence": candidate["confidence"]}
        )
    if not options:
        return False
    options.append({"code": None, "label": catalogue.text("chat.pick_other")})
    lines, numbers = numbered([option["label"] for option in options])
    body = catalogue.text(
        "chat.pick_category", ticket_number=ticket.ticket_number, choices=lines, numbers=numbers
    )
    _ask(ticket, route, "category", body, options, dict(plan.data))
    db.session.commit()
    return True


def ask_location(ticket: Ticket, category, area) -> None:
    """In the routing transaction: ask where, when the category needs a place and none is known."""
    if category is None or category.code not in location_categories():
        return
    if (
        ticket.lat is not None
        or ticket.address
        or area is not None
        or _NAMED_PLACE.search(ticket.description)
    ):
        return
    route = _chat_route(ticket)
    if route is None or _question(ticket.id, "location") is not None:
        return
    body = catalogue.text("chat.ask_location", ticket_number=ticket.ticket_number)
    _ask(ticket, route, "location", body, [], {"category": category.code})


# -- answers (from the conversation) -----------------------------------------------------------


def _latest_question(sender: str) -> ChatQuestion | None:
    question = db.session.scalar(
        select(ChatQuestion).where(ChatQuestion.recipient == sender).order_by(ChatQuestion.id.desc()).limit(1)
    )
    if question is None or utcnow() - question.asked_at > ANSWER_LOOKBACK:
        return None
    return question


def _option_index(options: list, body: str) -> int | None:
    number = _NUMBER.match(body)
    if number:
        index = int(number.group(1)) - 1
        return index if 0 <= index < len(options) else None
    said = " ".join(words(body))
    for index, option in enumerate(options):
        if said and said in (" ".join(words(option["label"])), option.get("code") or NONE_CATEGORY):
            return index
    return None


def _finish(record: InboundMessage, message: Inbound, effect: str, ticket: Ticket | None, reply: str | None):
    record.effect = effect
    if ticket is not None:
        record.ticket_id = ticket.id
    if reply:
        outbox.add_message(
            ticket=ticket, channel=message.provider, recipient=message.sender, kind="reply", body=reply
        )
    number = ticket.ticket_number if ticket is not None else None
    db.session.commit()
    return Outcome(effect=effect, ticket_number=number, reply=reply)


def known_reply(body: str, sender: str) -> bool:
    """Would the conversation understand this tapped reply: a CEK, or a rating or a "sudah
    beres" / "belum" while the sender's latest ticket is resolved?"""
    from ticketing.services.conversation import awaiting_feedback

    if _CEK.match(body):
        return True
    if not (_RATING.match(body) or _RESOLVED_ANSWER.match(body)):
        return False
    return awaiting_feedback(sender) is not None


def handle_reply(record: InboundMessage, message: Inbound) -> Outcome | None:
    """The answer to an open question, if this message is one; None lets the conversation go on.
    An interactive reply nobody understands is kept and answered with help, never a ticket."""
    question = _latest_question(message.sender)
    body = (message.text or "").strip()
    if question is not None and question.kind == "location" and question.state == "open":
        if message.kind == "location" and message.lat is not None and message.lon is not None:
            return _answer_location(record, message, question, None)
        # A pin is the place whenever it comes; a typed text only while the question is fresh.
        if message.kind == "text" and utcnow() < question.expires_at and _is_place(body):
            return _answer_location(record, message, question, body)
    if message.kind not in ("text", "interactive"):
        return None
    if question is not None and question.kind == "category" and _answers(question, message):
        index = _option_index(question.options, body)
        if index is not None:
            return _answer_category(record, message, question, index)
    if message.kind == "interactive" and not known_reply(body, message.sender):
        return _finish(record, message, "interactive_unknown", None, catalogue.text("chat.help"))
    return None


def _answers(question: ChatQuestion, message: Inbound) -> bool:
    """Can this message answer `question`? While it is open, any reply can; once closed only a
    tap on its own buttons (Meta names the message a tap answers in `context.id`), so a later
    rating "1" or a survey's "2" is never taken for a late pick."""
    if question.state == "open":
        return True
    raw = (message.payload or {}).get("message") if message.kind == "interactive" else None
    context = raw.get("context") if isinstance(raw, dict) else None
    tapped = context.get("id") if isinstance(context, dict) else None
    if not isinstance(tapped, str) or not tapped:
        return False
    asked = select(OutboxMessage.id).where(
        OutboxMessage.provider_message_id == tapped[:128],
        OutboxMessage.ticket_id == question.ticket_id,
        OutboxMessage.kind == ASK_CATEGORY,
    )
    return db.session.scalar(asked.limit(1)) is not None


def _is_place(body: str) -> bool:
    tokens = words(body)
    return (
        bool(tokens)
        and _small_talk(tokens) is None
        and not _CEK.match(body)
        and not _RATING.match(body)
        and (len(tokens) >= 2 or len(body) >= 6)
    )


def _answer_location(record, message: Inbound, question: ChatQuestion, typed: str | None) -> Outcome | None:
    from ticketing.services.conversation import OPEN_FOR_FOLLOWUP

    ticket = db.session.get(Ticket, question.ticket_id)
    if ticket is None or ticket.status not in OPEN_FOR_FOLLOWUP:
        return None
    if typed is None:
        ticket.lat, ticket.lon = message.lat, message.lon
        if message.address:
            ticket.address = message.address[:300]
    else:
        ticket.address = typed[:300]
    question.state, question.answered_at = "answered", utcnow()
    question.answer = (typed or f"{message.lat},{message.lon}")[:300]
    record_event(
        ticket,
        type="ticket.updated",
        action="attach_location",
        actor_label="citizen",
        from_status=ticket.status,
        note=typed,
        data={"inbound_message_id": record.id, "asked": True},
    )
    reply = catalogue.text("chat.location_attached", ticket_number=ticket.ticket_number)
    return _finish(record, message, "attached", ticket, reply)


def _answer_category(record, message: Inbound, question: ChatQuestion, index: int) -> Outcome:
    from ticketing.services.areas import locate
    from ticketing.services.region_routing import router_for
    from ticketing.services.routing import CategoryFacts, RoutePlan, apply_route, decide_route

    ticket = db.session.scalar(select(Ticket).where(Ticket.id == question.ticket_id).with_for_update())
    option = question.options[index]
    now = utcnow()
    if (
        question.state != "open"
        or ticket is None
        or ticket.status != "received"
        or now >= question.expires_at
    ):
        if question.state == "open":
            question.state = "superseded" if ticket is not None and ticket.status != "received" else "expired"
        reply = catalogue.text("chat.pick_late", ticket_number=ticket.ticket_number) if ticket else None
        return _finish(record, message, "pick_late", ticket, reply)
    question.answered_at, question.answer = now, option["code"] or NONE_CATEGORY
    record.ticket_id = ticket.id
    router_view = dict(question.data)
    category = find_category(ticket.region_code, option["code"]) if option["code"] else None
    if category is None or not category.active:
        # "Lainnya" (or a category retired since): the operators place it, as before.
        question.state, record.effect = "declined", "pick_other"
        router_view["citizen_pick"] = "lainnya"
        plan = RoutePlan(router_view.get("category"), None, ticket.routing_confidence or 0.0, router_view)
        outbox.add_message(
            ticket=ticket,
            channel=message.provider,
            recipient=message.sender,
            kind="reply",
            body=catalogue.text("chat.pick_other_ack", ticket_number=ticket.ticket_number),
        )
    else:
        question.state, record.effect = "answered", "picked"
        facts = CategoryFacts.of(category)
        chosen = decide_route(
            router_for(ticket.region_code) if facts.default_opd is None else None,
            ticket.description,
            chosen=facts,
        )
        router_view.update(
            method="citizen_pick",
            category=category.code,
            opd=chosen.target,
            citizen_pick=category.code,
            offered=[o["code"] for o in question.options if o["code"]],
            router_category=question.data.get("category"),
        )
        plan = RoutePlan(category.code, chosen.target, float(option.get("confidence") or 0.0), router_view)
    area = locate(ticket.lat, ticket.lon, ticket.description)
    number = ticket.ticket_number
    apply_route(ticket, plan, area, actor_label=f"citizen:{ticket_channel(message.provider)}")
    return Outcome(effect=record.effect, ticket_number=number)
