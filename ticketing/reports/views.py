"""Reports: the monthly OPD performance report (HTML and PDF) and the staff CSV export.

The monthly report is public: it holds only aggregates per OPD, category and channel — the
figures the Smart City evaluation publishes anyway — and no ticket, text or identity. The CSV
of tickets is staff-only (Bearer token; officers get their own OPD's rows).
"""

from __future__ import annotations

from flask import Blueprint, Response, g, render_template, request, stream_with_context
from markupsafe import Markup

from ticketing import formatting
from ticketing.extensions import limiter
from ticketing.http import require_roles
from ticketing.ratelimits import PUBLIC_READS_SCOPE, public_reads_limit
from ticketing.reports.schemas import MonthlyQuerySchema, TicketsCsvQuerySchema
from ticketing.roles import WORK_ROLES
from ticketing.services.opendata import STAFF_COLUMNS, csv_stream, staff_rows
from ticketing.services.region_comparison import monthly_csv, report_region
from ticketing.services.report_cache import cached_report
from ticketing.services.report_summary import monthly_report_with_summary
from ticketing.services.reports import Month, monthly_report

bp = Blueprint("reports", __name__, template_folder="templates")


@bp.app_template_filter("angka")
def _indonesian_number(value, digits: int = 1) -> str:
    """`{{ 2.5|angka }}` → "2,5", `{{ 1234|angka(0) }}` → "1.234"; None → "–"."""
    return formatting.number(value, digits)


monthly_schema = MonthlyQuerySchema()
csv_schema = TicketsCsvQuerySchema()


@bp.get("/reports/monthly")
@limiter.shared_limit(public_reads_limit, scope=PUBLIC_READS_SCOPE)
def monthly():
    # matplotlib (half a second of imports) loads with the first report drawn, not with every process.
    from ticketing.reports.charts import render_pdf, svg_charts

    query = monthly_schema.load(request.args.to_dict())
    month = Month.parse(query["month"])
    region = report_region(query["region"])  # issue #16: None is DEFAULT_REGION, as before
    # A region's rendering is cached apart; the default report keeps its key.
    suffix = f":{region}" if region else ""
    name = f"laporan-opd-{region.replace('.', '') + '-' if region else ''}{month.code}"
    if query["format"] == "pdf":
        body = cached_report(
            month, "pdf" + suffix, lambda: render_pdf(monthly_report_with_summary(month, region))
        )
        return Response(
            body,
            content_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{name}.pdf"'},
        )
    if query["format"] == "csv":
        body = cached_report(month, "csv" + suffix, lambda: monthly_csv(monthly_report(month, region)))
        return Response(
            body,
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )

    def render_html() -> bytes:
        report = monthly_report_with_summary(month, region)
        charts = {name: Markup(svg) for name, svg in svg_charts(report).items()}
        return render_template("reports/monthly.html", report=report, charts=charts).encode()

    return Response(
        cached_report(month, "html" + suffix, render_html), content_type="text/html; charset=utf-8"
    )


@bp.get("/api/v1/tickets.csv")
@require_roles(*WORK_ROLES)
def tickets_csv():
    query = csv_schema.load(request.args.to_dict())
    rows = staff_rows(
        g.user,
        start=query["start"],
        end=query["end"],
        status=query.get("status"),
        opd=query.get("opd"),
        category=query.get("category"),
        channel=query.get("channel"),
    )
    return Response(
        stream_with_context(csv_stream(STAFF_COLUMNS, rows)),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="tickets.csv"'},
    )
