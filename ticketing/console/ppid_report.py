"""The annual PPID report page (issue #17): HTML, CSV and PDF of services/ppid_report.py, for the
command centre, the PPIDs (a PPID pembantu sees its own OPD's requests) and the atasan PPID."""

from __future__ import annotations

from flask import Response, render_template, request, stream_with_context

from ticketing import catalogue
from ticketing.console.views import bp, current_user, error_page, explain, roles_required
from ticketing.errors import APIError
from ticketing.formatting import city_zone
from ticketing.models.base import utcnow
from ticketing.roles import ADMIN, ATASAN_PPID, OPERATOR, PPID
from ticketing.services.opendata import csv_stream
from ticketing.services.ppid_report import (
    CSV_COLUMNS,
    SUMMARY_KEYS,
    check_year,
    csv_rows,
    ground_label,
    ppid_report,
)
from ticketing.services.regions import visible_region_codes

REPORT_ROLES = (ADMIN, OPERATOR, PPID, ATASAN_PPID)


@bp.get("/ppid-report")
@roles_required(*REPORT_ROLES)
def ppid_report_page():
    user = current_user()
    try:
        year = check_year(request.args.get("year") or utcnow().astimezone(city_zone()).year)
    except APIError as exc:
        return error_page(422, explain(exc))
    fmt = request.args.get("format", "html")
    report = ppid_report(year, visible_region_codes(user), user.opd_code if user.role == PPID else None)
    if fmt == "csv":
        return Response(
            stream_with_context(csv_stream(CSV_COLUMNS, csv_rows(report))),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="laporan-ppid-{year}.csv"'},
        )
    if fmt == "pdf":
        from ticketing.ppid_pdf import render_ppid_pdf  # matplotlib: loaded when a PDF is asked for

        return Response(
            render_ppid_pdf(report),
            content_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="laporan-ppid-{year}.pdf"'},
        )
    sections = ("exemptions", "objection_grounds", "by_opd", "none")
    texts = {key: catalogue.text(f"ppid.{key}") for key in sections}
    labels = [(key, catalogue.text(label)) for key, label in SUMMARY_KEYS]
    return render_template(
        "console/ppid_report.html", report=report, summary_keys=labels, texts=texts, ground_label=ground_label
    )
