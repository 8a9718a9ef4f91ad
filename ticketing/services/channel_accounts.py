"""Channel accounts (issue #16): the region a message is filed in, from the account it reached.

Admins keep the rows with `flask --app wsgi add-channel-account` and the console's admin page.
The account of a message is read from its provider payload, which the conversation stores with
it (so a spooled message replays to the same region):

- Meta WhatsApp Cloud API: `metadata.phone_number_id`;
- Twilio (SMS and WhatsApp): the `To` number (without `whatsapp:`);
- the SMS gateway: its `to`;
- Telegram: the bot is the configured token, one per deployment: the `telegram` row, whatever
  its account id.

No row (a single-city deployment has none) → `DEFAULT_REGION`.
"""

from __future__ import annotations

from sqlalchemy import select

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.models import Region
from ticketing.models.channel_accounts import CHANNEL_ACCOUNT_PROVIDERS, ChannelAccount
from ticketing.phones import InvalidPhoneNumber, to_e164
from ticketing.services.administration import record
from ticketing.services.regions import default_region_code, visible_region_codes

# The conversation's provider names → the account table's.
PROVIDER_OF = {
    "meta_whatsapp": "whatsapp",
    "twilio_sms": "twilio",
    "twilio_whatsapp": "twilio",
    "gateway": "gateway",
    "telegram": "telegram",
}
MAX_ACCOUNT = 128


def _invalid(field: str, key: str, **values) -> APIError:
    message = catalogue.text(key, **values)
    return APIError(422, "invalid_fields", message, {field: [message]})


def normalise_account(provider: str, account: str | None) -> str:
    """The stored form of an account id: a number as E.164 (Twilio's `To`, the gateway's `to`,
    with or without `whatsapp:`), anything else as given."""
    account = str(account or "").strip()
    if provider in ("twilio", "gateway"):
        bare = account.removeprefix("whatsapp:").strip()
        try:
            return to_e164(bare)
        except InvalidPhoneNumber:
            return bare
    return account


def account_payload(row: ChannelAccount) -> dict:
    return {"id": row.id, "provider": row.provider, "account": row.account, "region": row.region_code}


def list_accounts(account=None) -> list[ChannelAccount]:
    """Every row, or those of the regions `account` (an admin) sees."""
    query = select(ChannelAccount).order_by(
        ChannelAccount.region_code, ChannelAccount.provider, ChannelAccount.account
    )
    if account is not None:
        query = query.where(ChannelAccount.region_code.in_(visible_region_codes(account)))
    return list(db.session.scalars(query))


def add_account(
    *, provider: str, account: str, region_code: str, actor=None, actor_label: str | None = None
) -> tuple[ChannelAccount, bool]:
    """Add the account, or move it to `region_code` (True when added); audited; commits. 422
    naming the field at fault."""
    provider = (provider or "").strip().lower()
    if provider not in CHANNEL_ACCOUNT_PROVIDERS:
        raise _invalid("provider", "field.one_of", choices=", ".join(CHANNEL_ACCOUNT_PROVIDERS))
    account = normalise_account(provider, account)
    if not account or len(account) > MAX_ACCOUNT:
        raise _invalid("account", "field.length_between", min=1, max=MAX_ACCOUNT)
    region_code = (region_code or "").strip()
    if db.session.get(Region, region_code) is None:
        raise _invalid("region", "error.unknown_region_field")
    if actor is not None and region_code not in visible_region_codes(actor):
        raise _invalid("region", "error.unknown_region_field")
    row = db.session.scalar(
        select(ChannelAccount).where(ChannelAccount.provider == provider, ChannelAccount.account == account)
    )
    created = row is None
    before = None if created else row.region_code
    if created:
        row = ChannelAccount(provider=provider, account=account, region_code=region_code)
        db.session.add(row)
    else:
        row.region_code = region_code
    db.session.flush()
    if created or before != region_code:
        record(
            actor,
            "channel_account.create" if created else "channel_account.update",
            "channel_account",
            f"{provider}:{account}",
            {"region": [before, region_code]},
            actor_label=actor_label,
            region_code=region_code,
        )
    db.session.commit()
    return row, created


def remove_account(row_id: int, *, actor=None, actor_label: str | None = None) -> bool:
    """Remove one row (False when there is none the actor sees); audited; commits."""
    row = db.session.get(ChannelAccount, row_id)
    if row is None or (actor is not None and row.region_code not in visible_region_codes(actor)):
        db.session.rollback()
        return False
    record(
        actor,
        "channel_account.delete",
        "channel_account",
        f"{row.provider}:{row.account}",
        {"region": [row.region_code, None]},
        actor_label=actor_label,
        region_code=row.region_code,
    )
    db.session.delete(row)
    db.session.commit()
    return True


def account_of(provider: str, payload: dict | None) -> tuple[str, str | None] | None:
    """(table provider, account id) a stored message arrived on; None for a provider we do
    not map. The account is None when the payload does not say (Telegram: the bot's row)."""
    kind = PROVIDER_OF.get(provider)
    if kind is None:
        return None
    payload = payload if isinstance(payload, dict) else {}
    if kind == "whatsapp":
        metadata = payload.get("metadata") if isinstance(payload.get("metadata"), dict) else {}
        raw = metadata.get("phone_number_id")
    elif kind == "twilio":
        raw = payload.get("To")
    elif kind == "gateway":
        raw = payload.get("to")
    else:
        return kind, None
    return kind, (normalise_account(kind, raw) if isinstance(raw, str | int) and str(raw).strip() else None)


def account_region(provider: str, payload: dict | None) -> str:
    """The region of the account a message arrived on; `DEFAULT_REGION` for one without a row."""
    found = account_of(provider, payload)
    if found is None:
        return default_region_code()
    kind, account = found
    query = select(ChannelAccount.region_code).where(ChannelAccount.provider == kind)
    if kind == "telegram":
        query = query.order_by(ChannelAccount.id).limit(1)
    elif account is None:
        return default_region_code()
    else:
        query = query.where(ChannelAccount.account == account)
    return db.session.scalar(query) or default_region_code()
