"""CLI for the registry of outside bodies (issue #17): add or change one, list them."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import select

from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.models import ExternalBody
from ticketing.models.handoffs import EXTERNAL_BODY_KINDS
from ticketing.services.external_bodies import save_body


def register_external_commands(app: Flask) -> None:
    @app.cli.command("add-external-body")
    @click.option("--code", required=True, help="e.g. PLN-UP3-KDR (capitals, digits, hyphens)")
    @click.option("--name", required=True)
    @click.option("--kind", required=True, type=click.Choice(EXTERNAL_BODY_KINDS))
    @click.option("--email", required=True, help="Where hand-off e-mails go.")
    @click.option("--region", "region_code", default=None, help="Region code (default DEFAULT_REGION).")
    @click.option("--inactive", is_flag=True, help="Keep it, but offer it to nobody.")
    def add_external_body(code, name, kind, email, region_code, inactive) -> None:
        """Add an outside body, or change the one with this code in this region."""
        try:
            body, created = save_body(
                code=code,
                name=name,
                kind=kind,
                email=email,
                region_code=region_code,
                active=not inactive,
                actor_label="cli:add-external-body",
            )
        except APIError as exc:
            fields = "; ".join(f"{k}: {', '.join(v)}" for k, v in (exc.fields or {}).items())
            raise click.ClickException(f"{exc.message} {fields}".strip()) from exc
        click.echo(f"external body {body.code} ({body.region_code}) {'added' if created else 'updated'}")

    @app.cli.command("list-external-bodies")
    def list_external_bodies() -> None:
        """Every outside body: region, code, kind, e-mail, name."""
        for body in db.session.scalars(
            select(ExternalBody).order_by(ExternalBody.region_code, ExternalBody.code)
        ):
            state = "" if body.active else " (inactive)"
            click.echo(f"{body.region_code}\t{body.code}\t{body.kind}\t{body.email}\t{body.name}{state}")
