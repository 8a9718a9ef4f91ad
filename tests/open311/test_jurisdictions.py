"""Open311 `jurisdiction_id` is the region code (issue #16): discovery names every region, the
services and requests of one jurisdiction are its own, a key posts in its region or a region under
it, an unknown jurisdiction is the spec's 404, and without the parameter a single city answers as
it always did."""

from __future__ import annotations

import pytest

from tests.support.open311 import BASE, parse_xml, post_request


@pytest.fixture
def province(app_ctx):
    from ticketing.services.seeding import seed_demo_province

    seed_demo_province()


def _key(region_code: str) -> str:
    from ticketing.services.api_keys import create_api_key

    return create_api_key(f"Aplikasi {region_code}", region_code=region_code).key


def test_discovery_lists_each_region_as_a_jurisdiction(http, province):
    body = http.get(f"{BASE}/discovery.json").json()
    assert {(j["jurisdiction_id"], j["name"]) for j in body["jurisdictions"]} == {
        ("35", "Provinsi Jawa Timur"),
        ("35.71", "Kota Kediri"),
        ("35.72", "Kota Blitar"),
    }
    root = parse_xml(http.get(f"{BASE}/discovery.xml"))
    assert sorted(j.findtext("jurisdiction_id") for j in root.findall("jurisdictions/jurisdiction")) == [
        "35",
        "35.71",
        "35.72",
    ]


def test_services_are_the_jurisdictions_own(http, province):
    kediri = {s["service_code"] for s in http.get(f"{BASE}/services.json").json()}
    blitar = {s["service_code"] for s in http.get(f"{BASE}/services.json?jurisdiction_id=35.72").json()}
    province_services = http.get(f"{BASE}/services.json?jurisdiction_id=35").json()
    assert "jalan-provinsi" in {s["service_code"] for s in province_services}
    assert "jalan-provinsi" not in kediri | blitar
    assert blitar and blitar != kediri
    assert (
        http.get(f"{BASE}/services.json?jurisdiction_id=35.71").json()
        == http.get(f"{BASE}/services.json").json()
    )
    missing = http.get(f"{BASE}/services/jalan-provinsi.json?jurisdiction_id=35.71")
    assert missing.status_code == 404
    assert http.get(f"{BASE}/services/jalan-provinsi.json?jurisdiction_id=35").status_code == 200


def _post(http, **form):
    return post_request(http, address_string="Jalan Merdeka", **form)


def test_requests_are_filed_and_read_per_jurisdiction(http, province, app_ctx):
    kediri_key, blitar_key, province_key = _key("35.71"), _key("35.72"), _key("35")
    in_kediri = _post(http, api_key=kediri_key, service_code="sampah", description="Sampah di Dhoho")
    assert in_kediri.status_code == 201, in_kediri.text
    in_blitar = _post(http, api_key=blitar_key, service_code="sampah", description="Sampah di Sananwetan")
    assert in_blitar.status_code == 201, in_blitar.text
    # A province's key posts for one of its cities by naming it.
    for_blitar = _post(
        http,
        api_key=province_key,
        service_code="pju",
        description="Lampu jalan Kepanjenkidul mati",
        jurisdiction_id="35.72",
    )
    assert for_blitar.status_code == 201, for_blitar.text
    # A city's key may not post into its neighbour.
    refused = _post(
        http, api_key=kediri_key, service_code="sampah", description="x" * 20, jurisdiction_id="35.72"
    )
    assert refused.status_code == 403
    assert "jurisdiction_id" in refused.json()[0]["description"]

    number = {r.json()[0]["service_request_id"] for r in (in_kediri, in_blitar, for_blitar)}
    kediri_number = in_kediri.json()[0]["service_request_id"]
    blitar_numbers = {in_blitar.json()[0]["service_request_id"], for_blitar.json()[0]["service_request_id"]}
    listed = {r["service_request_id"] for r in http.get(f"{BASE}/requests.json?jurisdiction_id=35.72").json()}
    assert listed == blitar_numbers
    everywhere = {r["service_request_id"] for r in http.get(f"{BASE}/requests.json").json()}
    assert number <= everywhere  # no jurisdiction: every region's public view, as before

    assert http.get(f"{BASE}/requests/{kediri_number}.json?jurisdiction_id=35.71").status_code == 200
    assert http.get(f"{BASE}/requests/{kediri_number}.json?jurisdiction_id=35.72").status_code == 404


def test_an_unknown_jurisdiction_is_the_specs_404(http, province):
    for path in ("/services.json", "/requests.json", "/services/sampah.json"):
        response = http.get(f"{BASE}{path}?jurisdiction_id=99.99")
        assert response.status_code == 404, path
        assert response.json()[0]["description"] == "jurisdiction_id 99.99 not found"
    root = parse_xml(http.get(f"{BASE}/services.xml?jurisdiction_id=99.99"))
    assert root.tag == "errors" and root.findtext("error/code") == "404"
