"""Issue 13 item 1: a citizen's attachment never runs script on the console's origin.

A WhatsApp "image" is whatever bytes the sender uploaded, and its content type is what the
provider or the download claimed. The console serves inline only JPEG/PNG/GIF/WebP whose
bytes say so; anything else is a download, and every media answer is sandboxed.
"""

from __future__ import annotations

import pytest

from tests.console.test_officer_rules import logged_in
from tests.support.console import png_bytes
from tests.support.tickets import add_media_attachment
from ticketing.services.media import INLINE_IMAGE_TYPES

SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)">'
    b"<script>fetch('/api/v1/tickets')</script></svg>"
)
HTML_PAGE = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
    b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
SANDBOX = "default-src 'none'; sandbox"


@pytest.fixture
def attach(app_ctx, tmp_path):
    """A citizen attachment already fetched and stored (as the media job leaves it)."""

    def attach_(ticket, content: bytes, claimed_type: str, name: str) -> int:
        path = tmp_path / name
        path.write_bytes(content)
        return add_media_attachment(
            ticket, name, provider="whatsapp", content_type=claimed_type, state="stored", path=str(path)
        )

    return attach_


def _media_url(ticket, item_id: int) -> str:
    return f"/console/tickets/{ticket.ticket_number}/media/citizen/{item_id}"


def _assert_sandboxed(response):
    assert response.headers["Content-Security-Policy"] == SANDBOX
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "content, claimed, name",
    [
        (SVG_WITH_SCRIPT, "image/svg+xml", "evil.svg"),
        (HTML_PAGE, "text/html", "page.html"),
        (HTML_PAGE, "image/jpeg", "liar.jpg"),  # claims to be a photo; its bytes are a page
    ],
)
def test_active_content_is_only_ever_a_sandboxed_download(
    console_client, make_user, make_ticket, attach, content, claimed, name
):
    make_user("operator.satu", "operator")
    ticket = make_ticket("assigned")
    item_id = attach(ticket, content, claimed, name)
    operator = logged_in(console_client, "operator.satu")

    served = operator.get(_media_url(ticket, item_id))
    assert served.status_code == 200 and served.content == content
    assert served.headers["Content-Type"] == "application/octet-stream"
    assert served.headers["Content-Disposition"].startswith("attachment")
    _assert_sandboxed(served)
    if claimed not in INLINE_IMAGE_TYPES:
        # The page offers a download link, not an <img> (an <img> of a liar only shows broken:
        # the answer above is the same sandboxed download).
        page = operator.get(f"/console/tickets/{ticket.ticket_number}").text
        assert f'<img src="{_media_url(ticket, item_id)}"' not in page


@pytest.mark.parametrize(
    "content, expected",
    [
        (png_bytes(), "image/png"),
        (GIF, "image/gif"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64, "image/jpeg"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32, "image/webp"),
    ],
)
def test_real_images_are_shown_inline_as_what_their_bytes_say(
    console_client, make_user, make_ticket, attach, content, expected
):
    make_user("operator.satu", "operator")
    ticket = make_ticket("assigned")
    # The provider said text/html: the bytes, not the claim, decide.
    item_id = attach(ticket, content, "text/html", "photo")
    operator = logged_in(console_client, "operator.satu")

    served = operator.get(_media_url(ticket, item_id))
    assert served.status_code == 200 and served.content == content
    assert served.headers["Content-Type"] == expected
    assert served.headers["Content-Disposition"].startswith("inline")
    _assert_sandboxed(served)


def test_sniff_image_type_knows_the_four_inline_types_only():
    from ticketing.services.media import sniff_image_type

    assert sniff_image_type(png_bytes()) == "image/png"
    assert sniff_image_type(GIF) == "image/gif"
    assert sniff_image_type(b"\xff\xd8\xff\xdb") == "image/jpeg"
    assert sniff_image_type(b"RIFF\x00\x00\x00\x00WEBPVP8L") == "image/webp"
    for other in (SVG_WITH_SCRIPT, HTML_PAGE, b"%PDF-1.7", b"RIFF\x00\x00\x00\x00WAVEfmt ", b""):
        assert sniff_image_type(other) is None


def test_citizen_tracking_photos_are_sandboxed_too(http, make_ticket, app_ctx):
    from tests.support.citizen import jpeg_bytes
    from ticketing.extensions import db
    from ticketing.models import TicketPhoto

    ticket = make_ticket("in_progress")
    token = ticket.tracking_token
    uploaded = http.post(
        f"/api/v1/complaints/{ticket.ticket_number}/photos",
        params={"token": token},
        files={"photo": ("a.jpg", jpeg_bytes())},
    )
    assert uploaded.status_code == 201, uploaded.text
    db.session.expire_all()
    photo = db.session.query(TicketPhoto).filter_by(ticket_id=ticket.id).one()
    served = http.get(f"/lacak/{ticket.ticket_number}/foto/{photo.id}", params={"token": token})
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/jpeg"
    _assert_sandboxed(served)
