"""The survey API (API.md §6, Surveys) through real HTTP: one answer per phone per semester,
bad input named field by field, bursts from one address flagged and left out of the index."""

from __future__ import annotations

from tests.skm.conftest import an_answer


def test_services_are_listed_with_their_opd_and_region(http, skm_services):
    response = http.get("/api/v1/skm/services")
    assert response.status_code == 200
    services = {row["code"]: row for row in response.json()}
    assert services["KTP-EL"] == {
        "code": "KTP-EL",
        "name": "Perekaman dan pencetakan KTP-el",
        "opd": "DISPENDUKCAPIL",
        "region": "35.71",
    }
    assert {"RSUD-DAFTAR-ONLINE", "PBG", "ADUAN-PUPR"} <= set(services)


def test_second_answer_from_the_same_phone_is_refused_with_a_clear_message(http, skm_services):
    first = http.post("/api/v1/skm/KTP-EL/responses", json=an_answer(phone="081234500001"))
    assert first.status_code == 201, first.text
    assert first.json()["service"] == "KTP-EL" and first.json()["flagged"] is False
    # The same phone written another way is the same phone.
    again = http.post("/api/v1/skm/KTP-EL/responses", json=an_answer(phone="+62 812-3450-0001"))
    assert again.status_code == 409
    error = again.json()["error"]
    assert error["code"] == "already_answered"
    assert "sudah mengisi survei untuk layanan ini pada semester ini" in error["message"]
    # Another service is another survey.
    assert http.post("/api/v1/skm/PBG/responses", json=an_answer(phone="081234500001")).status_code == 201
    results = {r["service"]: r for r in http.get("/api/v1/skm/results").json()}
    assert results["KTP-EL"]["respondents"] == 1 and results["PBG"]["respondents"] == 1
    # KTP-el has no tariff (u4 not applicable): left out of its elements and its index.
    assert results["KTP-EL"]["elements"]["u4"] is None and results["KTP-EL"]["ikm"] == 75.0
    assert results["KTP-EL"]["grade"] == "C"


def test_bad_input_names_each_field(http, skm_services):
    body = an_answer()
    body["answers"]["u3"] = 5
    body["respondent"]["sex"] = "X"
    response = http.post("/api/v1/skm/PBG/responses", json=body)
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"answers", "respondent"}
    assert "u3" in fields["answers"] and "sex" in fields["respondent"]
    # An applicable element left empty is missing; the tariff of a free service may be empty.
    body = an_answer()
    body["answers"]["u1"] = None
    response = http.post("/api/v1/skm/PBG/responses", json=body)
    assert response.status_code == 422 and "u1" in response.json()["error"]["fields"]["answers"]
    body = an_answer()
    body["answers"]["u4"] = None
    assert http.post("/api/v1/skm/KTP-EL/responses", json=body).status_code == 201
    for bad in ("not json", "[1]"):
        response = http.post(
            "/api/v1/skm/PBG/responses", data=bad, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400
    assert http.post("/api/v1/skm/NOPE/responses", json=an_answer()).status_code == 404
    bad_phone = http.post("/api/v1/skm/PBG/responses", json=an_answer(phone="12"))
    assert bad_phone.status_code == 422 and "phone" in bad_phone.json()["error"]["fields"]
    bad_semester = http.get("/api/v1/skm/results?semester=2026-3")
    assert bad_semester.status_code == 422 and "semester" in bad_semester.json()["error"]["fields"]


def test_a_burst_from_one_address_is_flagged_not_counted(app, client, app_ctx, skm_services):
    app.config["SKM_BURST_PER_ADDRESS"] = 3
    try:
        for n in range(5):
            response = client.post("/api/v1/skm/PBG/responses", json=an_answer(phone=f"08123450010{n}"))
            assert response.status_code == 201, response.get_data(as_text=True)
            assert response.get_json()["flagged"] is (n >= 3)
    finally:
        app.config["SKM_BURST_PER_ADDRESS"] = 20
    [row] = [r for r in client.get("/api/v1/skm/results").get_json() if r["service"] == "PBG"]
    assert row["respondents"] == 3 and row["flagged"] == 2
    page = client.get("/skm/results").get_data(as_text=True)
    assert "+2 ditandai" in page
    form = client.get("/skm/PBG")
    assert form.headers["Cache-Control"] == "no-store" and "skm_browser=" in form.headers["Set-Cookie"]
