"""Citizen satisfaction surveys (SKM, Permenpan RB 14/2017): the services an OPD delivers, and
the answers people give about one of them.

A service's code is unique within its region (like OPD codes). An answer belongs to a service
and a semester ("2026-2": July to December in the city's calendar); the unique keys make "one
answer per phone, or per browser, per service per semester" a fact the database keeps, not a
check that two requests could race past. Phones, browsers and addresses are kept only as
keyed hashes: the survey is anonymous, and the hash is only good for spotting a repeat.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ticketing.extensions import db
from ticketing.models.base import BigIntId, IdMixin, TimestampMixin, UTCDateTime, utcnow
from ticketing.models.regions import region_column

ELEMENTS = ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")
SERVICE_MODES = ("counter", "online")
SEXES = ("L", "P")
# The regulation's questionnaire: "SD ke bawah, SMP, SMA, D1-D3-D4, S1, S2 ke atas" and
# "PNS, TNI, POLRI, Swasta, Wirausaha, Lainnya".
EDUCATIONS = ("sd", "smp", "sma", "diploma", "s1", "s2")
OCCUPATIONS = ("pns", "tni", "polri", "swasta", "wirausaha", "lainnya")
SKM_CHANNELS = ("web", "api", "whatsapp", "sms", "telegram")


class PublicService(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "public_services"
    __table_args__ = (
        UniqueConstraint("region_code", "code", name="uq_public_services_region_code"),
        Index("ix_public_services_region_opd", "region_code", "opd_code"),
    )

    region_code: Mapped[str] = region_column()
    code: Mapped[str] = mapped_column(String(32), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    # The OPD (or area office) of this region that delivers it: (region_code, opd_code).
    opd_code: Mapped[str] = mapped_column(String(32), nullable=False)
    mode: Mapped[str] = mapped_column(String(8), default="counter", nullable=False)
    # People served per semester: the population the sample size is drawn from.
    population: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Elements this service does not have (no tariff: ["u4"]); the index skips them.
    not_applicable: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    # The OPD's "Penanganan pengaduan": the citizen of a resolved ticket rates it.
    complaint_handling: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)


class SurveyResponse(db.Model):
    __tablename__ = "skm_responses"
    __table_args__ = (
        UniqueConstraint("service_id", "semester", "phone_hash", name="uq_skm_responses_phone"),
        UniqueConstraint("service_id", "semester", "browser_hash", name="uq_skm_responses_browser"),
        Index("ix_skm_responses_region_semester", "region_code", "semester", "service_id"),
        Index("ix_skm_responses_region_address", "region_code", "address_hash", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    region_code: Mapped[str] = region_column()
    service_id: Mapped[int] = mapped_column(ForeignKey("public_services.id"), nullable=False)
    semester: Mapped[str] = mapped_column(String(6), nullable=False)  # "2026-2"
    u1: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    u2: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    u3: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    u4: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    u5: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    u6: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    u7: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    u8: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    u9: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    sex: Mapped[str] = mapped_column(String(1), nullable=False)
    age: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    education: Mapped[str] = mapped_column(String(16), nullable=False)
    occupation: Mapped[str] = mapped_column(String(16), nullable=False)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    channel: Mapped[str] = mapped_column(String(16), nullable=False)
    phone_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    browser_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    address_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # A burst from one address: kept and shown as flagged, left out of the index.
    flagged: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    # Set when the answer rates the handling of the citizen's own complaint.
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    def answers(self) -> dict[str, int | None]:
        return {element: getattr(self, element) for element in ELEMENTS}
