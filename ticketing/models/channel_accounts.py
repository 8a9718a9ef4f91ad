"""Channel accounts (issue #16): which region a provider account (a number, a bot) serves.

One row per (provider, account): a WhatsApp Cloud API `phone_number_id`, a Twilio `To` number,
an SMS gateway's `to`, a Telegram bot. A message arriving on it is filed in its region; a
province-wide account carries the province's code and the complaint's place decides
(services/region_choice.py). A single-city deployment needs no rows: an unknown account files
in `DEFAULT_REGION`.
"""

from __future__ import annotations

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ticketing.extensions import db
from ticketing.models.base import IdMixin, TimestampMixin
from ticketing.models.regions import region_column

CHANNEL_ACCOUNT_PROVIDERS = ("whatsapp", "twilio", "gateway", "telegram")


class ChannelAccount(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "channel_accounts"

    region_code: Mapped[str] = region_column()
    provider: Mapped[str] = mapped_column(String(16), nullable=False)
    account: Mapped[str] = mapped_column(String(128), nullable=False)

    __table_args__ = (
        UniqueConstraint("provider", "account", name="uq_channel_accounts_provider_account"),
        Index("ix_channel_accounts_region_provider", "region_code", "provider"),
    )
