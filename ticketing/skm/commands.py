"""`flask --app wsgi skm seed-demo [--answers]`: the demo services (config/skm_demo.json) and,
for a local demo, a semester of demo answers in the current semester."""

from __future__ import annotations

import click
from flask import current_app

from ticketing.services.skm import current_semester
from ticketing.services.skm_demo import seed_demo_answers, seed_demo_services
from ticketing.skm.views import bp


@bp.cli.command("seed-demo")
@click.option("--answers", is_flag=True, help="Also replace this semester's answers of the demo services.")
def seed_demo(answers: bool) -> None:
    """Seed the demo SKM services (idempotent), and with --answers the demo semester's answers."""
    if answers and current_app.config.get("ADUAN_ENV") == "production":
        # The demo answers replace this semester's answers of those services: never on a real city.
        raise click.ClickException("--answers refuses to run with ADUAN_ENV=production.")
    added = seed_demo_services()
    click.echo(f"demo SKM services seeded: {added} new")
    if answers:
        semester = current_semester()
        click.echo(f"demo SKM answers: {seed_demo_answers(semester)} in {semester.code}")
