"""Voice notes: a WhatsApp audio message alone becomes a ticket in triage marked voice (routing
skipped), the console plays it (inline only when its bytes are audio), and the operator's typed
summary is routed by the worker like text. No transcription: none can be installed offline."""

from __future__ import annotations

import time

from sqlalchemy import select

from tests.support.processes import wait_for

SUMMARY = "Lampu penerangan jalan di Jl. Brawijaya mati sejak tiga hari, gelap sekali kalau malam"
OGG = b"OggS\x00\x02" + b"\x00" * 40


def voice_note(sender: str, mid: str) -> dict:
    return {
        "from": sender,
        "id": mid,
        "timestamp": str(int(time.time())),
        "type": "audio",
        "audio": {"id": "VOICE1", "mime_type": "audio/ogg; codecs=opus", "voice": True, "sha256": "x"},
    }


def ticket_state(db_query):
    from ticketing.models import Ticket, TicketEvent

    def load(db):
        ticket = db.session.scalar(select(Ticket))
        methods = [
            (e.data or {}).get("method")
            for e in db.session.scalars(
                select(TicketEvent)
                .where(TicketEvent.ticket_id == ticket.id, TicketEvent.action == "route")
                .order_by(TicketEvent.id)
            )
        ]
        return ticket.ticket_number, ticket.status, ticket.description, methods

    return db_query(load)


def test_voice_note_goes_to_triage_and_routes_after_the_operator_summary(
    channels, db_query, provider, ready_worker, make_user, console_client, tmp_path
):
    from ticketing.extensions import db
    from ticketing.models import MediaAttachment

    sender = "6281234567893"
    response = channels.meta(channels.meta_document([voice_note(sender, "wamid.V1")]))
    assert response.status_code == 200, response.text
    number, status, description, methods = ticket_state(db_query)
    assert (status, methods) == ("triage", ["voice"])
    assert "Pesan suara" in description
    ack = provider.wait_for("whatsapp", 1)[0].json
    assert number in ack["text"]["body"] and "pesan suara" in ack["text"]["body"]

    # The note as stored Ogg bytes (the fake provider's file is a JPEG): played inline.
    voice_file = tmp_path / "voice.ogg"
    voice_file.write_bytes(OGG)

    def store(db_):
        attachment = db_.session.scalar(select(MediaAttachment))
        attachment.state, attachment.path = "stored", str(voice_file)
        attachment.content_type = "audio/ogg"
        db_.session.commit()
        return attachment.id

    wait_for(
        lambda: db_query(lambda d: d.session.scalar(select(MediaAttachment.state))) != "pending",
        timeout=20,
        message="media fetch finished",
    )
    attachment_id = db_query(store)

    make_user("operator1", "operator")
    client = console_client()
    client.login("operator1")
    page = client.get(f"/console/tickets/{number}")
    assert page.status_code == 200
    assert "<audio" in page.text and 'name="summary"' in page.text
    audio = client.get(f"/console/tickets/{number}/media/citizen/{attachment_id}")
    assert audio.status_code == 200 and audio.headers["Content-Type"] == "audio/ogg"
    assert audio.headers["Content-Disposition"] == "inline" and audio.content == OGG

    token = client.csrf(f"/console/tickets/{number}")
    short = client.post(
        f"/console/tickets/{number}/voice-summary", data={"csrf_token": token, "summary": "lampu"}
    )
    assert short.status_code == 303 and ticket_state(db_query)[1] == "triage"
    saved = client.post(
        f"/console/tickets/{number}/voice-summary", data={"csrf_token": token, "summary": SUMMARY}
    )
    assert saved.status_code == 303

    def routed():
        state = ticket_state(db_query)
        return state if len(state[3]) == 2 else None

    _, status, description, methods = wait_for(routed, timeout=60, message="summary routed")
    assert description == SUMMARY and methods[0] == "voice" and methods[1] in ("model", "rule")
    assert status in ("assigned", "triage")
    # Once routed it is no longer waiting for a summary.
    again = client.post(
        f"/console/tickets/{number}/voice-summary", data={"csrf_token": token, "summary": SUMMARY}
    )
    assert again.status_code == 303
    assert len(ticket_state(db_query)[3]) == 2
    db.session.rollback()


def test_audio_is_inline_only_when_its_bytes_are_audio(tmp_path):
    from ticketing.services.media import served_media

    cases = {
        "note.ogg": OGG,
        "song.mp3": b"ID3\x04\x00" + b"\x00" * 20,
        "fake.ogg": b"<html><script>alert(1)</script>",
        "amr.amr": b"#!AMR\n" + b"\x00" * 10,
    }
    served = {}
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        media = served_media(path)
        served[name] = (media.mimetype, media.inline)
    assert served == {
        "note.ogg": ("audio/ogg", True),
        "song.mp3": ("audio/mpeg", True),
        "fake.ogg": ("application/octet-stream", False),
        "amr.amr": ("application/octet-stream", False),
    }
