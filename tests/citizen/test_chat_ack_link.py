"""The SMS/WhatsApp acknowledgement of a chat complaint carries the same tracking link as the
web receipt when the public address is known, and no link when it is not."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit


def file_by_chat(message_id: str, sender: str):
    from ticketing.extensions import db
    from ticketing.models import OutboxMessage
    from ticketing.services.conversation import Inbound, handle_inbound

    outcome = handle_inbound(
        Inbound(
            provider="twilio_whatsapp",
            provider_message_id=message_id,
            sender=sender,
            text="Sampah menumpuk di depan pasar Bandar sudah seminggu, bau sekali",
        )
    )
    ack = db.session.query(OutboxMessage).filter_by(kind="ack", recipient=sender).one()
    return outcome.ticket_number, ack.body


def test_ack_links_to_the_tracking_page_when_public_base_url_is_set(app_ctx, client, monkeypatch):
    monkeypatch.setitem(app_ctx.config, "PUBLIC_BASE_URL", "https://aduan.kedirikota.go.id")
    number, body = file_by_chat("SM-link-1", "+6281200000111")
    assert number in body
    link = body.split("Pantau perkembangannya: ", 1)[1].strip()
    parts = urlsplit(link)
    assert parts.scheme == "https" and parts.netloc == "aduan.kedirikota.go.id"
    assert parts.path == f"/lacak/{number}"
    # The link opens the citizen's tracking page of that ticket.
    token = parse_qs(parts.query)["token"][0]
    page = client.get(f"{parts.path}?token={token}")
    assert page.status_code == 200 and number in page.get_data(as_text=True)


def test_ack_has_no_link_without_public_base_url(app_ctx, monkeypatch):
    monkeypatch.setitem(app_ctx.config, "PUBLIC_BASE_URL", "")
    number, body = file_by_chat("SM-link-2", "+6281200000112")
    assert number in body and "http" not in body and "CEK" in body
