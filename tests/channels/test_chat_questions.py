"""The chat asks before an operator has to (issue 20), through the real webhooks, the real
worker and Redis, the providers faked at their HTTP boundary: an unsure complaint is offered the
router's candidates (WhatsApp reply buttons, Telegram inline buttons, a numbered SMS question)
and the answer routes it; no answer → triage; a roads complaint without a place gets
WhatsApp's location request; ratings and CEK as lists; unknown interactive replies get help.

Webhook shapes: developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/
reference/messages/interactive (button_reply, list_reply, nfm_reply) and /location."""

from __future__ import annotations

import functools

from sqlalchemy import select

from tests.channels.test_telegram import callback_update, message_update, post, send_message_requests
from tests.channels.test_webhooks import inbound_rows, outbox_rows, tickets
from tests.support.processes import wait_for

# Texts the demo router (seeds only) is unsure about: one of them is asked about (the test
# picks the first the router of this run triages, so a retuned router keeps the test meaningful).
UNSURE = (
    "dpn rmh sy gg 3 rejomulyo ada kubangan dalem bgt, sdh 2 org nyungsep. tlg",
    "Tiga tiang di ruas Jl. KH Wahid Hasyim depan pondok tidak menyala sejak hujan deras pekan lalu",
    "gg 2 balowerti peteng, tiangnya ada tp bohlamnya ilang dicolong",
    "Di sepanjang trotoar Jl. Brawijaya banyak puntung rokok, plastik, dan daun kering tidak disapu",
    "jalan d pakelan dkt jmbtn lama bnyk lobang, mhn d tmbal sblm lebaran",
)
ROADS_NO_PLACE = "Jalannya berlubang besar dan dalam, bahaya sekali buat motor kalau malam"
BUSINESS_NUMBER = "6281100000000"
# Routed at once, needs no place and no proof photo: its resolution asks for a rating.
PAPERS = "KTP-el saya sudah tiga bulan belum jadi, setiap ke Dispendukcapil disuruh kembali minggu depan"


@functools.cache
def unsure_text(router_model) -> tuple[str, list[str]]:
    """(a complaint the router sends to triage, the categories the chat will offer for it)."""
    from ticketing.router import load_router

    router = load_router(router_model)
    for text in UNSURE:
        decision = router.route(text)
        offered = [c for c, _, p in decision.candidates if c != "lainnya" and p >= 0.05][:2]
        if decision.needs_triage and decision.is_complaint and decision.rule is None and len(offered) == 2:
            return text, offered
    raise AssertionError("none of the UNSURE texts is unsure for this router: add one")


def whatsapp_bodies(provider) -> list[dict]:
    return [r.json for r in provider.requests_for("whatsapp")]


def interactive_sent(provider, kind: str, timeout: float = 30) -> dict:
    """The first Cloud API message carrying an `interactive` of this kind."""
    found = []

    def sent():
        found[:] = [b for b in whatsapp_bodies(provider) if b.get("interactive", {}).get("type") == kind]
        return bool(found)

    wait_for(sent, timeout=timeout, message=f"WhatsApp interactive {kind}")
    return found[0]


def tap(channels, sender_digits: str, reply_type: str, reply: dict, context_id: str = "wamid.Q"):
    """A tapped reply button or list row, as Meta posts it (with the question it answers)."""
    message = channels.meta_message(
        sender_digits,
        type="interactive",
        context={"from": BUSINESS_NUMBER, "id": context_id},
        interactive={"type": reply_type, reply_type: reply},
    )
    return channels.meta(channels.meta_document([message]))


def question_message_id(db_query) -> str:
    """The Cloud API id of the sent question: a tap names it in `context.id`."""
    from ticketing.models import OutboxMessage

    def sent(db):
        return db.session.scalar(
            select(OutboxMessage.provider_message_id).where(
                OutboxMessage.kind == "ask_category", OutboxMessage.provider_message_id.is_not(None)
            )
        )

    return wait_for(lambda: db_query(sent), timeout=20, message="question sent")


