"""The SKM survey as a short SMS/WhatsApp/Telegram conversation: `SKM <service code>` starts it,
each applicable element is one question answered 1–4, then one message of respondent data
("P 34 SMA SWASTA"), and the answer is stored like the web form's (services/skm.py), the
sender's phone being the "one answer per phone per semester" key.

`<service code>` is looked up in the region of the account the message arrived on
(services/channel_accounts.py); on a province-wide account first in the city of the sender's
latest ticket (the complaint they were invited to rate), then in the province's own services.

The conversation's state lives in Redis for SKM_CHAT_TTL_SECONDS (default 30 minutes) under a
hash of the sender. A sender in the middle of a survey who writes a sentence instead of a digit
is taken to be complaining: the survey is dropped and the message goes on to the complaint
conversation, so no complaint is swallowed by a survey.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re

from flask import current_app
from redis.exceptions import RedisError

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.models.skm import EDUCATIONS, ELEMENTS, OCCUPATIONS, PublicService
from ticketing.queueing import redis_connection
from ticketing.services import skm
from ticketing.services.channel_accounts import account_region
from ticketing.services.queries import latest_ticket_of
from ticketing.services.regions import region_codes_under

log = logging.getLogger(__name__)

_START = re.compile(r"^\s*+skm\s++([A-Za-z0-9_-]{1,32})\s*+[.!]?\s*+$", re.IGNORECASE)
_TOKEN = re.compile(r"[a-z0-9]+")
CANCEL_WORDS = {"batal", "stop", "berhenti", "keluar"}
SEX_WORDS = {
    "l": "L",
    "lk": "L",
    "laki": "L",
    "pria": "L",
    "p": "P",
    "pr": "P",
    "perempuan": "P",
    "wanita": "P",
}
EDUCATION_WORDS = {
    **{e: e for e in EDUCATIONS},
    "sltp": "smp",
    "slta": "sma",
    "smk": "sma",
    "ma": "sma",
    "d1": "diploma",
    "d2": "diploma",
    "d3": "diploma",
    "d4": "diploma",
    "s3": "s2",
}
OCCUPATION_WORDS = {
    **{o: o for o in OCCUPATIONS},
    "asn": "pns",
    "wiraswasta": "wirausaha",
    "pedagang": "wirausaha",
    "karyawan": "swasta",
    "pelajar": "lainnya",
    "mahasiswa": "lainnya",
    "irt": "lainnya",
}
# A message this long is a sentence, not an answer to a 1–4 question.
COMPLAINT_WORDS = 4
# Answers that are not answers before the survey is dropped: a survey in progress is exempt from
# the per-sender message limit, so it must end on its own.
MAX_MISSES = 3


def _key(sender: str) -> str:
    return "aduan:skm-chat:" + hashlib.sha256(sender.encode()).hexdigest()[:32]


def _ttl() -> int:
    return int(current_app.config.get("SKM_CHAT_TTL_SECONDS", 1800))


def _choices(element: str) -> str:
    labels = catalogue.text(f"skm.scale.{element}").split("|")
    return ", ".join(f"{n} {label}" for n, label in enumerate(labels, start=1))


def _question(state: dict) -> str:
    element = state["elements"][state["step"]]
    return catalogue.text(
        "skm.chat.question",
        number=state["step"] + 1,
        count=len(state["elements"]),
        question=catalogue.text(f"skm.element.{element}"),
        choices=_choices(element),
    )


def _respondent_prompt() -> str:
    return catalogue.text(
        "skm.chat.respondent",
        educations="/".join(e.upper() for e in ("sd", "smp", "sma", "d3", "s1", "s2")),
        occupations="/".join(o.upper() for o in OCCUPATIONS),
    )


def parse_respondent(body: str) -> dict | None:
    """ "P 34 SMA SWASTA", "laki-laki, 45, S1, PNS": the four facts, or None when one is missing."""
    found: dict = {}
    for token in _TOKEN.findall(body.lower())[:20]:
        if token.isdigit() and "age" not in found and 10 <= int(token) <= 120:
            found["age"] = int(token)
        elif token in SEX_WORDS and "sex" not in found:
            found["sex"] = SEX_WORDS[token]
        elif token in EDUCATION_WORDS and "education" not in found:
            found["education"] = EDUCATION_WORDS[token]
        elif token in OCCUPATION_WORDS and "occupation" not in found:
            found["occupation"] = OCCUPATION_WORDS[token]
    return found if len(found) == 4 else None


def survey_reply(
    sender: str, body: str, channel: str, *, provider: str = "", payload: dict | None = None
) -> tuple[str, str] | None:
    """(effect, reply) when `body` starts or continues a survey, else None (the message is
    something else). `provider` and `payload` name the account it arrived on (whose region's
    services it means). Stores the answer without committing: the conversation commits it with
    the inbound row and the reply."""
    start = _START.match(body)
    try:
        if start:
            return _start(sender, start.group(1), survey_regions(sender, provider, payload))
        raw = redis_connection().get(_key(sender))
        return None if raw is None else _continue(sender, json.loads(raw), body, channel)
    except RedisError as exc:
        log.warning("survey state unavailable: %s", type(exc).__name__)
        return ("skm_unavailable", catalogue.text("skm.chat.unavailable")) if start else None


def _continue(sender: str, state: dict, body: str, channel: str) -> tuple[str, str] | None:
    text = body.strip().lower()
    if text in CANCEL_WORDS:
        _forget(sender)
        return "skm_cancelled", catalogue.text("skm.chat.cancelled")
    if len(_TOKEN.findall(text)) >= COMPLAINT_WORDS and state["step"] < len(state["elements"]):
        _forget(sender)
        return None
    if state["step"] < len(state["elements"]) and text not in ("1", "2", "3", "4"):
        return _miss(sender, state, "skm.chat.answer_again")
    if state["step"] < len(state["elements"]):
        state["answers"][state["elements"][state["step"]]] = int(text)
        state["step"] += 1
        _save(sender, state)
        if state["step"] < len(state["elements"]):
            return "skm_answer", _question(state)
        return "skm_answer", _respondent_prompt()
    respondent = parse_respondent(text)
    if respondent is None:
        return _miss(sender, state, "skm.chat.respondent_again")
    return _finish(sender, state, respondent, channel)


def _miss(sender: str, state: dict, text_key: str) -> tuple[str, str]:
    state["misses"] = state.get("misses", 0) + 1
    if state["misses"] > MAX_MISSES:
        _forget(sender)
        return "skm_cancelled", catalogue.text("skm.chat.cancelled")
    _save(sender, state)
    return "skm_answer_again", catalogue.text(text_key)


def survey_invitation(ticket, sender: str) -> str | None:
    """After a chat citizen rated their resolved complaint: the keyword of its OPD's complaint-
    handling survey (services/skm.complaint_service_for), unless this phone answered it already
    this semester."""
    service = skm.complaint_service_for(ticket)
    if service is None or skm.already_answered(service, phone=sender):
        return None
    return catalogue.text("skm.chat.invite", code=service.code)


def in_survey(sender: str) -> bool:
    """Is this sender in the middle of a survey? False when Redis cannot say."""
    try:
        return bool(redis_connection().exists(_key(sender)))
    except RedisError:
        return False


def survey_regions(sender: str, provider: str, payload: dict | None) -> list[str]:
    """The regions whose services `SKM <code>` may mean, in order: the account's region; for a
    province-wide account the city (under it) of the sender's latest ticket first."""
    account = account_region(provider, payload)
    cities = region_codes_under(account)[1:]
    latest = latest_ticket_of(sender) if cities else None
    if latest is not None and latest.region_code in cities:
        return [latest.region_code, account]
    return [account]


