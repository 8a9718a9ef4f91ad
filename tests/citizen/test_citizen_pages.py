"""The citizen's pages without a browser: the plain form (no JavaScript), its receipt, the
tracking page and its actions, the photo API and the category guess."""

from __future__ import annotations

import io
import re

from tests.support.citizen import hidden, jpeg_bytes, png_bytes, webp_bytes


def form_page(client) -> tuple[str, dict]:
    page = client.get("/lapor")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    return html, {
        "csrf_token": hidden(html, "csrf_token"),
        "idempotency_key": hidden(html, "idempotency_key"),
    }


def test_form_page_is_a_plain_form_in_indonesian(client):
    html, fields = form_page(client)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert 'enctype="multipart/form-data"' in html and 'method="post"' in html
    for name in (
        "description",
        "category",
        "address",
        "kelurahan",
        "photo",
        "name",
        "phone",
        "anonymous",
        "confidential",
    ):
        assert f'name="{name}"' in html, name
    assert "Bandar Lor" in html  # the city's kelurahan from its area units
    assert "<script>" not in html and "onclick" not in html  # CSP: scripts from 'self' only
    response = client.get("/lapor")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_form_without_javascript_files_once_and_redirects_to_the_receipt(client, app_ctx):
    from ticketing.models import Ticket, TicketPhoto

    _, fields = form_page(client)
    form = {
        **fields,
        "description": "Lampu jalan mati di depan masjid, gelap sekali malam hari",
        "address": "Jl. Hayam Wuruk 12",
        "kelurahan": "bandar-lor",
        "name": "Budi",
        "phone": "0812 3456 7890",
        "anonymous": "on",
        "category": "",
    }
    response = client.post(
        "/lapor",
        data={**form, "photo": (io.BytesIO(png_bytes()), "a.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    receipt_url = response.headers["Location"]
    assert "/lapor/terkirim/" in receipt_url and "token=" in receipt_url
    # A second press of the same form (same key) is the same complaint, not a second one.
    again = client.post("/lapor", data=form, content_type="multipart/form-data")
    assert again.status_code == 303 and again.headers["Location"] == receipt_url

    tickets = Ticket.query.all()
    assert len(tickets) == 1
    ticket = tickets[0]
    assert ticket.channel == "web" and ticket.anonymous and not ticket.confidential
    assert ticket.reporter_phone == "+6281234567890" and ticket.reporter_name == "Budi"
    assert ticket.address == "Jl. Hayam Wuruk 12, Kelurahan Bandar Lor"
    photo = TicketPhoto.query.filter_by(ticket_id=ticket.id).one()
    assert photo.kind == "citizen" and photo.content_type == "image/png"

    receipt = client.get(receipt_url)
    html = receipt.get_data(as_text=True)
    assert receipt.status_code == 200
    assert ticket.ticket_number in html and "Simpan tautan ini" in html
    assert "<svg" in html  # the QR code of the tracking link
    link = re.search(r'id="tracking-link" class="tracking-link" href="([^"]+)"', html).group(1)
    assert f"/lacak/{ticket.ticket_number}?token=" in link
    assert receipt.headers["Referrer-Policy"] == "no-referrer"
    assert receipt.headers["Cache-Control"] == "no-store"
    track = client.get(link.replace("http://localhost", ""))
    assert track.status_code == 200 and "Diterima" in track.get_data(as_text=True)


def test_form_refuses_a_post_without_its_csrf_token_and_keeps_the_text(client, app_ctx):
    from ticketing.models import Ticket

    response = client.post(
        "/lapor", data={"description": "Sampah menumpuk di pasar", "idempotency_key": "x" * 36}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Sampah menumpuk di pasar" in html and "kedaluwarsa" in html
    assert Ticket.query.count() == 0


def test_form_errors_are_shown_beside_their_fields(client, app_ctx):
    from ticketing.models import Ticket

    _, fields = form_page(client)
    response = client.post("/lapor", data={**fields, "description": "  ", "phone": "12"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Mohon tuliskan apa yang terjadi." in html
    assert "Nomor telepon tidak valid" in html
    fake = client.post(
        "/lapor",
        data={
            **fields,
            "description": "Jalan rusak parah",
            "photo": (io.BytesIO(b"<html>not a photo"), "a.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert fake.status_code == 415 and "JPEG, PNG atau WebP" in fake.get_data(as_text=True)
    assert Ticket.query.count() == 0


def test_wrong_token_and_unknown_number_are_the_same_404_page(client, make_ticket):
    ticket = make_ticket("assigned")
    right = client.get(f"/lacak/{ticket.ticket_number}?token={ticket.tracking_token}")
    assert right.status_code == 200
    wrong = client.get(f"/lacak/{ticket.ticket_number}?token=nope")
    unknown = client.get("/lacak/ZZZZ-ZZZZ?token=nope")
    missing = client.get(f"/lacak/{ticket.ticket_number}")
    assert wrong.status_code == unknown.status_code == missing.status_code == 404
    assert wrong.get_data() == unknown.get_data() == missing.get_data()
    assert client.get(f"/lapor/terkirim/{ticket.ticket_number}?token=nope").status_code == 404


def test_tracking_page_shows_opd_sla_and_offers_what_fits_the_state(client, make_ticket):
    ticket = make_ticket("assigned")
    url = f"/lacak/{ticket.ticket_number}?token={ticket.tracking_token}"
    html = client.get(url).get_data(as_text=True)
    assert "Diteruskan ke OPD" in html and "Dinas Pekerjaan Umum" in html
    assert "Target selesai" in html and "WIB" in html
    assert 'id="add-form"' in html and 'id="rate-form"' not in html and 'id="reopen-form"' not in html

    resolved = make_ticket("resolved", description="Saluran air mampet di gang 3")
    url = f"/lacak/{resolved.ticket_number}?token={resolved.tracking_token}"
    html = client.get(url).get_data(as_text=True)
    assert 'id="rate-form"' in html and 'id="reopen-form"' in html
    csrf = hidden(html, "csrf_token")
    rated = client.post(
        f"/lacak/{resolved.ticket_number}/nilai?token={resolved.tracking_token}",
        data={"csrf_token": csrf, "rating": "4", "comment": "Cepat"},
    )
    assert rated.status_code == 303
    html = client.get(url).get_data(as_text=True)
    assert "4/5" in html and 'id="rate-form"' not in html
    reopened = client.post(
        f"/lacak/{resolved.ticket_number}/buka-kembali?token={resolved.tracking_token}",
        data={"csrf_token": csrf, "note": "Masih mampet"},
    )
    assert reopened.status_code == 303
    html = client.get(url).get_data(as_text=True)
    assert "Diteruskan ke OPD" in html and "dibuka kembali" in html


def test_tracking_page_adds_information_and_a_photo(client, make_ticket, app_ctx):
    from ticketing.models import TicketEvent, TicketPhoto

    ticket = make_ticket("in_progress")
    url = f"/lacak/{ticket.ticket_number}?token={ticket.tracking_token}"
    csrf = hidden(client.get(url).get_data(as_text=True), "csrf_token")
    response = client.post(
        f"/lacak/{ticket.ticket_number}/tambah?token={ticket.tracking_token}",
        data={
            "csrf_token": csrf,
            "note": "Lubangnya makin lebar",
            "photo": (io.BytesIO(jpeg_bytes()), "b.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    assert "sudah kami terima" in client.get(url).get_data(as_text=True)
    assert TicketPhoto.query.filter_by(ticket_id=ticket.id, kind="citizen").count() == 1
    assert (
        TicketEvent.query.filter_by(ticket_id=ticket.id, action="citizen_message").one().note
        == "Lubangnya makin lebar"
    )
    photo = TicketPhoto.query.filter_by(ticket_id=ticket.id).one()
    served = client.get(f"/lacak/{ticket.ticket_number}/foto/{photo.id}?token={ticket.tracking_token}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert client.get(f"/lacak/{ticket.ticket_number}/foto/{photo.id}?token=x").status_code == 404


def test_photo_api_checks_bytes_size_and_token(client, make_ticket, app, monkeypatch):
    ticket = make_ticket("assigned")
    url = f"/api/v1/complaints/{ticket.ticket_number}/photos?token={ticket.tracking_token}"

    def post(content: bytes, name: str = "x.jpg", field: str = "photo", target: str = url):
        return client.post(
            target, data={field: (io.BytesIO(content), name)}, content_type="multipart/form-data"
        )

    for content in (png_bytes(), jpeg_bytes(), webp_bytes()):
        created = post(content)
        assert created.status_code == 201, created.get_json()
        assert created.get_json()["ticket_number"] == ticket.ticket_number
    for content in (
        b"GIF89a" + b"\x00" * 20,
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        b"%PDF-1.4 not a photo",
    ):
        refused = post(content, "photo.png")
        assert refused.status_code == 415
        assert refused.get_json()["error"]["code"] == "unsupported_media_type"
    assert post(png_bytes(), field="file").status_code == 422
    assert post(b"").status_code == 422
    assert client.post(url, json={"photo": "x"}).status_code == 415
    assert post(png_bytes(), target=url.replace(ticket.tracking_token, "wrong")).status_code == 404
    monkeypatch.setitem(app.config, "CITIZEN_PHOTO_MAX_BYTES", 2000)
    too_big = post(png_bytes() + b"\x00" * 5000)
    assert too_big.status_code == 413
    assert too_big.get_json()["error"]["code"] == "payload_too_large"
    huge = post(png_bytes() + b"\x00" * 200_000)  # past the request's own body limit
    assert huge.status_code == 413 and huge.get_json()["error"]["code"] == "payload_too_large"


def test_category_guess_names_a_confident_category_and_stores_nothing(client, router_model, app_ctx):
    from ticketing.models import Ticket

    response = client.post(
        "/api/v1/complaints/category-guess",
        json={"description": "Jalan berlubang besar dan rusak parah di Jl. Dhoho, sudah banyak motor jatuh"},
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["category"] == "jalan-rusak" and body["category_name"]
    unsure = client.post("/api/v1/complaints/category-guess", json={"description": "halo"})
    assert unsure.status_code == 200 and unsure.get_json()["category"] is None
    assert client.post("/api/v1/complaints/category-guess", json={}).status_code == 422
    assert Ticket.query.count() == 0


def test_api_takes_an_address_without_a_map_point(client):
    created = client.post(
        "/api/v1/complaints",
        json={"description": "Pohon tumbang menutup jalan", "location": {"address": "Jl. Kawi 3"}},
    )
    assert created.status_code == 201
    half = client.post("/api/v1/complaints", json={"description": "Pohon tumbang", "location": {"lat": -7.8}})
    assert half.status_code == 422


def test_app_manifest_and_service_worker(client):
    manifest = client.get("/lapor/manifest.webmanifest")
    assert manifest.status_code == 200 and manifest.mimetype == "application/manifest+json"
    body = manifest.get_json()
    assert body["name"] == "Lapor Kota Kediri" and body["start_url"] == "/lapor"
    assert {icon["sizes"] for icon in body["icons"]} == {"192x192", "512x512"}
    worker = client.get("/lapor-sw.js")
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    places = client.get("/lapor/wilayah.json").get_json()
    assert any(p["name"] == "Bandar Lor" and -8 < p["lat"] < -7 for p in places)


def test_officer_sees_the_citizens_web_photo_in_the_console(client, make_ticket, make_user):
    ticket = make_ticket("assigned")
    url = f"/api/v1/complaints/{ticket.ticket_number}/photos?token={ticket.tracking_token}"
    assert (
        client.post(
            url, data={"photo": (io.BytesIO(jpeg_bytes()), "x.jpg")}, content_type="multipart/form-data"
        ).status_code
        == 201
    )
    username, password = make_user("petugas-pupr", "officer", "PUPR")
    login = client.get("/console/login").get_data(as_text=True)
    client.post(
        "/console/login",
        data={"csrf_token": hidden(login, "csrf_token"), "username": username, "password": password},
    )
    page = client.get(f"/console/tickets/{ticket.ticket_number}").get_data(as_text=True)
    assert "Foto dari warga" in page
    src = re.search(r'<img class="after" src="([^"]+)" alt="Foto dari warga"', page).group(1)
    image = client.get(src)
    assert image.status_code == 200 and image.mimetype == "image/jpeg"


def test_tracking_page_shows_the_officers_after_photo_of_a_public_resolution(client, make_ticket, make_user):
    from ticketing.models import User
    from ticketing.services.console import resolve_with_photo

    ticket = make_ticket("in_progress")
    make_user("petugas-pupr", "officer", "PUPR")
    officer = User.query.filter_by(username="petugas-pupr").one()
    resolve_with_photo(ticket, officer, "Lubang sudah ditambal aspal.", True, jpeg_bytes(), "image/jpeg")
    url = f"/lacak/{ticket.ticket_number}?token={ticket.tracking_token}"
    html = client.get(url).get_data(as_text=True)
    assert "Selesai ditindaklanjuti" in html and "Lubang sudah ditambal aspal." in html
    src = re.search(r'<img class="after" src="([^"]+)" alt="Foto hasil penanganan"', html).group(1)
    photo = client.get(src.replace("&amp;", "&"))
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"

    # An internal resolution note keeps its photo internal too.
    hidden_one = make_ticket("in_progress", description="Drainase tersumbat sampah")
    resolve_with_photo(hidden_one, officer, "Catatan internal", False, jpeg_bytes(), "image/jpeg")
    html = client.get(f"/lacak/{hidden_one.ticket_number}?token={hidden_one.tracking_token}")
    assert "Foto hasil penanganan" not in html.get_data(as_text=True)


def test_reopen_is_offered_only_within_the_window(client, make_ticket):
    from datetime import timedelta

    from ticketing.models.base import utcnow
    from ticketing.services import sla

    ticket = make_ticket("resolved")
    url = f"/lacak/{ticket.ticket_number}?token={ticket.tracking_token}"
    html = client.get(url).get_data(as_text=True)
    assert 'id="reopen-form"' in html
    csrf = hidden(html, "csrf_token")
    with sla.frozen_clock(utcnow() + timedelta(days=60)):
        assert 'id="reopen-form"' not in client.get(url).get_data(as_text=True)
        late = client.post(
            f"/lacak/{ticket.ticket_number}/buka-kembali?token={ticket.tracking_token}",
            data={"csrf_token": csrf, "note": "Masih rusak"},
        )
        assert late.status_code == 303
        assert "Batas waktu untuk membuka kembali" in client.get(url).get_data(as_text=True)


def test_category_guess_never_trains_a_router_in_the_web_process(client, app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "ROUTING_MODEL_PATH", str(tmp_path / "missing.joblib"))
    response = client.post(
        "/api/v1/complaints/category-guess", json={"description": "Jalan berlubang besar di Jl. Dhoho"}
    )
    assert response.status_code == 200 and response.get_json()["category"] is None
    assert not (tmp_path / "missing.joblib").exists()


def test_the_same_photo_sent_again_is_the_photo_already_kept(client, make_ticket, app_ctx):
    from ticketing.models import TicketPhoto

    ticket = make_ticket("assigned")
    url = f"/api/v1/complaints/{ticket.ticket_number}/photos?token={ticket.tracking_token}"
    photo = jpeg_bytes()
    first, again = (
        client.post(url, data={"photo": (io.BytesIO(photo), "x.jpg")}, content_type="multipart/form-data")
        for _ in range(2)
    )
    assert first.status_code == again.status_code == 201
    assert first.get_json()["id"] == again.get_json()["id"]
    assert TicketPhoto.query.filter_by(ticket_id=ticket.id).count() == 1
