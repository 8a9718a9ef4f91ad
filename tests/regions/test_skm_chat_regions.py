"""`SKM <service code>` over the chat channels files in the region of the channel account the
message arrived on (issue #16): a Blitar number's survey is Blitar's service, not the default
region's of the same code; on a province-wide number it is the city of the citizen's latest
ticket. Through the real webhooks (WhatsApp, the SMS gateway, Telegram), Redis and both
databases, the providers faked at their HTTP boundary."""

from __future__ import annotations

from sqlalchemy import select

from tests.channels.test_webhooks import outbox_rows
from tests.regions.test_channel_regions import add_account, meta_text_to, ticket_of
from tests.support.province import BLITAR, KEDIRI, PROVINCE

BLITAR_PHONE_ID = "5550072"
PROVINCE_PHONE_ID = "5550035"
# KTP-el has no tariff (u4 does not apply): eight questions, then the respondent.
KTP_ANSWERS = ["4", "3", "3", "3", "4", "4", "3", "3"]
RESPONDENT = "P 34 SMA SWASTA"


def _services() -> None:
    """The demo services in Kediri and in Blitar: the same codes (KTP-EL, ADUAN-DLHKP, …)."""
    from ticketing.services.skm_demo import seed_demo_services

    for region in (KEDIRI, BLITAR):
        seed_demo_services(region)


def _answers_by_region(db_query, code: str) -> dict[str, int]:
    from sqlalchemy import func

    from ticketing.models.skm import PublicService, SurveyResponse

    return db_query(
        lambda db: dict(
            db.session.execute(
                select(PublicService.region_code, func.count(SurveyResponse.id))
                .join(SurveyResponse, SurveyResponse.service_id == PublicService.id)
                .where(PublicService.code == code)
                .group_by(PublicService.region_code)
            ).all()
        )
    )


def _replies(db_query, recipient: str) -> list[str]:
    return [r["body"] for r in outbox_rows(db_query) if r["recipient"] == recipient]


def _whatsapp_survey(channels, phone_number_id: str, sender: str, code: str) -> None:
    for text in [f"SKM {code}", *KTP_ANSWERS, RESPONDENT]:
        meta_text_to(channels, phone_number_id, text, sender=sender)


def test_a_blitar_numbers_survey_is_blitars_service(app, channels, db_query, province):
    _services()
    add_account(app, "whatsapp", BLITAR_PHONE_ID, BLITAR)
    sender = "6281234578001"
    _whatsapp_survey(channels, BLITAR_PHONE_ID, sender, "KTP-EL")
    assert "sudah kami terima" in _replies(db_query, "+" + sender)[-1]
    assert _answers_by_region(db_query, "KTP-EL") == {BLITAR: 1}
    # The deployment's own number (no row) still means the default region's service.
    _whatsapp_survey(channels, "1098765432", "6281234578002", "KTP-EL")
    assert _answers_by_region(db_query, "KTP-EL") == {BLITAR: 1, KEDIRI: 1}


def test_a_service_only_blitar_has_is_found_on_blitars_sms_and_telegram(app, channels, db_query, province):
    from tests.channels.test_telegram import message_update, post
    from ticketing.extensions import db
    from ticketing.models.skm import PublicService

    db.session.add(
        PublicService(
            region_code=BLITAR,
            code="MAKAM-BLT",
            name="Izin pemakaman Kota Blitar",
            opd_code="DLHKP",
            mode="counter",
            not_applicable=[],
        )
    )
    db.session.commit()
    add_account(app, "gateway", "081100000072", BLITAR)
    add_account(app, "telegram", "aduan_blitar_bot", BLITAR)
    response = channels.gateway(
        {"id": "gw-skm-1", "from": "081234578003", "to": "+6281100000072", "text": "SKM makam-blt"}
    )
    assert response.status_code == 200, response.text
    assert "Izin pemakaman Kota Blitar" in _replies(db_query, "+6281234578003")[-1]
    response = post(channels.http, message_update(5_123_478_004, text="SKM MAKAM-BLT"))
    assert response.status_code == 200, response.text
    assert "Izin pemakaman Kota Blitar" in _replies(db_query, "tg:5123478004")[-1]
    # The default region has no such service: its own number does not find Blitar's.
    channels.gateway({"id": "gw-skm-2", "from": "081234578005", "to": "0811999", "text": "SKM MAKAM-BLT"})
    assert "MAKAM-BLT tidak ditemukan" in _replies(db_query, "+6281234578005")[-1]


def test_a_province_wide_number_surveys_the_city_of_the_citizens_latest_ticket(
    app, channels, db_query, province
):
    _services()
    add_account(app, "whatsapp", PROVINCE_PHONE_ID, PROVINCE)
    sender = "6281234578006"
    meta_text_to(channels, PROVINCE_PHONE_ID, "jalan rusak di Sananwetan", sender=sender)
    assert ticket_of(db_query, sender)["region"] == BLITAR
    _whatsapp_survey(channels, PROVINCE_PHONE_ID, sender, "KTP-EL")
    assert "sudah kami terima" in _replies(db_query, "+" + sender)[-1]
    assert _answers_by_region(db_query, "KTP-EL") == {BLITAR: 1}
