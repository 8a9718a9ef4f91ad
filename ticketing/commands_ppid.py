"""CLI for the annual PPID report (issue #17): `flask --app wsgi ppid-report --year 2026`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from ticketing.errors import APIError
from ticketing.services.opendata import csv_stream
from ticketing.services.ppid_report import CSV_COLUMNS, check_year, csv_rows, ppid_report


def register_ppid_commands(app: Flask) -> None:
    @app.cli.command("ppid-report")
    @click.option("--year", required=True, help="The calendar year (the city's), e.g. 2026.")
    @click.option("--format", "fmt", type=click.Choice(("csv", "pdf")), default="csv")
    @click.option(
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="File to write (default: CSV to standard output, PDF to ppid-report-YEAR.pdf).",
    )
    @click.option("--region", "region_code", default=None, help="Only this region's requests.")
    def ppid_report_command(year: str, fmt: str, output: Path | None, region_code: str | None) -> None:
        """The year's information requests: decisions, exemptions used, median days, objections."""
        try:
            report = ppid_report(check_year(year), [region_code] if region_code else None)
        except APIError as exc:
            raise click.UsageError(exc.message) from exc
        if fmt == "pdf":
            from ticketing.ppid_pdf import render_ppid_pdf

            target = output or Path(f"ppid-report-{report['year']}.pdf")
            target.write_bytes(render_ppid_pdf(report))
            click.echo(f"wrote {target}")
            return
        text = "".join(csv_stream(CSV_COLUMNS, csv_rows(report)))
        if output is None:
            click.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8")
            click.echo(f"wrote {output}")