def ticket_state(db_query, number: str) -> dict:
    from ticketing.models import Ticket, TicketEvent

    def load(db):
        ticket = db.session.scalar(select(Ticket).where(Ticket.ticket_number == number))
        routed = db.session.scalars(
            select(TicketEvent)
            .where(TicketEvent.ticket_id == ticket.id, TicketEvent.type == "ticket.routed")
            .order_by(TicketEvent.id)
        ).all()
        return {
            "status": ticket.status,
            "category": ticket.category_code,
            "opd": ticket.opd_code,
            "lat": ticket.lat,
            "lon": ticket.lon,
            "address": ticket.address,
            "routed": [(e.actor_label, e.to_status, dict(e.data or {})) for e in routed],
        }

    return db_query(load)


def questions(db_query, kind: str = "category") -> list[tuple]:
    from ticketing.models import ChatQuestion

    return db_query(
        lambda db: [
            (q.kind, q.state, q.answer, [o["code"] for o in q.options if o["code"]])
            for q in db.session.scalars(
                select(ChatQuestion).where(ChatQuestion.kind == kind).order_by(ChatQuestion.id)
            )
        ]
    )


def category_opd(db_query, code: str) -> str:
    from ticketing.models import Category

    return db_query(
        lambda db: db.session.scalar(select(Category.default_opd_code).where(Category.code == code))
    )


def test_unsure_whatsapp_complaint_gets_buttons_and_the_tap_routes_it(
    channels, provider, db_query, ready_worker, router_model
):
    text, offered = unsure_text(router_model)
    digits = "6281234500001"
    assert channels.meta_text(text, sender_digits=digits).status_code == 200
    [(number, *_)] = tickets(db_query)

    question = interactive_sent(provider, "button")
    assert question["to"] == digits and question["type"] == "interactive"
    buttons = question["interactive"]["action"]["buttons"]
    assert [b["reply"]["id"] for b in buttons] == ["1", "2", "3"]
    assert buttons[-1]["reply"]["title"] == "Lainnya"
    assert all(b["type"] == "reply" and 0 < len(b["reply"]["title"]) <= 20 for b in buttons)
    body = question["interactive"]["body"]["text"]
    assert body.startswith(f"Laporan Anda {number} tentang:") and "Balas 1, 2 atau 3" in body
    # Held for the citizen, not in the operators' triage queue.
    assert ticket_state(db_query, number)["status"] == "received"
    assert questions(db_query) == [("category", "open", None, offered)]

    # The citizen taps the second candidate: routed to it, by the citizen, at once.
    response = tap(channels, digits, "button_reply", {"id": "2", "title": buttons[1]["reply"]["title"]})
    assert response.status_code == 200
    state = ticket_state(db_query, number)
    assert (state["status"], state["category"]) == ("assigned", offered[1])
    assert state["opd"] == category_opd(db_query, offered[1])
    [(actor, to_status, data)] = state["routed"]
    assert (actor, to_status) == ("citizen:whatsapp", "assigned")
    assert data["method"] == "citizen_pick" and data["offered"] == offered
    assert data["router_category"] == offered[0] and data["candidates"]
    assert questions(db_query) == [("category", "answered", offered[1], offered)]
    assert inbound_rows(db_query)[-1][3] == "picked"
    # The routed notice tells them where it went; a second tap changes nothing.
    wait_for(
        lambda: any(r["kind"] == "routed" for r in outbox_rows(db_query)), timeout=20, message="routed notice"
    )
    wamid = question_message_id(db_query)
    tap(channels, digits, "button_reply", {"id": "1", "title": buttons[0]["reply"]["title"]}, wamid)
    assert ticket_state(db_query, number)["category"] == offered[1]
    assert inbound_rows(db_query)[-1][3] == "pick_late"
    # A typed "1" later (a rating, a survey's answer) is not taken for a late pick.
    channels.meta_text("1", sender_digits=digits)
    assert inbound_rows(db_query)[-1][3] != "pick_late"


