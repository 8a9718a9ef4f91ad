"""Console forms of issue #17 (hold, resume, close unresolved, answer an aspirasi, the PPID's
extend and decide): the choices the ticket page offers and what a posted form adds to the
action. The buttons shown are `actions_for` the role, status and kind: the transition table."""

from __future__ import annotations

from datetime import timedelta

from flask import request

from ticketing import catalogue
from ticketing.catalogue_kinds import EXEMPTIONS
from ticketing.schemas import start_of_city_day
from ticketing.services.kind_states import CLOSE_REASONS, DECISIONS
from ticketing.services.ppid import add_document


def kind_form_choices() -> dict:
    return {
        "close_reasons": [(code, catalogue.text(f"close_reason.{code}")) for code in CLOSE_REASONS],
        "decisions": [(code, catalogue.text(f"decision.{code}")) for code in DECISIONS],
        "exemptions": [(letter, text) for letter, text in EXEMPTIONS.items()],
        "kind_label": lambda kind: catalogue.text(f"kind.{kind}"),
        "objection_ground_label": lambda letter: catalogue.text(f"objection_ground.{letter}"),
    }


def kind_details(ticket, user, action: str, form: dict) -> dict:
    """The fields only some actions read; a decision's document is kept first (by its bytes)."""
    details: dict = {}
    if form.get("until") is not None:
        # Held "until" a day: through the end of that day in the city.
        details["until"] = start_of_city_day(form["until"] + timedelta(days=1))
    for key in ("decision", "exemption"):
        if form.get(key):
            details[key] = form[key]
    upload = request.files.get("document")
    if action == "decide" and upload is not None and upload.filename:
        details["document"] = add_document(ticket, user, upload.read()).id
    return details
