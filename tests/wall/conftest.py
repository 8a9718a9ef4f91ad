"""A real browser for the wall: Debian's Chromium, driven by Playwright (no downloaded browser)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def wall_page(browser, live_server):
    """A fresh 1920×1080 page (own storage); records console errors and every request path."""
    context = browser.new_context(
        viewport={"width": 1920, "height": 1080}, locale="id-ID", timezone_id="Asia/Jakarta"
    )
    page = context.new_page()
    page.console_errors = []
    page.requests = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()


@pytest.fixture
def wall_screenshots(artifacts_dir) -> Path:
    folder = artifacts_dir / "wall"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