def test_no_answer_within_the_window_goes_to_triage(
    app, channels, provider, db_query, ready_worker, router_model
):
    from ticketing.extensions import db
    from ticketing.models import ChatQuestion, Ticket
    from ticketing.models.base import utcnow
    from ticketing.services.intake import requeue_stale_received
    from ticketing.services.routing import route_ticket

    text, offered = unsure_text(router_model)
    digits = "6281234500002"
    channels.meta_text(text, sender_digits=digits)
    [(number, *_)] = tickets(db_query)
    interactive_sent(provider, "button")

    # Routing runs again (the sweep of `received` tickets does that): within the window, held.
    with app.app_context():
        ticket_id = db.session.scalar(select(Ticket.id).where(Ticket.ticket_number == number))
        assert route_ticket(ticket_id).status == "received"
        db.session.rollback()
    assert ticket_state(db_query, number)["status"] == "received"

    # Ten minutes pass (the deadline moved instead of the clock); the next sweep triages it.
    with app.app_context():
        db.session.execute(ChatQuestion.__table__.update().values(expires_at=utcnow()))
        db.session.commit()
        requeue_stale_received(0)
    wait_for(
        lambda: ticket_state(db_query, number)["status"] == "triage", timeout=30, message="triage on timeout"
    )
    [(actor, _, data)] = ticket_state(db_query, number)["routed"]
    assert actor == "router" and data["citizen_pick"] == "no_answer"
    assert questions(db_query) == [("category", "expired", None, offered)]
    # A tap after the window: kept, answered, the ticket left where the operators have it.
    tap(channels, digits, "button_reply", {"id": "1", "title": "x"}, question_message_id(db_query))
    assert ticket_state(db_query, number)["status"] == "triage"
    assert inbound_rows(db_query)[-1][3] == "pick_late"
    assert "sudah diteruskan ke petugas" in outbox_rows(db_query)[-1]["body"]


def test_sms_gets_a_numbered_question_and_a_digit_routes_it(
    channels, provider, db_query, ready_worker, router_model
):
    text, offered = unsure_text(router_model)
    sender = "+6281234500003"
    channels.twilio(text, sender=sender)
    [(number, *_)] = tickets(db_query)

    def numbered():
        return [
            r.form["Body"] for r in provider.requests_for("twilio") if "Balas 1, 2 atau 3" in r.form["Body"]
        ]

    wait_for(numbered, timeout=30, message="numbered SMS question")
    [question] = numbered()
    assert question.startswith(f"Laporan Anda {number} tentang:\n1. ") and "\n3. Lainnya\n" in question
    assert channels.twilio("1", sender=sender).status_code == 200
    state = ticket_state(db_query, number)
    assert (state["status"], state["category"]) == ("assigned", offered[0])
    assert state["routed"][0][0] == "citizen:sms"


def test_gateway_sms_lainnya_sends_it_to_triage(channels, provider, db_query, ready_worker, router_model):
    text, offered = unsure_text(router_model)
    sender = "+6281234500004"
    channels.gateway({"id": "gw-q-1", "from": sender, "text": text})
    [(number, *_)] = tickets(db_query)
    wait_for(
        lambda: any(r["kind"] == "ask_category" for r in outbox_rows(db_query)),
        timeout=30,
        message="question held for the gateway",
    )
    [asked] = [r for r in outbox_rows(db_query) if r["kind"] == "ask_category"]
    assert (asked["channel"], asked["state"]) == ("gateway", "held") and "Balas 1, 2 atau 3" in asked["body"]
    # Typed words work like the number: "lainnya" is option 3.
    assert channels.gateway({"id": "gw-q-2", "from": sender, "text": " Lainnya "}).status_code == 200
    state = ticket_state(db_query, number)
    assert state["status"] == "triage" and state["routed"][0][2]["citizen_pick"] == "lainnya"
    assert questions(db_query)[0][:3] == ("category", "declined", "lainnya")
    assert "akan dipilah oleh petugas" in outbox_rows(db_query)[-1]["body"]


def test_telegram_unsure_complaint_gets_inline_buttons_and_the_tap_routes_it(
    http, provider, db_query, ready_worker, router_model
):
    text, offered = unsure_text(router_model)
    chat_id = 5_123_456_790
    post(http, message_update(chat_id, text=text))
    [(number, *_)] = tickets(db_query)

    def keyboards():
        return [b for b in send_message_requests(provider) if "reply_markup" in b]

    wait_for(keyboards, timeout=30, message="Telegram question with buttons")
    [question] = keyboards()
    rows = question["reply_markup"]["inline_keyboard"]
    assert [row[0]["callback_data"] for row in rows] == ["1", "2", "3"] and rows[2][0]["text"] == "Lainnya"
    assert post(http, callback_update(chat_id, "2")).json()["method"] == "answerCallbackQuery"
    state = ticket_state(db_query, number)
    assert (state["status"], state["category"], state["routed"][0][0]) == (
        "assigned",
        offered[1],
        "citizen:telegram",
    )


