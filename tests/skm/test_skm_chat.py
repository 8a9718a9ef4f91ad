"""`SKM <service code>` over WhatsApp (Meta's webhook, faked at its HTTP boundary) and SMS: the
survey as a short conversation, counted like a web answer, once per phone per semester."""

from __future__ import annotations

from tests.channels.test_webhooks import inbound_rows, outbox_rows, tickets


def _replies(db_query, recipient):
    return [r["body"] for r in outbox_rows(db_query) if r["recipient"] == recipient]


def test_a_whatsapp_survey_counts_and_a_second_one_from_that_phone_is_refused(
    channels, db_query, skm_services, http
):
    digits, phone = "6281234577001", "+6281234577001"
    assert channels.meta_text("SKM ktp-el", sender_digits=digits).status_code == 200
    first = _replies(db_query, phone)
    assert "Perekaman dan pencetakan KTP-el" in first[-1] and "1/8." in first[-1]
    # KTP-el has no tariff: eight questions, u4 skipped.
    answers = ["4", "3", "x", "3", "3", "4", "4", "3", "3"]  # one typo asked again
    for text in answers:
        assert channels.meta_text(text, sender_digits=digits).status_code == 200
    replies = _replies(db_query, phone)
    assert "balas dengan angka 1, 2, 3 atau 4" in replies[3]
    assert "data responden" in replies[-1]
    channels.meta_text("perempuan, 34 th, SMA, wiraswasta", sender_digits=digits)
    assert "sudah kami terima" in _replies(db_query, phone)[-1]

    [row] = [r for r in http.get("/api/v1/skm/results").json() if r["service"] == "KTP-EL"]
    assert row["respondents"] == 1
    assert row["elements"] == {
        "u1": 4.0, "u2": 3.0, "u3": 3.0, "u4": None, "u5": 3.0,
        "u6": 4.0, "u7": 4.0, "u8": 3.0, "u9": 3.0,
    }  # fmt: skip
    assert row["ikm"] == 84.38 and row["grade"] == "B"  # 27 / 8 × 25 = 84.375
    effects = [r[3] for r in inbound_rows(db_query, phone)]
    assert effects[0] == "skm_started" and effects[-1] == "skm_answered"
    assert tickets(db_query) == []  # a survey is not a complaint

    # The same phone again, over SMS this time: refused with the reason, nothing stored.
    channels.twilio("SKM KTP-EL", sender=phone)
    assert "sudah mengisi survei untuk layanan ini" in _replies(db_query, phone)[-1]
    [row] = [r for r in http.get("/api/v1/skm/results").json() if r["service"] == "KTP-EL"]
    assert row["respondents"] == 1


def test_a_complaint_in_the_middle_of_a_survey_is_still_a_complaint(channels, db_query, skm_services):
    sender = "+6281234577002"
    channels.twilio("SKM PBG", sender=sender)
    channels.twilio("3", sender=sender)
    channels.twilio("Lampu jalan di Jl. Brawijaya mati sejak tiga hari, gelap sekali", sender=sender)
    assert len(tickets(db_query)) == 1
    # The survey was dropped: a digit now is just a digit.
    channels.twilio("BATAL", sender=sender)
    effects = [r[3] for r in inbound_rows(db_query, sender)]
    assert effects[:3] == ["skm_started", "skm_answer", "ticket"]
    assert "skm_cancelled" not in effects


def test_unknown_service_and_cancel(channels, db_query, skm_services):
    sender = "+6281234577003"
    channels.twilio("skm TIDAKADA", sender=sender)
    channels.twilio("SKM PBG", sender=sender)
    channels.twilio("batal", sender=sender)
    replies = _replies(db_query, sender)
    assert "TIDAKADA tidak ditemukan" in replies[0]
    assert replies[-1] == "Survei dibatalkan. Terima kasih."


def test_a_chat_citizen_who_rated_a_resolved_complaint_is_invited_to_rate_its_handling(
    channels, db_query, token_for, skm_services, http
):
    from tests.channels.test_webhooks import COMPLAINT

    sender = "+6281234577004"
    channels.twilio(COMPLAINT, sender=sender)
    [(number, *_)] = tickets(db_query)
    operator, officer = token_for("operator"), token_for("officer", "DISHUB")
    for token, body in (
        (operator, {"action": "dispose", "opd": "DISHUB"}),
        (officer, {"action": "accept"}),
        (officer, {"action": "resolve", "note": "Lampu diganti", "public": True}),
    ):
        response = http.post(
            f"/api/v1/tickets/{number}/actions", json=body, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200, response.text
    channels.twilio("4", sender=sender)
    thanks = _replies(db_query, sender)[-1]
    assert "4/5" in thanks and "balas SKM ADUAN-DISHUB" in thanks
    channels.twilio("SKM ADUAN-DISHUB", sender=sender)
    for answer in ("4", "4", "3", "4", "4", "4", "3", "4"):  # eight: no tariff
        channels.twilio(answer, sender=sender)
    channels.twilio("L 52 SD WIRAUSAHA", sender=sender)
    assert "sudah kami terima" in _replies(db_query, sender)[-1]
    [row] = [r for r in http.get("/api/v1/skm/results").json() if r["service"] == "ADUAN-DISHUB"]
    assert row["respondents"] == 1 and row["ikm"] == 93.75  # 30 / 8 × 25