def _start(sender: str, code: str, regions: list[str]) -> tuple[str, str]:
    service = next(filter(None, (skm.find_service(code, region) for region in regions)), None)
    if service is None:
        return "skm_unknown", catalogue.text("skm.chat.unknown_service", code=code.upper()[:32])
    if skm.already_answered(service, phone=sender):
        return "skm_already_answered", catalogue.text("skm.already_answered")
    elements = [e for e in ELEMENTS if e not in set(service.not_applicable or ())]
    state = {"service_id": service.id, "elements": elements, "step": 0, "answers": {}}
    _save(sender, state)
    intro = catalogue.text("skm.chat.start", service_name=service.name, count=len(elements))
    return "skm_started", f"{intro}\n{_question(state)}"


def _finish(sender: str, state: dict, respondent: dict, channel: str) -> tuple[str, str]:
    _forget(sender)
    service = db.session.get(PublicService, state["service_id"])
    if service is None or not service.active:
        return "skm_unknown", catalogue.text("skm.unknown_service")
    try:
        skm.submit_response(
            service, state["answers"], respondent, channel=channel, phone=sender, commit=False
        )
    except APIError as exc:
        if exc.code == "already_answered":
            return "skm_already_answered", catalogue.text("skm.already_answered")
        log.info("survey answer refused: %s %s", exc.code, exc.fields)
        return "skm_refused", catalogue.text("skm.chat.respondent_again")
    return "skm_answered", catalogue.text("skm.thanks", service_name=service.name)


def _save(sender: str, state: dict) -> None:
    redis_connection().set(_key(sender), json.dumps(state), ex=_ttl())


def _forget(sender: str) -> None:
    try:
        redis_connection().delete(_key(sender))
    except RedisError as exc:
        log.warning("survey state unavailable: %s", type(exc).__name__)
