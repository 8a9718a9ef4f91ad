"""One headless Debian Chromium per test session, driven by Playwright's sync API.

Playwright allows one sync driver per thread at a time, so every browser test (wall, console)
shares this fixture instead of starting its own.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Debian's headless shell (what `make test` installs): the same Blink as the full browser at about
# 40 % less CPU per browser test; a developer's full chromium otherwise.
CHROMIUM = os.environ.get("CHROMIUM_PATH") or next(
    (path for path in ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium") if Path(path).exists()),
    "/usr/bin/chromium-headless-shell",
)
# Without the background-networking flags Chromium keeps dialling Google's hosts, which this
# machine's closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The first category guess of a web process waits for it to load the router (scikit-learn and the
# model: about a second on a quiet box, ten and more while `make test` runs eight shards on two
# cores). A person types for longer than that; a test types at once, so it waits this long.
FIRST_GUESS_TIMEOUT_MS = 45_000


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is required at {CHROMIUM} (make test installs chromium-headless-shell)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield StillBrowser(chromium)
        chromium.close()


class StillBrowser:
    """The browser, whose pages prefer reduced motion unless a test asks otherwise: the wall's
    pulsing dot and ticker honour it, and animated, each open wall page kept a tenth of a core
    repainting (software compositing) while `make test` ran eight shards on two cores."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        options.setdefault("reduced_motion", "reduce")
        return self._browser.new_context(**options)

    def new_page(self, **options):
        options.setdefault("reduced_motion", "reduce")
        return self._browser.new_page(**options)

    def __getattr__(self, name):
        return getattr(self._browser, name)
