"""`/instansi/<token>`: a body's page for one hand-off (server-rendered, no script, works
without JavaScript), its three forms (post, then redirect: a reload never posts twice) and the
ticket's photos. The signed token in the path is the only credential, and every form posts
back to a URL that carries it: another site cannot forge a post without the token, and no
cookie is involved. A link that was altered answers 403, one that expired or was recalled 410,
each as a page that says so.
"""

from __future__ import annotations

from flask import Blueprint, Response, g, redirect, render_template, request, url_for
from marshmallow import ValidationError

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import limiter
from ticketing.external.schemas import BodyUpdateForm, ExternalBodyListSchema
from ticketing.http import require_roles
from ticketing.ratelimits import PUBLIC_READS_SCOPE, public_reads_limit
from ticketing.roles import STAFF_ROLES
from ticketing.services.external_bodies import bodies_for, body_payload
from ticketing.services.handoff_mail import LinkProblem, handoff_for_token
from ticketing.services.handoff_views import page_view, photo_file
from ticketing.services.handoffs import body_action, parse_expected

bp = Blueprint("external", __name__, template_folder="templates")

NOTICES = {
    "external_ack": "external.page.ack_done",
    "external_update": "external.page.update_done",
    "external_done": "external.page.done_done",
    "invalid": "external.page.invalid",
    "not_now": "external.page.not_now",
}
FORM_ACTIONS = {"terima": "external_ack", "kabar": "external_update", "selesai": "external_done"}


@bp.get("/api/v1/external-bodies")
@require_roles(*STAFF_ROLES)
def list_bodies():
    return ExternalBodyListSchema().dump({"items": [body_payload(b) for b in bodies_for(g.user)]})


@bp.after_request
def page_headers(response: Response) -> Response:
    if request.path.startswith("/instansi/"):
        if response.mimetype == "text/html":
            response.headers["Content-Security-Policy"] = (
                "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                "base-uri 'none'; frame-ancestors 'none'"
            )
        # The token is in the URL: never cached by a shared cache, never sent on as a Referer.
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.errorhandler(LinkProblem)
def link_problem(exc: LinkProblem):
    kind = {"expired": "expired", "recalled": "closed"}.get(exc.reason, "forbidden")
    return render_template("external/error.html", kind=kind, msg=catalogue.text), exc.status


def _handoff(token: str):
    return handoff_for_token(token)


@bp.get("/instansi/<token>")
@limiter.shared_limit(public_reads_limit, scope=PUBLIC_READS_SCOPE)
def page(token: str):
    handoff = _handoff(token)
    view = page_view(handoff)
    if view["state"] == "recalled":
        raise LinkProblem(410, "recalled")
    notice = NOTICES.get(request.args.get("ok", "")) or NOTICES.get(request.args.get("problem", ""))
    return render_template(
        "external/page.html",
        view=view,
        token=token,
        notice=catalogue.text(notice) if notice else None,
        notice_kind="error" if request.args.get("problem") else "ok",
        msg=catalogue.text,
    )


@bp.post("/instansi/<token>/<step>")
def act(token: str, step: str):
    action = FORM_ACTIONS.get(step)
    handoff = _handoff(token)
    if action is None:
        return _back(token, problem="invalid")
    try:
        form = BodyUpdateForm().load(request.form)
        expected = parse_expected(form["expected_date"]) if action == "external_update" else None
        body_action(
            handoff,
            action,
            note=form["note"],
            reference=form["reference"],
            expected=expected,
        )
    except (ValidationError, ValueError):
        return _back(token, problem="invalid")
    except APIError as exc:
        if exc.status == 410:
            raise LinkProblem(410, "recalled") from None
        return _back(token, problem="not_now" if exc.status in (403, 409) else "invalid")
    return _back(token, ok=action)


def _back(token: str, **notice):
    return redirect(url_for("external.page", token=token, **notice), 303)


@bp.get("/instansi/<token>/foto/<name>")
def photo(token: str, name: str):
    found = photo_file(_handoff(token), name)
    if found is None:
        return render_template("external/error.html", kind="forbidden", msg=catalogue.text), 404
    content, content_type = found
    response = Response(content, mimetype=content_type)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
