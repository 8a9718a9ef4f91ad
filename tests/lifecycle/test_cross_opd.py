"""An officer of another OPD never sees this OPD's ticket: list, detail, actions, the event
feed and the /opd socket."""

from __future__ import annotations

from tests.support.tickets import bearer


def test_officer_of_another_opd_sees_nothing_of_it(http, staff, make_ticket, socket_recorder):
    ours = bearer(staff["officer"])  # PUPR
    theirs = bearer(staff["officer_other"])  # DLHKP
    pupr_socket = socket_recorder("/opd", staff["officer"])
    dlhkp_socket = socket_recorder("/opd", staff["officer_other"])
    for recorder in (pupr_socket, dlhkp_socket):
        recorder.wait_for(lambda r: r.of("snapshot"), message="snapshot")
    ticket = make_ticket(status="assigned", opd="PUPR")
    number = ticket.ticket_number
    before = http.get("/api/v1/events", params={"since": 0}, headers=theirs).json()["last_event_id"]

    # List and search.
    listed = http.get("/api/v1/tickets", headers=theirs).json()["items"]
    assert number not in [item["ticket_number"] for item in listed]
    for params in ({"opd": "PUPR"}, {"q": number}, {"status": "assigned"}):
        assert http.get("/api/v1/tickets", params=params, headers=theirs).json()["items"] == []
    assert number in [i["ticket_number"] for i in http.get("/api/v1/tickets", headers=ours).json()["items"]]
    # Detail and actions: the same 404 as a ticket that does not exist.
    missing = http.get("/api/v1/tickets/ZZZZ-ZZZZ", headers=theirs)
    detail = http.get(f"/api/v1/tickets/{number}", headers=theirs)
    assert detail.status_code == missing.status_code == 404
    assert detail.json()["error"]["code"] == "not_found"
    for action in ("accept", "comment", "return", "resolve"):
        response = http.post(
            f"/api/v1/tickets/{number}/actions",
            headers=theirs,
            json={"action": action, "note": "bukan punya kami"},
        )
        assert response.status_code == 404, action
    # Its own OPD works it; the change is live on PUPR's socket, absent from DLHKP's.
    accepted = http.post(f"/api/v1/tickets/{number}/actions", headers=ours, json={"action": "accept"})
    assert accepted.status_code == 200
    pupr_socket.wait_for(
        lambda r: [e["action"] for e in r.tickets(number)] == ["accept"], message="accept on PUPR's /opd"
    )
    # No fixed wait for an absence: a later change to DLHKP's own ticket travels the same
    # Redis channel and room after the PUPR one, so once DLHKP's socket has it, a wrongly
    # routed PUPR event would have arrived before it.
    own = make_ticket(
        status="assigned", opd="DLHKP", category="sampah", description="Sampah menumpuk di pinggir jalan"
    ).ticket_number
    assert (
        http.post(f"/api/v1/tickets/{own}/actions", headers=theirs, json={"action": "accept"}).status_code
        == 200
    )
    dlhkp_socket.wait_for(
        lambda r: [e["action"] for e in r.tickets(own)] == ["accept"],
        message="accept of its own ticket on DLHKP's /opd",
    )
    assert dlhkp_socket.tickets(number) == []
    assert all(
        data["ticket"]["opd"] == "DLHKP" for name, data in dlhkp_socket.events if name.startswith("ticket.")
    )
    # The catch-up feed likewise.
    feed = http.get("/api/v1/events", params={"since": before}, headers=theirs).json()["items"]
    assert number not in str(feed)
    feed = http.get("/api/v1/events", params={"since": before}, headers=ours).json()["items"]
    assert [item["action"] for item in feed if item["ticket"]["ticket_number"] == number] == [
        "create",
        "accept",
    ]


def test_socket_refuses_non_officers_on_opd_namespace(live_server, staff, clean_state):
    import pytest
    import socketio

    for token in (staff["operator"], staff["wall"], "not-a-token"):
        client = socketio.Client(reconnection=False)
        with pytest.raises(socketio.exceptions.ConnectionError):
            client.connect(
                live_server.base_url,
                namespaces=["/opd"],
                auth={"token": token},
                transports=["polling"],
                wait_timeout=5,
            )
        assert not client.connected
