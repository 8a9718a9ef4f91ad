"""`GET /openapi.json` (OpenAPI 3.1 of /api/v1) and `GET /docs` (Swagger UI, vendored)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template

from ticketing.apidocs.spec import build_spec

bp = Blueprint("apidocs", __name__, template_folder="templates")

SPEC_KEY = "aduan.openapi"


@bp.get("/openapi.json")
def openapi():
    # Built once per process: the routes and schemas do not change while it runs.
    spec = current_app.extensions.get(SPEC_KEY)
    if spec is None:
        spec = current_app.extensions[SPEC_KEY] = build_spec(current_app)
    return jsonify(spec)


@bp.get("/docs")
def docs():
    return render_template("apidocs/swagger.html")


@bp.get("/docs/init.js")
def docs_init():
    # A file rather than an inline script, so a strict Content-Security-Policy keeps working.
    script = (
        f"window.ui = SwaggerUIBundle({{url: {_json_url()}, dom_id: '#swagger-ui', "
        "deepLinking: true, persistAuthorization: true});"
    )
    return current_app.response_class(script, content_type="application/javascript")


def _json_url() -> str:
    from flask import json, url_for

    return json.dumps(url_for("apidocs.openapi"))