def test_roads_complaint_without_a_place_gets_a_location_request_and_the_pin_attaches(
    channels, provider, db_query, ready_worker
):
    digits = "6281234500005"
    channels.meta_text(ROADS_NO_PLACE, sender_digits=digits)
    [(number, *_)] = tickets(db_query)
    request = interactive_sent(provider, "location_request_message")
    assert request["to"] == digits
    assert request["interactive"]["action"] == {"name": "send_location"}
    assert number in request["interactive"]["body"]["text"]
    state = ticket_state(db_query, number)
    assert (state["status"], state["category"]) == ("assigned", "jalan-rusak")
    assert questions(db_query, "location") == [("location", "open", None, [])]

    pin = channels.meta_message(
        digits,
        type="location",
        location={"latitude": -7.8166, "longitude": 112.0113, "name": "Pasar Setono Betek"},
    )
    assert channels.meta(channels.meta_document([pin])).status_code == 200
    state = ticket_state(db_query, number)
    assert (state["lat"], state["lon"], state["address"]) == (-7.8166, 112.0113, "Pasar Setono Betek")
    assert questions(db_query, "location")[0][:2] == ("location", "answered")
    assert "Lokasi sudah ditambahkan" in outbox_rows(db_query)[-1]["body"]

    # A complaint that names its street is not asked where.
    channels.meta_text("Jl. Joyoboyo " + ROADS_NO_PLACE, sender_digits="6281234500015")
    named = [t[0] for t in tickets(db_query) if t[0] != number][0]
    wait_for(lambda: ticket_state(db_query, named)["status"] == "assigned", timeout=30, message="routed")
    assert len(questions(db_query, "location")) == 1


def test_sms_location_question_takes_the_typed_street(channels, provider, db_query, ready_worker):
    sender = "+6281234500006"
    channels.twilio(ROADS_NO_PLACE, sender=sender)
    [(number, *_)] = tickets(db_query)
    wait_for(
        lambda: any("nama jalan dan kelurahan" in r.form["Body"] for r in provider.requests_for("twilio")),
        timeout=30,
        message="SMS location question",
    )
    channels.twilio("Jl. Joyoboyo dekat Balai Kelurahan Bandar Lor", sender=sender)
    state = ticket_state(db_query, number)
    assert state["address"] == "Jl. Joyoboyo dekat Balai Kelurahan Bandar Lor"
    assert questions(db_query, "location")[0][:2] == ("location", "answered")


