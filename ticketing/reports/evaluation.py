"""`/reports/evaluation?semester=2026-2[&format=pdf|csv]`: the Smart City evaluation pack for
staff (services/evaluation.py), signed in to the console or with a Bearer token; a province
account sees its cities, a city account its own."""

from __future__ import annotations

from flask import Response, render_template, request, session, stream_with_context
from markupsafe import Markup

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import limiter
from ticketing.http import bearer_token
from ticketing.ratelimits import PUBLIC_READS_SCOPE, public_reads_limit
from ticketing.reports.schemas import EvaluationQuerySchema
from ticketing.reports.views import bp
from ticketing.roles import STAFF_ROLES
from ticketing.services.accounts import user_for_token
from ticketing.services.evaluation import CSV_HEADER, csv_rows, evaluation_pack, staff_user_for_session
from ticketing.services.opendata import csv_stream
from ticketing.services.regions import visible_region_codes
from ticketing.services.skm import parse_semester

query_schema = EvaluationQuerySchema()


def _staff():
    user = user_for_token(bearer_token())
    if user is None:
        user = staff_user_for_session(session.get("uid"), session.get("tv"), STAFF_ROLES)
    if user is None:
        raise APIError(
            401, "unauthorized", catalogue.text("error.unauthorized"), headers={"WWW-Authenticate": "Bearer"}
        )
    if user.role not in STAFF_ROLES:
        raise APIError(403, "forbidden", catalogue.text("error.forbidden"))
    return user


@bp.get("/reports/evaluation")
@limiter.shared_limit(public_reads_limit, scope=PUBLIC_READS_SCOPE)
def evaluation():
    # matplotlib (half a second of imports) loads with the first pack drawn, not with every process.
    from ticketing.reports.evaluation_charts import render_pdf, svg_charts

    user = _staff()
    query = query_schema.load(request.args.to_dict())
    semester = parse_semester(query.get("semester"))
    pack = evaluation_pack(semester, visible_region_codes(user))
    name = f"paket-evaluasi-{semester.code}"
    if query["format"] == "pdf":
        return Response(
            render_pdf(pack),
            content_type="application/pdf",
            headers={
                "Content-Disposition": f'inline; filename="{name}.pdf"',
                "Cache-Control": "private, no-store",
            },
        )
    if query["format"] == "csv":
        return Response(
            stream_with_context(csv_stream(CSV_HEADER, csv_rows(pack))),
            content_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{name}.csv"',
                "Cache-Control": "private, no-store",
            },
        )
    charts = {key: Markup(svg) for key, svg in svg_charts(pack).items()}
    html = render_template("reports/evaluation.html", pack=pack, charts=charts, msg=catalogue.text)
    return Response(
        html, content_type="text/html; charset=utf-8", headers={"Cache-Control": "private, no-store"}
    )
