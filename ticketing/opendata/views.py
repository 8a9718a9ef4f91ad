"""Open data: every non-confidential ticket, anonymised, as CSV or JSON, and its dictionary."""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request, stream_with_context

from ticketing.extensions import limiter
from ticketing.opendata.schemas import DateRangeSchema
from ticketing.ratelimits import PUBLIC_READS_SCOPE, public_reads_limit
from ticketing.services.opendata import (
    OPEN_DATA_COLUMNS,
    OPEN_DATA_FIELDS,
    csv_stream,
    open_data_rows,
)

bp = Blueprint("opendata", __name__, url_prefix="/open-data", template_folder="templates")

range_schema = DateRangeSchema()
LICENSE = "CC BY 4.0"


def json_stream(rows, meta: dict):
    head = json.dumps(meta, ensure_ascii=False)[:-1]
    yield head + ', "items": ['
    for count, row in enumerate(rows):
        yield ("," if count else "") + json.dumps(row, ensure_ascii=False)
    yield "]}"


@bp.get("/")
@limiter.shared_limit(public_reads_limit, scope=PUBLIC_READS_SCOPE)
def dictionary():
    return render_template("opendata/dictionary.html", fields=OPEN_DATA_FIELDS, license=LICENSE)


@bp.get("/tickets.csv")
@limiter.shared_limit(public_reads_limit, scope=PUBLIC_READS_SCOPE)
def tickets_csv():
    window = range_schema.load(request.args.to_dict())
    rows = open_data_rows(window["start"], window["end"])
    return Response(
        stream_with_context(csv_stream(OPEN_DATA_COLUMNS, rows)),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="aduan-tickets.csv"'},
    )


@bp.get("/tickets.json")
@limiter.shared_limit(public_reads_limit, scope=PUBLIC_READS_SCOPE)
def tickets_json():
    window = range_schema.load(request.args.to_dict())
    rows = open_data_rows(window["start"], window["end"])
    meta = {"license": LICENSE, "fields": list(OPEN_DATA_COLUMNS)}
    return Response(stream_with_context(json_stream(rows, meta)), content_type="application/json")
