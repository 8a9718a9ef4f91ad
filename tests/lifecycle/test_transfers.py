"""Transfers between regions (issue #16) through real HTTP, Redis, the database, a real worker,
the fake WhatsApp provider and real Socket.IO clients: a Kediri operator transfers a provincial
road to the province's roads agency; the citizen gets one message on WhatsApp, both walls and the
province's officer hear it; the province sends it back with a reason; Kediri reads it meanwhile
but cannot act on it."""

from __future__ import annotations

import json

from tests.channels.test_webhooks import outbox_rows
from tests.support.processes import wait_for
from tests.support.province import KEDIRI, PROVINCE, PROVINCE_OPDS
from tests.support.tickets import bearer

ROAD = "Jalan provinsi Kediri - Kertosono dekat jembatan rusak parah, lubangnya dalam, motor sering jatuh"
CITIZEN = "6281300000031"


def _detail(http, token, number):
    response = http.get(f"/api/v1/tickets/{number}", headers=bearer(token))
    assert response.status_code == 200, response.text
    return response.json()


def _act(http, token, number, **body):
    return http.post(f"/api/v1/tickets/{number}/actions", json=body, headers=bearer(token))


def _transfer_events(recorder, number):
    return [p for p in recorder.tickets(number) if p["action"] == "transfer"]


