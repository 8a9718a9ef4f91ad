"""CLI for Open311 API keys (API.md §1: `create-api-key --name N` prints the key last)."""

from __future__ import annotations

import click
from flask import Flask

from ticketing.errors import APIError
from ticketing.services.api_keys import (
    API_KEY_SCOPES,
    create_api_key,
    list_api_keys,
    revoke_api_keys,
)


def register_open311_commands(app: Flask) -> None:
    @app.cli.command("create-api-key")
    @click.option("--name", required=True, help="Who the key is for, e.g. the app's name.")
    @click.option(
        "--scope",
        type=click.Choice(API_KEY_SCOPES),
        default=None,
        help="full_detail: GET requests show exact locations, addresses and the "
        "masked description. Without it the key reads the public view.",
    )
    @click.option("--region", "region_code", default=None, help="Region code (default DEFAULT_REGION).")
    def create_api_key_command(name: str, scope: str | None, region_code: str | None) -> None:
        """Issue an Open311 API key; the key is printed once, as the last line."""
        try:
            issued = create_api_key(name, scope, region_code)
        except APIError as exc:
            raise click.ClickException(exc.message) from exc
        click.echo(
            f"Open311 API key for {issued.api_key.name} (id {issued.api_key.id}, region "
            f"{issued.api_key.region_code}, scope {issued.api_key.scope or 'public'}); store it "
            "now, it is not shown again:"
        )
        click.echo(issued.key)

    @app.cli.command("revoke-api-key")
    @click.option("--name", required=True)
    def revoke_api_key_command(name: str) -> None:
        """Revoke every active Open311 API key issued under NAME."""
        click.echo(f"revoked {revoke_api_keys(name)} key(s) named {name}")

    @app.cli.command("list-api-keys")
    def list_api_keys_command() -> None:
        """Open311 API keys: id, prefix, name, scope, region, created, revoked."""
        for row in list_api_keys():
            state = f"revoked {row.revoked_at.isoformat()}" if row.revoked_at else "active"
            click.echo(
                f"{row.id}\t{row.key_prefix}…\t{row.name}\t{row.scope or 'public'}\t{row.region_code}\t"
                f"{row.created_at.isoformat()}\t{state}"
            )
