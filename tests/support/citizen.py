"""Citizen-page test helpers: small real images, a form's hidden fields, script errors."""

from __future__ import annotations

import io
import re
import struct
import zlib


def png_bytes(width: int = 4, height: int = 3) -> bytes:
    """A real PNG (no image library needed): solid grey pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


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


def script_errors(page) -> list[str]:
    """Console errors other than network ones (map tiles cannot load on a closed network)."""
    expected = ("Failed to load resource", "net::ERR_")
    return [text for text in page.console_errors if not any(part in text for part in expected)]