def test_rating_and_cek_come_as_whatsapp_lists(channels, provider, db_query, ready_worker, http, token_for):
    from ticketing.models import Ticket

    digits = "6281234500007"
    channels.meta_text(PAPERS, sender_digits=digits)
    [(number, *_)] = tickets(db_query)

    # CEK: the open tickets as a list whose rows answer "CEK <number>".
    channels.meta_text("CEK", sender_digits=digits)
    cek = interactive_sent(provider, "list")
    [section] = cek["interactive"]["action"]["sections"]
    assert section["rows"] == [{"id": f"CEK {number}", "title": number}]
    assert len(cek["interactive"]["action"]["button"]) <= 20
    tap(channels, digits, "list_reply", {"id": f"CEK {number}", "title": number})
    assert outbox_rows(db_query)[-1]["body"].startswith(f"Status pengaduan {number}")

    wait_for(lambda: ticket_state(db_query, number)["status"] == "assigned", timeout=30, message="routed")
    officer = token_for("officer", ticket_state(db_query, number)["opd"])
    for token, body in (
        (officer, {"action": "accept"}),
        (officer, {"action": "resolve", "note": "KTP-el sudah bisa diambil", "public": True}),
    ):
        response = http.post(
            f"/api/v1/tickets/{number}/actions", json=body, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200, response.text

    def rating_list():
        return [
            b
            for b in whatsapp_bodies(provider)
            if b.get("interactive", {}).get("type") == "list"
            and "KTP-el sudah bisa diambil" in b["interactive"]["body"]["text"]
        ]

    wait_for(rating_list, timeout=30, message="rating list")
    [rating] = rating_list()
    rows = rating["interactive"]["action"]["sections"][0]["rows"]
    assert [r["id"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert all(len(r["title"]) <= 24 for r in rows)
    tap(channels, digits, "list_reply", {"id": "4", "title": rows[3]["title"]})
    assert (
        db_query(
            lambda db: db.session.scalar(select(Ticket.feedback_rating).where(Ticket.ticket_number == number))
        )
        == 4
    )
    assert inbound_rows(db_query)[-1][3] == "feedback"


def test_unknown_interactive_replies_are_kept_and_answered_with_help(channels, provider, db_query, counts):
    digits = "6281234500008"
    shapes = [
        {"type": "button_reply", "button_reply": {"id": "tidak-dikenal", "title": "Apa ini"}},
        {"type": "list_reply", "list_reply": {"id": "baris-lama", "title": "Baris", "description": "x"}},
        {
            "type": "nfm_reply",
            "nfm_reply": {"name": "flow", "body": "Sent", "response_json": '{"flow_token": "t"}'},
        },
        {"type": "something_new", "something_new": {"id": 7}},
        {"type": "button_reply", "button_reply": "not-an-object"},
        {},
    ]
    for shape in shapes:
        message = channels.meta_message(digits, type="interactive", interactive=shape)
        assert channels.meta(channels.meta_document([message])).status_code == 200
    assert counts()["tickets"] == 0
    effects = [row[3] for row in inbound_rows(db_query)]
    assert effects == ["interactive_unknown"] * len(shapes)
    replies = [r["body"] for r in outbox_rows(db_query)]
    assert len(replies) == len(shapes) and all(body.startswith("Layanan Aduan Warga") for body in replies)
    assert {r["channel"] for r in outbox_rows(db_query)} == {"meta_whatsapp"}


def test_whatsapp_shapes_stay_within_meta_limits():
    """Four or more choices become a list (≤ 10 rows); titles are cut at a word to fit; a
    proof-of-fix question gets "sudah beres" / "belum" buttons instead of the rating list."""
    from ticketing.services.chat_markup import whatsapp_interactive

    labels = ["Lalu lintas, rambu dan parkir", "Layanan kesehatan dan puskesmas", "Sampah", "Lainnya"]
    shown = whatsapp_interactive("ask_category", "Laporan Anda tentang:", labels)
    assert shown["type"] == "list" and len(shown["action"]["button"]) <= 20
    rows = shown["action"]["sections"][0]["rows"]
    assert [r["id"] for r in rows] == ["1", "2", "3", "4"]
    assert all(len(r["title"]) <= 24 and len(r.get("description", "")) <= 72 for r in rows)
    assert rows[0]["title"] == "Lalu lintas, rambu dan…" and rows[0]["description"] == labels[0]
    many = whatsapp_interactive("ask_category", "x" * 2000, [f"Pilihan {n}" for n in range(14)])
    assert len(many["action"]["sections"][0]["rows"]) == 10 and len(many["body"]["text"]) <= 1024
    proof = whatsapp_interactive("resolved", "Sudah beres? Balas SUDAH BERES, atau BELUM diikuti", [])
    assert [b["reply"]["id"] for b in proof["action"]["buttons"]] == ["SUDAH BERES", "BELUM"]
    assert whatsapp_interactive("ack", "Terima kasih", []) is None


def test_telegram_location_request_keyboard_and_the_shared_location_attaches(
    http, provider, db_query, ready_worker
):
    chat_id = 5_123_456_791
    post(http, message_update(chat_id, text=ROADS_NO_PLACE))
    [(number, *_)] = tickets(db_query)

    def keyboards():
        return [b for b in send_message_requests(provider) if "keyboard" in b.get("reply_markup", {})]

    wait_for(keyboards, timeout=30, message="Telegram location request")
    [asked] = keyboards()
    assert number in asked["text"] and "nama jalan dan kelurahan" in asked["text"]
    [[button]] = asked["reply_markup"]["keyboard"]
    assert button["request_location"] is True and asked["reply_markup"]["one_time_keyboard"] is True
    post(http, message_update(chat_id, location={"latitude": -7.8201, "longitude": 112.0089}))
    state = ticket_state(db_query, number)
    assert (state["lat"], state["lon"]) == (-7.8201, 112.0089)
    assert questions(db_query, "location")[0][:2] == ("location", "answered")
