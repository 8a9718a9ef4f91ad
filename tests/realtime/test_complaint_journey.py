"""One complaint travels web → database → RQ routing → live wall, through real processes."""

from __future__ import annotations

import pytest
import socketio

from tests.support.processes import WebServer

COMPLAINT = "Jalan di depan Pasar Setono Betek berlubang besar, bahaya untuk motor"


def ticket_events_for(recorder, number: str) -> list[tuple[str, dict]]:
    return [
        (name, data)
        for name, data in list(recorder.events)
        if name.startswith("ticket.") and data["ticket"]["ticket_number"] == number
    ]


def test_complaint_reaches_the_wall_created_then_routed_to_pupr(http, worker, token_for, socket_client):
    wall = socket_client(http.base_url, "/wall", token_for("wall"))
    wall.wait_for(lambda r: r.of("snapshot"), message="snapshot on connect")
    snapshot = wall.of("snapshot")[0]
    assert {"counts", "tickets", "last_event_id"} <= set(snapshot)

    response = http.post(
        "/api/v1/complaints",
        json={
            "description": COMPLAINT,
            "reporter": {"name": "Budi", "phone": "081234567890"},
            "location": {"lat": -7.816612, "lon": 112.011437},
        },
    )
    assert response.status_code == 201
    number = response.json()["ticket_number"]

    wall.wait_for(
        lambda r: [n for n, _ in ticket_events_for(r, number)] == ["ticket.created", "ticket.routed"],
        message=f"created then routed (got {wall.names()})",
    )
    (_, created), (_, routed) = ticket_events_for(wall, number)
    assert created["type"] == "ticket.created" and created["ticket"]["status"] == "received"
    assert routed["ticket"]["opd"] == "PUPR"
    assert routed["ticket"]["status"] == "assigned"
    assert routed["ticket"]["category"] == "jalan-rusak"
    assert routed["event_id"] > created["event_id"]
    ticket = routed["ticket"]
    core = {
        "ticket_number",
        "status",
        "category",
        "region",
        "opd",
        "channel",
        "created_at",
        "updated_at",
        "sla_due_at",
        "overdue",
        "location",
        "summary",
    }
    # Fields other issues add to every payload (API.md §6); none of them names the reporter.
    extras = {"incident", "kind", "due_at", "external_body", "external_reference", "external_expected_at"}
    assert core <= set(ticket) <= core | extras, set(ticket) - core - extras
    assert ticket["channel"] == "web"
    assert ticket["region"] == "35.71"  # no region named: DEFAULT_REGION
    assert ticket["location"] == {"lat": -7.817, "lon": 112.011}
    assert "Budi" not in str(routed) and "081234567890" not in str(routed)

    # The same events are there for screens that catch up.
    feed = http.get(
        "/api/v1/events",
        params={"since": created["event_id"] - 1},
        headers={"Authorization": f"Bearer {token_for('operator')}"},
    ).json()
    assert [item["type"] for item in feed["items"]] == ["ticket.created", "ticket.routed"]


def test_event_crosses_web_processes_through_redis(
    http, live_server, worker, token_for, socket_client, process_env, run_dir
):
    second = WebServer(process_env, run_dir / "web-second.log")
    second.start()
    try:
        wall = socket_client(live_server.base_url, "/wall", token_for("wall"))
        wall.wait_for(lambda r: r.of("snapshot"), message="snapshot")
        import requests

        response = requests.post(
            second.base_url + "/api/v1/complaints", json={"description": COMPLAINT}, timeout=10
        )
        assert response.status_code == 201
        number = response.json()["ticket_number"]
        wall.wait_for(
            lambda r: len(ticket_events_for(r, number)) == 2, message="events published by the other process"
        )
    finally:
        second.stop()


@pytest.mark.parametrize("auth", [None, {"token": "not-a-token"}, {"token": ""}, {"nothing": 1}])
def test_wall_refuses_missing_or_wrong_token(live_server, clean_state, auth):
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(
            live_server.base_url, namespaces=["/wall"], auth=auth, transports=["websocket"], wait_timeout=5
        )
    assert not client.connected


def test_wall_refuses_officer_token(live_server, token_for):
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(
            live_server.base_url,
            namespaces=["/wall"],
            auth={"token": token_for("officer", "PUPR")},
            transports=["websocket"],
            wait_timeout=5,
        )