def test_kediri_transfers_a_provincial_road_to_the_province_and_gets_it_back(
    http, channels, provider, ready_worker, db_query, token_for, region_token, socket_recorder, province
):
    kediri_operator = token_for("operator")
    province_operator = region_token("operator", PROVINCE)
    dpubm_officer = region_token("officer", PROVINCE, "DPUBM")
    kediri_wall = socket_recorder("/wall", token_for("wall"))
    province_wall = socket_recorder("/wall", region_token("wall", PROVINCE))
    dpubm_socket = socket_recorder("/opd", dpubm_officer)
    for recorder in (kediri_wall, province_wall, dpubm_socket):
        recorder.wait_for(lambda r: r.of("snapshot"), message="snapshot on connect")

    # A citizen reports it on WhatsApp; the router leaves it to Kediri's triage, proposing DPUBM.
    assert channels.meta_text(ROAD, CITIZEN).status_code == 200
    number = wait_for(
        lambda: (
            (rows := [r for r in outbox_rows(db_query) if r["kind"] == "ack"]) and rows[0]["body"].split()[-1]
        ),
        timeout=30,
        message="acknowledged",
    )
    detail = wait_for(
        lambda: (d := _detail(http, kediri_operator, number))["status"] == "triage" and d,
        timeout=60,
        message="routed to Kediri's triage",
    )
    assert detail["region"] == KEDIRI and detail["transfer_proposal"]["opd"] == "DPUBM"
    assert "transfer" in detail["allowed_actions"]

    # The operator accepts the proposal: transfer to the province's roads agency.
    response = _act(
        http,
        kediri_operator,
        number,
        action="transfer",
        region=PROVINCE,
        opd="DPUBM",
        note="Ruas Kediri-Kertosono jalan provinsi: kewenangan Dinas PU Bina Marga Provinsi.",
    )
    assert response.status_code == 200, response.text
    moved = response.json()
    assert (moved["ticket_number"], moved["region"], moved["opd"]) == (number, PROVINCE, "DPUBM")
    assert (moved["status"], moved["category"]) == ("assigned", "jalan-provinsi")
    assert moved["sla_due_at"] is not None  # restarted under the province's roads category
    assert moved["read_only"] is True and moved["allowed_actions"] == []  # Kediri's view now
    [transfer] = moved["transfers"]
    assert (transfer["from_region"], transfer["to_region"], transfer["to_opd"]) == (KEDIRI, PROVINCE, "DPUBM")

    # The citizen: one message, on WhatsApp, naming the new responsible body.
    sent = wait_for(
        lambda: [
            r
            for r in provider.requests_for("whatsapp")
            if "dialihkan" in json.dumps(r.json, ensure_ascii=False)
        ],
        timeout=30,
        message="the transfer message reached WhatsApp",
    )
    assert len(sent) == 1
    text = json.dumps(sent[0].json, ensure_ascii=False)
    assert PROVINCE_OPDS["DPUBM"] in text and number in text
    assert [r["kind"] for r in outbox_rows(db_query) if r["kind"] in ("transferred", "routed")] == [
        "transferred"
    ]

    # Both walls and the province's roads officer hear it, once each.
    for recorder in (kediri_wall, province_wall, dpubm_socket):
        recorder.wait_for(lambda r: _transfer_events(r, number), message=f"transfer on {recorder.namespace}")
    for recorder in (kediri_wall, province_wall, dpubm_socket):
        [event] = _transfer_events(recorder, number)
        assert event["ticket"]["region"] == PROVINCE and event["ticket"]["opd"] == "DPUBM"
        assert event["transfer"]["from_region"] == KEDIRI and event["transfer"]["to_region"] == PROVINCE
        assert "Budi" not in json.dumps(event) and CITIZEN not in json.dumps(event)

    # The province's officer works it; the history shows both sides.
    officer_view = _detail(http, dpubm_officer, number)
    assert officer_view["read_only"] is False and "accept" in officer_view["allowed_actions"]
    [event] = [e for e in officer_view["history"] if e["action"] == "transfer"]
    assert (event["data"]["from_region"], event["data"]["to_region"]) == (KEDIRI, PROVINCE)
    assert event["public"] and PROVINCE_OPDS["DPUBM"] in event["note"]
    assert "kewenangan Dinas PU Bina Marga" in event["data"]["note"]

    # Kediri keeps reading it, read-only: no action, a clear 403.
    kediri_view = _detail(http, kediri_operator, number)
    assert kediri_view["read_only"] is True and kediri_view["status"] == "assigned"
    refused = _act(http, kediri_operator, number, action="comment", note="Masih kami pantau.")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "transferred_away"
    assert "Provinsi Jawa Timur" in refused.json()["error"]["message"]
    away = http.get("/api/v1/tickets", params={"transferred": "away"}, headers=bearer(kediri_operator)).json()
    assert [(t["ticket_number"], t["region"], t["read_only"]) for t in away["items"]] == [
        (number, PROVINCE, True)
    ]
    mine = http.get("/api/v1/tickets", headers=bearer(kediri_operator)).json()["items"]
    assert number not in [t["ticket_number"] for t in mine]

    # The province sends it back with a reason.
    back = _act(
        http,
        province_operator,
        number,
        action="transfer",
        region=KEDIRI,
        note="Titik lubang ada di ruas jalan kota setelah simpang, bukan ruas provinsi.",
    )
    assert back.status_code == 200, back.text
    assert (back.json()["region"], back.json()["status"], back.json()["opd"]) == (KEDIRI, "triage", None)
    returned = _detail(http, kediri_operator, number)
    assert returned["read_only"] is False and "dispose" in returned["allowed_actions"]
    first, second = returned["transfers"]
    assert first["returned_at"] is not None and "bukan ruas provinsi" in first["return_note"]
    assert (second["from_region"], second["to_region"]) == (PROVINCE, KEDIRI)
    assert returned["history"][-1]["data"]["returned"] is True
    kediri_wall.wait_for(
        lambda r: len(_transfer_events(r, number)) == 2, message="the send-back on Kediri's wall"
    )
    # The province's officer no longer holds it, but keeps reading it with its outcome.
    assert _detail(http, dpubm_officer, number)["read_only"] is True


