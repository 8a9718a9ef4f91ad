"""Admin pages for the SKM services (services/skm.py): each OPD's services, counter or online,
the people served per semester (the sample size), and the elements that do not apply."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from marshmallow import fields, validate

from ticketing import catalogue
from ticketing.console.schemas import FormSchema
from ticketing.console.views import bp, current_user, explain, load_form, roles_required
from ticketing.errors import APIError
from ticketing.models.skm import ELEMENTS, SERVICE_MODES
from ticketing.roles import ADMIN
from ticketing.services import administration, skm


class ServiceForm(FormSchema):
    code = fields.String(load_default=None, validate=validate.Length(min=1, max=32))  # new ones only
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    opd = fields.String(required=True, validate=validate.Length(min=1, max=32))
    mode = fields.String(required=True, validate=validate.OneOf(SERVICE_MODES))
    population = fields.Integer(load_default=None, validate=validate.Range(1, 100_000_000))
    active = fields.Boolean(load_default=False)
    complaint_handling = fields.Boolean(load_default=False)


@bp.get("/admin/skm")
@roles_required(ADMIN)
def admin_skm_services():
    user = current_user()
    return render_template(
        "console/admin/skm.html",
        services=skm.list_services([user.region_code], include_inactive=True),
        opds=administration.all_opds(),
        elements=ELEMENTS,
        modes=SERVICE_MODES,
        element_name=lambda e: catalogue.text(f"skm.short.{e}"),
        entries=administration.recent(50, "skm_service", current_user()),
    )


@bp.post("/admin/skm")
@bp.post("/admin/skm/<code>")
@roles_required(ADMIN)
def admin_skm_service_save(code: str | None = None):
    try:
        form = load_form(ServiceForm())
        service = skm.save_service(
            current_user(),
            code=code or form["code"] or "",
            name=form["name"],
            opd_code=form["opd"],
            mode=form["mode"],
            population=form["population"],
            not_applicable=[e for e in request.form.getlist("not_applicable") if e in ELEMENTS],
            active=form["active"],
            complaint_handling=form["complaint_handling"],
            create=code is None,
        )
    except APIError as exc:
        if exc.status == 404:
            raise
        flash(f"Gagal menyimpan: {explain(exc)}", "error")
        return redirect(url_for("console.admin_skm_services")), 303
    flash(f"Layanan {service.code} tersimpan.", "success")
    return redirect(url_for("console.admin_skm_services")), 303
