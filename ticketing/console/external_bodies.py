"""Admin page: the registry of outside bodies (issue #17) a ticket can be forwarded to, and the
operator's form that forwards one (the lifecycle decides, services/handoffs.py carries it out)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from marshmallow import fields, validate

from ticketing import catalogue
from ticketing.console.schemas import FormSchema
from ticketing.console.views import bp, current_user, explain, load_form, roles_required
from ticketing.errors import APIError
from ticketing.models.handoffs import EXTERNAL_BODY_KINDS
from ticketing.roles import ADMIN
from ticketing.services import administration
from ticketing.services.external_bodies import bodies_for, save_body


class ExternalBodyForm(FormSchema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=32))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(required=True, validate=validate.OneOf(EXTERNAL_BODY_KINDS))
    email = fields.String(required=True, validate=validate.Length(min=3, max=254))
    region = fields.String(load_default=None, validate=validate.Length(max=16))
    active = fields.Boolean(load_default=False)


@bp.get("/admin/external-bodies")
@roles_required(ADMIN)
def admin_external_bodies():
    user = current_user()
    return render_template(
        "console/admin/external_bodies.html",
        bodies=bodies_for(user, include_inactive=True),
        kinds=[(kind, catalogue.text(f"external_kind.{kind}")) for kind in EXTERNAL_BODY_KINDS],
        default_region=user.region_code,
        entries=administration.recent(50, "external_body", current_user()),
    )


@bp.post("/admin/external-bodies")
@roles_required(ADMIN)
def admin_external_body_save():
    try:
        form = load_form(ExternalBodyForm())
        body, created = save_body(
            code=form["code"],
            name=form["name"],
            kind=form["kind"],
            email=form["email"],
            region_code=form["region"] or current_user().region_code,
            active=form["active"],
            actor=current_user(),
        )
    except APIError as exc:
        flash(f"Gagal menyimpan: {explain(exc)}", "error")
        return redirect(url_for("console.admin_external_bodies")), 303
    flash(f"Instansi luar {body.code} {'ditambahkan' if created else 'tersimpan'}.", "success")
    return redirect(url_for("console.admin_external_bodies")), 303


@bp.context_processor
def external_bodies_for_forms() -> dict:
    """`external_bodies()` for the ticket page's forward form, read only when it is shown."""

    def external_bodies():
        return bodies_for(current_user())

    return {"external_bodies": external_bodies}
