"""The `routing` queue end to end: a complaint with a location, through the web and a real worker."""

from __future__ import annotations

from tests.support.processes import wait_for
from tests.support.routing import BANDAR_LOR


def _routed(http, headers, number):
    def check():
        detail = http.get(f"/api/v1/tickets/{number}", headers=headers).json()
        return detail if detail["status"] != "received" else None

    return wait_for(check, timeout=30, message=f"{number} routed")


def test_a_located_complaint_gets_its_kelurahan_and_kecamatan(http, worker, token_for):
    headers = {"Authorization": f"Bearer {token_for('operator')}"}
    response = http.post(
        "/api/v1/complaints",
        json={
            "description": "Lampu penerangan jalan mati sudah seminggu, gelap dan rawan begal",
            "location": {"lat": BANDAR_LOR[0], "lon": BANDAR_LOR[1], "address": "Jl. Mayor Bismo"},
        },
    )
    assert response.status_code == 201, response.text
    detail = _routed(http, headers, response.json()["ticket_number"])
    assert (detail["kelurahan"], detail["kecamatan"]) == ("bandar-lor", "mojoroto")
    assert (detail["status"], detail["opd"]) == ("assigned", "DISHUB")
    routed = [e for e in detail["history"] if e["type"] == "ticket.routed"][-1]["data"]
    assert routed["kelurahan"] == "bandar-lor" and routed["area_source"] == "point"
    assert routed["model_version"] and routed["runner_up"]["category"] != routed["category"]


def test_a_kelurahan_office_receives_its_matter_and_its_officer_sees_it(http, worker, token_for, area_units):
    operator = {"Authorization": f"Bearer {token_for('operator')}"}
    response = http.post(
        "/api/v1/complaints",
        json={
            "description": "Kantor kelurahan jam 10 pagi sudah tutup, mau minta surat pengantar "
            "tidak ada petugas sama sekali",
            "location": {"lat": BANDAR_LOR[0], "lon": BANDAR_LOR[1]},
        },
    )
    number = response.json()["ticket_number"]
    detail = _routed(http, operator, number)
    assert (detail["status"], detail["opd"]) == ("assigned", "KEL-BANDAR-LOR")
    # The kelurahan's officer logs in like any OPD officer and finds it in the queue.
    officer = {"Authorization": f"Bearer {token_for('officer', 'KEL-BANDAR-LOR')}"}
    items = http.get("/api/v1/tickets", headers=officer).json()["items"]
    assert [t["ticket_number"] for t in items] == [number]
    other = {"Authorization": f"Bearer {token_for('officer', 'KEL-SEMAMPIR', username='semampir')}"}
    assert http.get(f"/api/v1/tickets/{number}", headers=other).status_code == 404
