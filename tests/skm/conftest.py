"""SKM fixtures: the demo services, and a valid answer to send."""

from __future__ import annotations

import pytest

from tests.citizen.conftest import phone  # noqa: F401 - the 390×844 phone, shared


@pytest.fixture
def skm_services(app_ctx):
    from ticketing.services.skm_demo import seed_demo_services

    return seed_demo_services()


def an_answer(**overrides) -> dict:
    body = {
        "answers": {f"u{n}": 3 for n in range(1, 10)},
        "respondent": {"sex": "P", "age": 34, "education": "sma", "occupation": "swasta"},
    }
    body.update(overrides)
    return body
