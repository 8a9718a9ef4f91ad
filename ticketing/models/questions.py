"""Questions the chat asks a citizen about their own ticket, and whether they answered.

`category`: the router was unsure; the citizen is offered the top candidates and "Lainnya".
`location`: the category needs a place and the complaint named none. One question of each kind
per ticket, ever (the unique key), so a routing job that runs again never asks twice. Like the
ticket's other children (messages, events), a question reaches its region through its ticket.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ticketing.extensions import db
from ticketing.models.base import IdMixin, UTCDateTime, utcnow

QUESTION_KINDS = ("category", "location")
# open → answered (a pick or a place) | declined ("Lainnya") | expired (no answer in time) |
# superseded (someone placed the ticket before the citizen answered).
QUESTION_STATES = ("open", "answered", "declined", "expired", "superseded")


class ChatQuestion(IdMixin, db.Model):
    __tablename__ = "chat_questions"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    provider: Mapped[str] = mapped_column(String(24), nullable=False)  # the door that asked
    recipient: Mapped[str] = mapped_column(String(140), nullable=False)  # as inbound `sender`
    # [{"code": "jalan-rusak", "label": "Jalan rusak"}, …, {"code": null, "label": "Lainnya"}]
    options: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    # The router's own view when asking (candidates, confidence, model version), for the history.
    data: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    state: Mapped[str] = mapped_column(String(16), default="open", nullable=False)
    answer: Mapped[str | None] = mapped_column(String(300), nullable=True)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (
        UniqueConstraint("ticket_id", "kind", name="uq_chat_questions_ticket_kind"),
        # "This sender's latest question": every inbound message looks it up.
        Index("ix_chat_questions_recipient_id", "recipient", "id"),
    )
