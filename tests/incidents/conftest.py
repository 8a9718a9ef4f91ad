"""Browser fixtures for the incident and proof-of-fix pages (headless Debian Chromium)."""

from __future__ import annotations

import io
from datetime import datetime

import pytest


@pytest.fixture
def open_page(browser, live_server, clean_state):
    """A fresh browser context per call; `geolocation` grants the position the page may read."""
    contexts = []

    def open_(viewport=None, geolocation=None):
        options = {
            "viewport": viewport or {"width": 1920, "height": 1080},
            "base_url": live_server.base_url,
            "locale": "id-ID",
            "timezone_id": "Asia/Jakarta",
        }
        if geolocation is not None:
            options.update(geolocation=geolocation, permissions=["geolocation"])
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
        page.on("dialog", lambda dialog: dialog.accept())
        return page

    yield open_
    for context in contexts:
        context.close()


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    return float(degrees), float(minutes), round(((value - degrees) * 60 - minutes) * 60, 4)


def jpeg_with_exif(lat: float | None, lon: float | None, taken: datetime | None) -> bytes:
    """A real JPEG whose EXIF says where (GPS IFD) and when (DateTimeOriginal + offset) it was taken."""
    from PIL import Image

    image = Image.new("RGB", (64, 48), (90, 110, 90))
    exif = image.getexif()
    if lat is not None:
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2] = ("S" if lat < 0 else "N"), _dms(lat)
        gps[3], gps[4] = ("E" if lon >= 0 else "W"), _dms(lon)
    if taken is not None:
        sub = exif.get_ifd(0x8769)
        sub[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")
        offset = taken.utcoffset()
        hours = int(offset.total_seconds() // 3600) if offset else 0
        sub[0x9011] = f"{'+' if hours >= 0 else '-'}{abs(hours):02d}:00"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()
