"""Intake picks the region on the chat channels (issue #16), through the real webhooks, Redis,
the real worker and both databases, the providers faked at their HTTP boundary: a channel
account (added with the §6 CLI) files a message in its region; a province-wide number decides by
the place named or shared, and when it cannot asks once "Kota/Kabupaten mana?" and files the
complaint on the answer (or, unanswered, in the province's triage)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.channels.test_webhooks import outbox_rows
from tests.support.processes import wait_for
from tests.support.province import BLITAR, BLITAR_OPDS, KEDIRI, PROVINCE

BLITAR_PHONE_ID = "5550072"
PROVINCE_PHONE_ID = "5550035"
RUBBISH = "Sampah menumpuk di TPS dekat pasar sudah seminggu, bau"


def add_account(app, provider: str, account: str, region: str) -> str:
    """`flask --app wsgi add-channel-account --provider … --account ID --region CODE`."""
    result = app.test_cli_runner().invoke(
        args=["add-channel-account", "--provider", provider, "--account", account, "--region", region]
    )
    assert result.exit_code == 0, result.output
    return result.output


def meta_text_to(channels, phone_number_id: str, text: str, sender: str = "6281234567801"):
    document = channels.meta_document([channels.meta_message(sender, type="text", text={"body": text})])
    document["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = phone_number_id
    response = channels.meta(document)
    assert response.status_code == 200, response.text
    return document


def ticket_of(db_query, sender: str) -> dict | None:
    from ticketing.models import Ticket

    def load(db):
        ticket = db.session.scalar(
            select(Ticket).where(Ticket.reporter_phone == "+" + sender).order_by(Ticket.id)
        )
        if ticket is None:
            return None
        return {
            "number": ticket.ticket_number,
            "region": ticket.region_code,
            "status": ticket.status,
            "opd": ticket.opd_code,
        }

    return db_query(load)


def routed(db_query, sender: str) -> dict:
    return wait_for(
        lambda: (t := ticket_of(db_query, sender)) and t["status"] != "received" and t,
        timeout=90,
        message="ticket routed",
    )


def test_the_cli_adds_lists_moves_and_refuses(app, province):
    assert "added" in add_account(app, "whatsapp", BLITAR_PHONE_ID, BLITAR)
    assert "updated" in add_account(app, "whatsapp", BLITAR_PHONE_ID, KEDIRI)
    runner = app.test_cli_runner()
    # A Twilio number is stored as E.164 whichever way it is written.
    assert "+6281100000072" in add_account(app, "twilio", "whatsapp:081100000072", BLITAR)
    listed = runner.invoke(args=["list-channel-accounts"]).output
    assert (
        f"whatsapp\t{BLITAR_PHONE_ID}\t{KEDIRI}" in listed and f"twilio\t+6281100000072\t{BLITAR}" in listed
    )
    unknown = runner.invoke(
        args=["add-channel-account", "--provider", "gateway", "--account", "1", "--region", "99"]
    )
    assert unknown.exit_code != 0 and "region" in unknown.output
    row_id = listed.split("\t", 1)[0]
    assert runner.invoke(args=["remove-channel-account", row_id]).exit_code == 0
    assert runner.invoke(args=["remove-channel-account", row_id]).exit_code != 0


def test_a_whatsapp_complaint_to_blitars_number_lands_in_blitar_among_its_opds(
    app, channels, db_query, province, worker
):
    add_account(app, "whatsapp", BLITAR_PHONE_ID, BLITAR)
    meta_text_to(channels, BLITAR_PHONE_ID, RUBBISH, sender="6281234567801")
    ticket = routed(db_query, "6281234567801")
    assert ticket["region"] == BLITAR
    assert (ticket["status"], ticket["opd"]) == ("assigned", "DLHKP") and ticket["opd"] in BLITAR_OPDS
    # The same text to the deployment's own number (no row): the default region, as before.
    meta_text_to(channels, "1098765432", RUBBISH, sender="6281234567802")
    assert routed(db_query, "6281234567802")["region"] == KEDIRI


def test_twilio_to_and_gateway_to_pick_their_accounts_region(app, channels, db_query, province):
    from tests.channels import fake_provider as fp

    add_account(app, "twilio", fp.TWILIO_FROM, BLITAR)
    add_account(app, "gateway", "081100000072", BLITAR)
    response = channels.twilio("Lampu jalan di depan rumah mati sudah seminggu", sender="+6281234567803")
    assert response.status_code == 200, response.text
    response = channels.gateway(
        {"id": "gw-1", "from": "081234567804", "to": "+6281100000072", "text": "Saluran air tersumbat sampah"}
    )
    assert response.status_code == 200, response.text
    assert ticket_of(db_query, "6281234567803")["region"] == BLITAR
    assert ticket_of(db_query, "6281234567804")["region"] == BLITAR
    # A gateway number nobody registered: the default region.
    channels.gateway({"id": "gw-2", "from": "081234567805", "to": "0811999", "text": "Saluran air tersumbat"})
    assert ticket_of(db_query, "6281234567805")["region"] == KEDIRI


def test_a_province_wide_number_files_a_named_place_in_its_city(app, channels, db_query, province):
    add_account(app, "whatsapp", PROVINCE_PHONE_ID, PROVINCE)
    meta_text_to(channels, PROVINCE_PHONE_ID, "jalan rusak di Sananwetan", sender="6281234567806")
    meta_text_to(
        channels, PROVINCE_PHONE_ID, "Lampu di Jl. Dhoho mati semua sejak kemarin", sender="6281234567807"
    )
    assert ticket_of(db_query, "6281234567806")["region"] == BLITAR
    assert ticket_of(db_query, "6281234567807")["region"] == KEDIRI
    asked = [r for r in outbox_rows(db_query) if "Kota/Kabupaten mana?" in r["body"]]
    assert asked == []  # a place that tells the city: no question


def test_a_province_wide_number_without_a_place_asks_once_and_files_on_the_answer(
    app, channels, db_query, province, ready_worker, provider
):
    from tests.channels.test_chat_questions import interactive_sent, tap

    add_account(app, "whatsapp", PROVINCE_PHONE_ID, PROVINCE)
    sender = "6281234567808"
    meta_text_to(channels, PROVINCE_PHONE_ID, RUBBISH, sender=sender)
    # Stored at once, in the province, held (the worker does not route it) while asked.
    ticket = ticket_of(db_query, sender)
    assert (ticket["region"], ticket["status"]) == (PROVINCE, "received")
    question = interactive_sent(provider, "button")
    assert question["interactive"]["body"]["text"].startswith("Kota/Kabupaten mana?")
    buttons = {b["reply"]["title"]: b["reply"]["id"] for b in question["interactive"]["action"]["buttons"]}
    assert set(buttons) == {"Kota Blitar", "Kota Kediri"}
    asked = [r for r in outbox_rows(db_query) if "Kota/Kabupaten mana?" in r["body"]]
    assert len(asked) == 1 and "1. Kota Blitar\n2. Kota Kediri" in asked[0]["body"]  # SMS reads it too
    assert ticket_of(db_query, sender)["status"] == "received"
    tap(channels, sender, "button_reply", {"id": buttons["Kota Blitar"], "title": "Kota Blitar"})
    ticket = routed(db_query, sender)
    assert (ticket["region"], ticket["status"], ticket["opd"]) == (BLITAR, "assigned", "DLHKP")
    told = [r["body"] for r in outbox_rows(db_query) if "diteruskan ke Kota Blitar" in r["body"]]
    assert told == [f"Terima kasih. Pengaduan {ticket['number']} diteruskan ke Kota Blitar."]
    # One ticket, one question: the answer filed the complaint, it did not open another.
    assert len([r for r in outbox_rows(db_query) if "Kota/Kabupaten mana?" in r["body"]]) == 1


def test_a_typed_city_name_answers_and_no_answer_goes_to_the_provinces_triage(
    app, app_ctx, channels, db_query, province
):
    from ticketing.extensions import db
    from ticketing.models import Ticket
    from ticketing.models.questions import ChatQuestion
    from ticketing.services.routing import route_ticket

    add_account(app, "gateway", "081100000035", PROVINCE)

    def sms(sender, text, mid):
        response = channels.gateway({"id": mid, "from": sender, "to": "081100000035", "text": text})
        assert response.status_code == 200, response.text

    sms("081234567809", RUBBISH, "gw-a1")
    sms("081234567809", "kota blitar", "gw-a2")
    assert ticket_of(db_query, "6281234567809")["region"] == BLITAR

    sms("081234567810", RUBBISH, "gw-b1")
    number = ticket_of(db_query, "6281234567810")["number"]
    ticket = db.session.scalar(select(Ticket).where(Ticket.ticket_number == number))
    question = db.session.scalar(select(ChatQuestion).where(ChatQuestion.ticket_id == ticket.id))
    assert question.kind == "region" and question.state == "open"
    assert route_ticket(ticket.id).status == "received"  # held while the question is open
    question.expires_at -= timedelta(days=1)  # the window passed with no answer
    db.session.commit()
    route_ticket(ticket.id)
    after = ticket_of(db_query, "6281234567810")
    assert (after["region"], after["status"], after["opd"]) == (PROVINCE, "triage", None)
    # A late answer files nothing anew: the province's operators already have it.
    sms("081234567810", "2", "gw-b2")
    assert ticket_of(db_query, "6281234567810")["region"] == PROVINCE


def test_admins_keep_channel_accounts_in_the_console(
    app, console_client, make_user, channels, db_query, province
):
    from ticketing.extensions import db
    from ticketing.models import AuditEntry, ChannelAccount
    from ticketing.services.accounts import create_user

    # A city's admin keeps its own city's numbers only: Blitar's is not Kediri's to add.
    make_user("kediri.admin", "admin")
    city_admin = console_client()
    assert city_admin.login("kediri.admin").status_code == 302
    city_admin.post(
        "/console/admin/channel-accounts",
        data={
            "provider": "whatsapp",
            "account": "1",
            "region": BLITAR,
            "csrf_token": city_admin.csrf("/console/"),
        },
    )
    assert "Gagal menyimpan" in city_admin.get("/console/admin/channel-accounts").text
    create_user(username="admin1", password="password123", role="admin", opd_code=None, region_code=PROVINCE)
    admin = console_client()
    assert admin.login("admin1").status_code == 302
    token = admin.csrf("/console/admin/channel-accounts")
    saved = admin.post(
        "/console/admin/channel-accounts",
        data={"provider": "whatsapp", "account": BLITAR_PHONE_ID, "region": BLITAR, "csrf_token": token},
    )
    assert saved.status_code == 303
    page = admin.get("/console/admin/channel-accounts").text
    assert "Akun kanal disimpan." in page and f"<code>{BLITAR_PHONE_ID}</code>" in page
    meta_text_to(channels, BLITAR_PHONE_ID, RUBBISH, sender="6281234567811")
    assert ticket_of(db_query, "6281234567811")["region"] == BLITAR
    refused = admin.post(
        "/console/admin/channel-accounts",
        data={"provider": "fax", "account": "1", "region": BLITAR, "csrf_token": token},
    )
    assert (
        refused.status_code == 303 and "Gagal menyimpan" in admin.get("/console/admin/channel-accounts").text
    )
    row_id = db_query(lambda db: db.session.scalar(select(ChannelAccount.id)))
    removed = admin.post(f"/console/admin/channel-accounts/{row_id}/delete", data={"csrf_token": token})
    assert (
        removed.status_code == 303
        and "Akun kanal dihapus." in admin.get("/console/admin/channel-accounts").text
    )
    db.session.rollback()
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.target_type == "channel_account"))
    assert sorted(actions) == ["channel_account.create", "channel_account.delete"]
    # An operator is not an admin: no page.
    make_user("operator1", "operator")
    operator = console_client()
    operator.login("operator1")
    assert operator.get("/console/admin/channel-accounts", allow_redirects=False).status_code in (302, 403)


def test_the_telegram_bot_files_in_its_rows_region(app, channels, db_query, province):
    from tests.channels.test_telegram import message_update, post
    from ticketing.models import Ticket

    add_account(app, "telegram", "aduan_blitar_bot", BLITAR)
    response = post(channels.http, message_update(5_123_456_799, text=RUBBISH))
    assert response.status_code == 200, response.text
    region = db_query(
        lambda db: db.session.scalar(
            select(Ticket.region_code).where(Ticket.reporter_phone == "tg:5123456799")
        )
    )
    assert region == BLITAR
