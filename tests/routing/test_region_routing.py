"""Routing knows authority (issue #16), through the web and a real worker: a complaint is routed
within its region, and a city's provincial matter is proposed to the province's agency."""

from __future__ import annotations

from tests.support.processes import wait_for
from tests.support.province import BLITAR, KEDIRI, PROVINCE

PROVINCIAL_ROAD = "Jalan provinsi di depan pabrik gula rusak parah, lubangnya dalam dan sudah ada motor jatuh"


def _routed(http, headers, number):
    def check():
        detail = http.get(f"/api/v1/tickets/{number}", headers=headers).json()
        return detail if detail["status"] != "received" else None

    return wait_for(check, timeout=60, message=f"{number} routed")


def _file(http, description, region=None):
    body = {"description": description, "reporter": {"name": "Warga Uji", "phone": "081234567001"}}
    if region is not None:
        body["region"] = region
    response = http.post("/api/v1/complaints", json=body)
    assert response.status_code == 201, response.text
    return response.json()["ticket_number"]


def _routing_data(detail):
    return [e for e in detail["history"] if e["type"] == "ticket.routed"][-1]["data"]


def test_a_provincial_road_filed_in_kediri_is_proposed_to_the_provinces_roads_agency(
    http, worker, token_for, province
):
    operator = {"Authorization": f"Bearer {token_for('operator')}"}
    number = _file(http, PROVINCIAL_ROAD)
    detail = _routed(http, operator, number)
    # Not Kediri's PUPR: the city's triage, with the proposal the operator accepts by transferring.
    assert (detail["region"], detail["status"], detail["opd"]) == (KEDIRI, "triage", None)
    routed = _routing_data(detail)
    assert routed["transfer_proposal"] == {
        "region": PROVINCE,
        "opd": "DPUBM",
        "category": "jalan-provinsi",
        "rule": "provincial-road",
    }
    assert detail["transfer_proposal"]["opd"] == "DPUBM"  # the detail says it too


def test_without_provincial_agencies_kediri_routes_as_it_always_did(http, worker, token_for):
    """A single-city deployment: no agency above the city, so no proposal and no change."""
    operator = {"Authorization": f"Bearer {token_for('operator')}"}
    detail = _routed(http, operator, _file(http, PROVINCIAL_ROAD))
    assert (detail["status"], detail["opd"]) == ("assigned", "PUPR")
    assert _routing_data(detail)["transfer_proposal"] is None
    assert detail["transfer_proposal"] is None


def test_each_region_routes_within_its_own_agencies(http, worker, region_token, province):
    province_operator = {"Authorization": f"Bearer {region_token('operator', PROVINCE)}"}
    # Filed with the province itself: its own roads agency, no proposal.
    detail = _routed(http, province_operator, _file(http, PROVINCIAL_ROAD, region=PROVINCE))
    assert (detail["region"], detail["status"], detail["opd"]) == (PROVINCE, "assigned", "DPUBM")
    assert detail["category"] == "jalan-provinsi" and _routing_data(detail)["rule"] == "provincial-road"
    # Blitar's rubbish goes to Blitar's DLHKP; its water to its triage (Blitar has no PDAM here).
    rubbish = _routed(
        http, province_operator, _file(http, "Sampah menumpuk di TPS dekat pasar sudah seminggu, bau", BLITAR)
    )
    assert (rubbish["region"], rubbish["status"], rubbish["opd"]) == (BLITAR, "assigned", "DLHKP")
    water = _routed(
        http, province_operator, _file(http, "Air PDAM mati sudah tiga hari di rumah kami", BLITAR)
    )
    assert (water["region"], water["status"], water["opd"]) == (BLITAR, "triage", None)


def test_retraining_trains_each_other_region_on_its_own_history(app_ctx, make_ticket, province, tmp_path):
    from ticketing.services.retraining import load_history, retrain_region_routers

    text = "Sampah di TPS Jl. Merdeka tidak diangkut seminggu, baunya sampai ke rumah warga"
    make_ticket(status="resolved", opd="DLHKP", category="sampah", description=text, region_code=BLITAR)
    assert [row.text for row in load_history(region_code=BLITAR)] == [text]
    assert load_history() == []  # Kediri's model never learns Blitar's tickets

    versions = retrain_region_routers(str(tmp_path / "router.joblib"))
    assert set(versions) == {PROVINCE, BLITAR}  # the default region keeps its own model file
    assert (tmp_path / f"router.{BLITAR}.joblib").exists() and (
        tmp_path / f"router.{PROVINCE}.joblib"
    ).exists()
    from ticketing.router import load_router

    blitar = load_router(tmp_path / f"router.{BLITAR}.joblib")
    assert blitar.version == versions[BLITAR] and blitar.metrics["history_size"] == 1
    assert blitar.route(text).opd == "DLHKP"
