"""Issue 13 item 10 (dates and cursors): odd dates (0001-01-01, 9999-12-31) and oversized or
garbage cursors are malformed requests, answered 400 `invalid_fields` on every endpoint that
takes them, never a 500 (they used to overflow date arithmetic or the databases' integers).
"""

from __future__ import annotations

import base64

import pytest

from tests.support.tickets import bearer

ODD_DAYS = ("0001-01-01", "9999-12-31")
ODD_INSTANTS = ("0001-01-01T00:00:00Z", "9999-12-31T23:59:59-14:00")
HUGE_ID = "9" * 30


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


GARBAGE_CURSORS = (
    "@@@",
    "A" * 3000,
    _cursor(HUGE_ID),
    _cursor("-1"),
    _cursor("1.5"),
    _cursor("١٢٣"),
)  # Arabic-Indic digits: int() reads them, we never issue them
GARBAGE_SINCE = (HUGE_ID, "-1", "1e400", "x" * 3000, "9" * 3000, "abc")


def _assert_malformed(response, field: str | None = None):
    assert response.status_code == 400, (response.request.url[:120], response.text[:200])
    error = response.json()["error"]
    assert error["code"] == "invalid_fields"
    if field:
        assert field in error["fields"], error


@pytest.fixture
def operator(token_for):
    return bearer(token_for("operator"))


@pytest.mark.parametrize(
    "path, params",
    [
        ("/api/v1/tickets.csv", ("from", "to")),
        ("/api/v1/stats", ("from", "to")),
    ],
)
def test_staff_endpoints_refuse_odd_dates(http, operator, path, params):
    for name in params:
        for day in ODD_DAYS + ODD_INSTANTS * (path == "/api/v1/stats"):
            _assert_malformed(http.get(path, params={name: day}, headers=operator), name)


@pytest.mark.parametrize("path", ["/open-data/tickets.csv", "/open-data/tickets.json"])
def test_open_data_refuses_odd_dates(http, path):
    for name in ("from", "to"):
        for day in ODD_DAYS:
            _assert_malformed(http.get(path, params={name: day}), name)


def test_open311_refuses_odd_dates_in_its_own_error_shape(http):
    for name in ("start_date", "end_date"):
        for day in ODD_DAYS + ODD_INSTANTS:
            response = http.get("/open311/v2/requests.json", params={name: day})
            assert response.status_code == 400, (name, day, response.text[:200])
            assert response.json()[0]["code"] == 400 and name in response.json()[0]["description"]


def test_monthly_report_refuses_odd_months(http):
    for month in ("0001-01", "9999-12"):
        _assert_malformed(http.get("/reports/monthly", params={"month": month}), "month")


def test_ticket_list_refuses_garbage_cursors(http, operator, token_for):
    wall = bearer(token_for("wall"))
    for cursor in GARBAGE_CURSORS:
        for headers in (operator, wall):
            _assert_malformed(
                http.get("/api/v1/tickets", params={"cursor": cursor}, headers=headers), "cursor"
            )


def test_events_feed_refuses_garbage_since(http, operator):
    for since in GARBAGE_SINCE:
        _assert_malformed(http.get("/api/v1/events", params={"since": since}, headers=operator), "since")


def test_sane_values_still_work(http, operator):
    assert http.get("/api/v1/tickets", params={"cursor": _cursor("5")}, headers=operator).status_code == 200
    assert http.get("/api/v1/events", params={"since": 2**63 - 1}, headers=operator).status_code == 200
    assert (
        http.get(
            "/api/v1/stats", params={"from": "2025-01-01", "to": "2100-12-31"}, headers=operator
        ).status_code
        == 200
    )
    assert http.get("/open-data/tickets.csv", params={"from": "2000-01-01"}).status_code == 200
    assert (
        http.get("/open311/v2/requests.json", params={"start_date": "2100-12-01T00:00:00Z"}).status_code
        == 200
    )


def test_sms_gateway_refuses_odd_received_at(channels, counts):
    for i, when in enumerate(ODD_DAYS + ODD_INSTANTS):
        response = channels.gateway(
            {
                "id": f"odd-{i}",
                "from": "+6281234500099",
                "to": "1",
                "text": "Jalan rusak parah di depan pasar Setono",
                "received_at": when,
            }
        )
        _assert_malformed(response, "received_at")
    assert counts()["tickets"] == 0


def test_whatsapp_odd_timestamp_is_replaced_by_our_clock(channels, db_query):
    """Meta's format is not ours to refuse, and refusing would lose the citizen's message."""
    from ticketing.models import InboundMessage
    from ticketing.models.base import utcnow

    message = channels.meta_message(type="text", text={"body": "Lampu jalan mati di Jl. Dhoho"})
    message["timestamp"] = "253402300799"  # 9999-12-31T23:59:59Z
    assert channels.meta(channels.meta_document([message])).status_code == 200
    (received_at,) = db_query(lambda db: db.session.query(InboundMessage.received_at).one())
    assert abs((utcnow() - received_at).total_seconds()) < 600