def test_a_refused_transfer_says_what_is_wrong_and_changes_nothing(
    http, token_for, region_token, make_ticket, province
):
    from ticketing.extensions import db
    from ticketing.services.regions import ensure_region

    ensure_region("36", name="Provinsi Lain")  # not Kediri's province: nothing to do with it
    db.session.commit()
    number = make_ticket(status="triage", opd=None).ticket_number
    operator = token_for("operator")
    cases = [
        ({"note": "Kewenangan provinsi."}, "region"),
        ({"region": "99.99", "note": "Kewenangan provinsi."}, "region"),
        ({"region": KEDIRI, "note": "Kewenangan provinsi."}, "region"),  # already there
        ({"region": "36", "note": "Kewenangan provinsi."}, "region"),  # an unrelated region
        ({"region": PROVINCE, "opd": "PUPR", "note": "Kewenangan provinsi."}, "opd"),  # Kediri's
        ({"region": PROVINCE, "opd": "DPUBM", "category": "sampah", "note": "Salah kategori."}, "category"),
        ({"region": PROVINCE}, "note"),
    ]
    for body, field in cases:
        response = _act(http, operator, number, action="transfer", **body)
        assert response.status_code == 422, (body, response.text)
        assert field in response.json()["error"]["fields"], (body, response.json())
    body = {"action": "transfer", "region": PROVINCE, "note": "Kewenangan provinsi."}
    assert _act(http, token_for("officer", "PUPR"), number, **body).status_code == 404  # not its OPD's
    assert _act(http, token_for("wall"), number, **body).status_code == 403
    # Another city's operator does not see Kediri's ticket at all.
    assert _act(http, region_token("operator", "35.72"), number, **body).status_code == 404
    resolved = make_ticket(status="resolved").ticket_number
    refused = _act(http, operator, resolved, **body)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "invalid_transition"
    detail = _detail(http, operator, number)
    assert (detail["region"], detail["status"], detail["transfers"]) == (KEDIRI, "triage", [])
    # An officer of the OPD holding it may not transfer it either: the command centre decides.
    assigned = make_ticket(status="assigned", opd="PUPR").ticket_number
    assert _act(http, token_for("officer", "PUPR"), assigned, **body).status_code == 403


def test_a_single_city_cannot_lose_a_ticket_to_its_bare_province_row(http, token_for, make_ticket):
    """Without the province seeded, region 35 is only the demo city's parent row: no agency and
    nobody works there, so a transfer would hide the ticket."""
    number = make_ticket(status="triage", opd=None).ticket_number
    response = _act(http, token_for("operator"), number, action="transfer", region=PROVINCE, note="Provinsi.")
    assert response.status_code == 422 and "region" in response.json()["error"]["fields"]
    assert "belum punya OPD" in response.json()["error"]["message"]


def test_a_neighbouring_city_receives_it_and_both_pupr_rooms_hear_it(
    http, token_for, region_token, make_ticket, socket_recorder, province
):
    """City to city: Kediri's PUPR held it, Blitar's PUPR gets it; both officers' `/opd` rooms
    hear the move once, Kediri's officer keeps reading it, Blitar's works it."""
    number = make_ticket(status="assigned", opd="PUPR", category="jalan-rusak").ticket_number
    kediri_pupr = token_for("officer", "PUPR")
    blitar_pupr = region_token("officer", "35.72", "PUPR")
    rooms = [socket_recorder("/opd", kediri_pupr), socket_recorder("/opd", blitar_pupr)]
    for room in rooms:
        room.wait_for(lambda r: r.of("snapshot"), message="snapshot on connect")
    response = _act(
        http,
        token_for("operator"),
        number,
        action="transfer",
        region="35.72",
        opd="PUPR",
        note="Lokasinya di Jl. Merdeka Blitar, bukan Kediri.",
    )
    assert response.status_code == 200, response.text
    moved = response.json()
    # Blitar's own category of the same code, with its SLA.
    assert (moved["region"], moved["opd"], moved["category"], moved["status"]) == (
        "35.72",
        "PUPR",
        "jalan-rusak",
        "assigned",
    )
    for room in rooms:
        room.wait_for(lambda r: _transfer_events(r, number), message="the transfer in both PUPR rooms")
        [event] = _transfer_events(room, number)
        assert event["transfer"] == {
            "from_region": KEDIRI,
            "from_opd": "PUPR",
            "to_region": "35.72",
            "to_opd": "PUPR",
            "returned": False,
        }
    kediri_view = _detail(http, kediri_pupr, number)
    assert kediri_view["read_only"] is True and kediri_view["allowed_actions"] == []
    assert _act(http, kediri_pupr, number, action="accept").status_code == 403
    assert _act(http, blitar_pupr, number, action="accept").json()["status"] == "in_progress"
