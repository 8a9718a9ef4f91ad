"""The citizen pages: small real images, and reading a form's hidden fields."""
from __future__ import annotations

import io
import re
import struct
import zlib

import pytest


def png_bytes(width: int = 4, height: int = 3) -> bytes:
    """A real PNG (no image library needed): solid grey pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def jpeg_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "JPEG")
    return buffer.getvalue()


def webp_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "WEBP")
    return buffer.getvalue()


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden {name} in the page"
    return match.group(1)


@pytest.fixture
def png():
    return png_bytes()


PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "locale": "id-ID", "timezone_id": "Asia/Jakarta"}


@pytest.fixture
def phone(browser, live_server):
    """A fresh 390×844 phone context (own storage, service workers allowed); `phone.page()`
    opens a page that records console errors. `phone.context(java_script_enabled=False)`
    opens another context of the same phone."""
    contexts = []

    class Phone:
        base_url = live_server.base_url

        def context(self, **options):
            context = browser.new_context(**{**PHONE, **options})
            contexts.append(context)
            return context

        def page(self, context=None):
            page = (context or self.context()).new_page()
            page.console_errors = []
            page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
            return page

    yield Phone()
    for context in contexts:
        context.close()


def script_errors(page) -> list[str]:
    """Console errors other than network ones (map tiles cannot load on a closed network)."""
    expected = ("Failed to load resource", "net::ERR_")
    return [text for text in page.console_errors if not any(part in text for part in expected)]
