"""Admin page: channel accounts (issue #16), the region each WhatsApp number, Twilio number, SMS
gateway number and Telegram bot serves (services/channel_accounts.py does the work)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from marshmallow import fields, validate

from ticketing import catalogue
from ticketing.console.schemas import FormSchema
from ticketing.console.views import bp, current_user, explain, load_form, roles_required
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.models import Region
from ticketing.models.channel_accounts import CHANNEL_ACCOUNT_PROVIDERS
from ticketing.roles import ADMIN
from ticketing.services import administration
from ticketing.services.channel_accounts import add_account, list_accounts, remove_account
from ticketing.services.regions import visible_region_codes


class ChannelAccountForm(FormSchema):
    provider = fields.String(required=True, validate=validate.OneOf(CHANNEL_ACCOUNT_PROVIDERS))
    account = fields.String(required=True, validate=validate.Length(min=1, max=128))
    region = fields.String(required=True, validate=validate.Length(min=1, max=16))


@bp.get("/admin/channel-accounts")
@roles_required(ADMIN)
def admin_channel_accounts():
    user = current_user()
    codes = visible_region_codes(user)
    return render_template(
        "console/admin/channel_accounts.html",
        accounts=list_accounts(user),
        providers=CHANNEL_ACCOUNT_PROVIDERS,
        regions=[db.session.get(Region, code) for code in codes],
        default_region=user.region_code,
        entries=administration.recent(50, "channel_account", current_user()),
        t=catalogue.text,
    )


@bp.post("/admin/channel-accounts")
@roles_required(ADMIN)
def admin_channel_account_save():
    try:
        form = load_form(ChannelAccountForm())
        add_account(
            provider=form["provider"],
            account=form["account"],
            region_code=form["region"],
            actor=current_user(),
        )
    except APIError as exc:
        flash(f"Gagal menyimpan: {explain(exc)}", "error")
        return redirect(url_for("console.admin_channel_accounts")), 303
    flash(catalogue.text("admin.channel_account_saved"), "success")
    return redirect(url_for("console.admin_channel_accounts")), 303


@bp.post("/admin/channel-accounts/<int:row_id>/delete")
@roles_required(ADMIN)
def admin_channel_account_remove(row_id: int):
    if remove_account(row_id, actor=current_user()):
        flash(catalogue.text("admin.channel_account_removed"), "success")
    return redirect(url_for("console.admin_channel_accounts")), 303
