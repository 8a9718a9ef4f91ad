"""Admin pages: users and roles, OPDs, categories with their SLA hours, API keys, audit log.

Every change goes through `services.administration`, which writes the change and its log entry."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for

from ticketing import catalogue
from ticketing.console.schemas import ApiKeyForm, CategoryForm, OpdForm, SlaPreviewQuery, UserForm
from ticketing.console.views import (
    ACTION_LABELS,
    bp,
    current_user,
    explain,
    load_form,
    roles_required,
)
from ticketing.errors import APIError
from ticketing.roles import ADMIN, ROLES
from ticketing.services import administration
from ticketing.services.api_keys import list_api_keys
from ticketing.services.regions import visible_region_codes


def _done(message: str, endpoint: str):
    flash(message, "success")
    return redirect(url_for(endpoint)), 303


def _failed(exc: APIError, endpoint: str):
    if exc.status == 404:
        raise exc
    flash(f"Gagal menyimpan: {explain(exc)}", "error")
    return redirect(url_for(endpoint)), 303


@bp.get("/admin/users")
@roles_required(ADMIN)
def admin_users():
    return render_template(
        "console/admin/users.html",
        users=administration.list_users(current_user()),
        roles=ROLES,
        regions=administration.admin_regions(current_user()),
        # The OPDs of every region the admin manages, grouped by region in the form.
        opds=[
            opd
            for region in administration.admin_regions(current_user())
            for opd in administration.all_opds(region.code)
        ],
        entries=administration.recent(50, "user", current_user()),
    )


@bp.post("/admin/users")
@roles_required(ADMIN)
def admin_user_create():
    try:
        form = load_form(UserForm())
        user = administration.add_user(
            current_user(),
            username=form["username"] or "",
            password=form["password"] or "",
            role=form["role"],
            opd_code=form["opd"],
            region_code=form["region"],
        )
    except APIError as exc:
        return _failed(exc, "console.admin_users")
    return _done(f"Pengguna {user.username} dibuat.", "console.admin_users")


@bp.post("/admin/users/<int:user_id>")
@roles_required(ADMIN)
def admin_user_update(user_id: int):
    try:
        form = load_form(UserForm())
        user = administration.edit_user(
            current_user(),
            user_id,
            role=form["role"],
            opd_code=form["opd"],
            active=form["active"],
            password=form["password"],
            region_code=form["region"],
        )
    except APIError as exc:
        return _failed(exc, "console.admin_users")
    return _done(f"Pengguna {user.username} diperbarui.", "console.admin_users")


@bp.get("/admin/opds")
@roles_required(ADMIN)
def admin_opds():
    return render_template(
        "console/admin/opds.html",
        opds=administration.all_opds(current_user().region_code),
        entries=administration.recent(50, "opd", current_user()),
    )


@bp.post("/admin/opds")
@bp.post("/admin/opds/<code>")
@roles_required(ADMIN)
def admin_opd_save(code: str | None = None):
    try:
        form = load_form(OpdForm())
        opd = administration.save_opd(
            current_user(),
            code=code or form["code"],
            name=form["name"],
            handles=form["handles"],
            active=form["active"],
            create=code is None,
        )
    except APIError as exc:
        return _failed(exc, "console.admin_opds")
    return _done(f"OPD {opd.code} tersimpan.", "console.admin_opds")


@bp.get("/admin/categories")
@roles_required(ADMIN)
def admin_categories():
    categories = administration.all_categories(current_user().region_code)
    # Each category's SLA as days (or hours) and what they count, with the deadline it gives.
    sla_views = {
        c.code: {
            "amount": administration.sla_in_days(c.sla_hours, c.sla_24x7),
            "preview": administration.sla_preview(c.sla_hours, c.sla_24x7),
        }
        for c in categories
    }
    units = {unit: catalogue.text(f"sla.unit.{unit}") for unit in administration.SLA_UNITS}
    return render_template(
        "console/admin/categories.html",
        categories=categories,
        sla_views=sla_views,
        sla_units=units,
        new_preview=administration.sla_preview(*administration.sla_hours_from(3, "hari_kerja")),
        opds=administration.all_opds(current_user().region_code),
        entries=administration.recent(50, "category", current_user()),
    )


@bp.post("/admin/categories")
@bp.post("/admin/categories/<code>")
@roles_required(ADMIN)
def admin_category_save(code: str | None = None):
    try:
        form = load_form(CategoryForm())
        sla_hours, sla_24x7 = administration.sla_hours_from(form["sla_amount"], form["sla_unit"])
        category = administration.save_category(
            current_user(),
            code=code or form["code"],
            name=form["name"],
            default_opd_code=form["opd"],
            sla_hours=sla_hours,
            sla_24x7=sla_24x7,
            active=form["active"],
            create=code is None,
        )
    except APIError as exc:
        return _failed(exc, "console.admin_categories")
    return _done(
        catalogue.text(
            "admin.category_saved",
            code=category.code,
            summary=administration.sla_summary(category.sla_hours, category.sla_24x7),
            preview=administration.sla_preview(category.sla_hours, category.sla_24x7),
        ),
        "console.admin_categories",
    )


@bp.get("/admin/sla-preview")
@roles_required(ADMIN)
def admin_sla_preview():
    """The deadline a complaint filed now would get, for the categories form as it is typed."""
    try:
        form = load_form(SlaPreviewQuery(), request.args.to_dict())
        hours, round_the_clock = administration.sla_hours_from(form["sla_amount"], form["sla_unit"])
    except APIError as exc:
        return {"text": explain(exc)}, 422
    summary = administration.sla_summary(hours, round_the_clock)
    preview = administration.sla_preview(hours, round_the_clock)
    return {"sla_hours": hours, "sla_24x7": round_the_clock, "text": f"{summary}. {preview}"}


@bp.get("/admin/api-keys")
@roles_required(ADMIN)
def admin_api_keys():
    # The key just made, shown on this one page view: it is stored only as a hash.
    return render_template(
        "console/admin/api_keys.html",
        keys=list_api_keys(visible_region_codes(current_user())),
        entries=administration.recent(50, "api_key", current_user()),
        new_key=session.pop("new_api_key", None),
    )


@bp.post("/admin/api-keys")
@roles_required(ADMIN)
def admin_api_key_create():
    try:
        form = load_form(ApiKeyForm())
        issued = administration.issue_api_key(current_user(), form["name"])
    except APIError as exc:
        return _failed(exc, "console.admin_api_keys")
    # Post/Redirect/Get: a reload of the page that shows the key must not make a second one.
    session["new_api_key"] = issued.key
    return _done(f"Kunci {issued.api_key.key_prefix}… ({form['name']}) dibuat.", "console.admin_api_keys")


@bp.post("/admin/api-keys/<int:key_id>/revoke")
@roles_required(ADMIN)
def admin_api_key_revoke(key_id: int):
    row = administration.revoke_api_key(current_user(), key_id)
    return _done(f"Kunci {row.key_prefix}… ({row.name}) dicabut.", "console.admin_api_keys")


@bp.get("/admin/audit")
@roles_required(ADMIN)
def admin_audit():
    """Admin changes, sign-ins and ticket actions, filtered by user and by kind."""
    username = (request.args.get("user") or "").strip()[:64] or None
    kind = request.args.get("kind") if request.args.get("kind") in administration.ACTIVITY_KINDS else None
    kinds = {key: catalogue.text(f"audit.kind.{key}") for key in administration.ACTIVITY_KINDS}
    return render_template(
        "console/admin/audit.html",
        entries=administration.activity(username=username, kind=kind, account=current_user()),
        usernames=administration.staff_usernames(current_user()),
        kinds=kinds,
        filters={"user": username or "", "kind": kind or ""},
    )


@bp.app_template_filter("audit_action")
def _audit_action(entry) -> str:
    """An audit row in words: "mengubah kategori", "tiket ABCD-2345: Diselesaikan"."""
    if isinstance(entry, dict):  # a row of administration.activity()
        action, ticket_number = entry["action"], entry["ticket_number"]
    else:  # an AuditEntry
        action, ticket_number = entry.action, None
    if ticket_number:
        return catalogue.text(
            "audit.ticket", ticket_number=ticket_number, action=ACTION_LABELS.get(action, action)
        )
    key = f"audit.{action}"
    return catalogue.text(key) if key in catalogue.CATALOGUE["id"] else action


@bp.app_template_filter("audit_field")
def _audit_field(name: str) -> str:
    key = f"audit.field.{name}"
    return catalogue.text(key) if key in catalogue.CATALOGUE["id"] else name
