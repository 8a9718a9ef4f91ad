"""The citizen pages: small real images, and reading a form's hidden fields."""

from __future__ import annotations

import pytest

from tests.support.citizen import png_bytes


@pytest.fixture
def png():
    return png_bytes()


PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "id-ID",
    "timezone_id": "Asia/Jakarta",
}


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
