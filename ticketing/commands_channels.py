"""CLI for channel accounts (issue #16): which region a number or bot serves."""

from __future__ import annotations

import click
from flask import Flask

from ticketing.errors import APIError
from ticketing.models.channel_accounts import CHANNEL_ACCOUNT_PROVIDERS
from ticketing.services.channel_accounts import add_account, list_accounts, remove_account


def register_channel_commands(app: Flask) -> None:
    @app.cli.command("add-channel-account")
    @click.option("--provider", required=True, type=click.Choice(CHANNEL_ACCOUNT_PROVIDERS))
    @click.option(
        "--account",
        required=True,
        help="WhatsApp phone_number_id, Twilio To number, gateway to, or the Telegram bot's name.",
    )
    @click.option("--region", "region_code", required=True, help="Region code, e.g. 35.72 (a province: 35).")
    def add_channel_account(provider, account, region_code) -> None:
        """Add a channel account, or move it to another region."""
        try:
            row, created = add_account(
                provider=provider,
                account=account,
                region_code=region_code,
                actor_label="cli:add-channel-account",
            )
        except APIError as exc:
            fields = "; ".join(f"{k}: {', '.join(v)}" for k, v in (exc.fields or {}).items())
            raise click.ClickException(f"{exc.message} {fields}".strip()) from exc
        state = "added" if created else "updated"
        click.echo(f"channel account {row.provider} {row.account} → {row.region_code} {state}")

    @app.cli.command("list-channel-accounts")
    def list_channel_accounts() -> None:
        """Every channel account: id, provider, account, region."""
        for row in list_accounts():
            click.echo(f"{row.id}\t{row.provider}\t{row.account}\t{row.region_code}")

    @app.cli.command("remove-channel-account")
    @click.argument("row_id", type=int)
    def remove_channel_account(row_id) -> None:
        """Remove a channel account by its id (list-channel-accounts): its messages go to DEFAULT_REGION."""
        if not remove_account(row_id, actor_label="cli:remove-channel-account"):
            raise click.ClickException(f"no channel account {row_id}")
        click.echo(f"channel account {row_id} removed")
