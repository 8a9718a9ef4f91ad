"""Open311 driven by an independent client: `georeport` from PyPI (a GeoReport v2 wrapper that
knows nothing of Aduan), in both its JSON and its XML mode, against the live server."""

from __future__ import annotations

import pytest
from georeport import GeoReport

from tests.support.open311 import BASE


@pytest.fixture
def filed(http, api_key, lifecycle):
    """Three requests: one open at PUPR with a public note, one resolved, one plain."""
    numbers = []
    for text, code in (
        ("Jalan berlubang di Jl. Dhoho depan toko", "jalan-rusak"),
        ("Lampu PJU mati tiga titik di Jl. Brawijaya", "pju"),
        ("Sampah menumpuk di TPS Semampir", "sampah"),
    ):
        response = http.post(
            f"{BASE}/requests.json",
            data={
                "api_key": api_key,
                "service_code": code,
                "lat": "-7.8166",
                "long": "112.0119",
                "description": text,
                "media_url": "https://example.org/foto.jpg",
            },
        )
        assert response.status_code == 201, response.text
        numbers.append(response.json()[0]["service_request_id"])
    lifecycle(numbers[0], "dispose", opd="PUPR")
    lifecycle(numbers[0], "accept", who="o311-pupr")
    lifecycle(numbers[0], "comment", who="o311-pupr", note="Tim sudah survei lokasi.", public=True)
    lifecycle(numbers[1], "dispose", opd="DISHUB")
    return numbers


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_service_list_and_definitions(http, output_format):
    client = GeoReport(http.base_url + BASE, output_format=output_format)
    services = client.get_service_list()
    by_code = {service["service_code"]: service for service in services}
    assert {"jalan-rusak", "sampah", "pju", "kebakaran", "lainnya"} <= set(by_code)
    road = by_code["jalan-rusak"]
    assert road["service_name"] == "Jalan dan jembatan rusak"
    assert road["group"] == "Dinas Pekerjaan Umum dan Penataan Ruang"
    assert "berlubang" in road["keywords"]
    assert road["type"] == "realtime"
    assert str(road["metadata"]).lower() == "true"
    assert str(by_code["sampah"]["metadata"]).lower() == "false"

    definition = client.get_service_definition("kebakaran")
    assert definition["service_code"] == "kebakaran"
    attributes = definition["attributes"]
    if output_format == "xml":  # xmltodict: <attributes><attribute>…</attribute></attributes>
        attributes = attributes["attribute"]
        attributes = attributes if isinstance(attributes, list) else [attributes]
    (victims,) = attributes
    assert victims["code"] == "ada_korban"
    assert str(victims["required"]).lower() == "true"
    assert victims["datatype"] == "singlevaluelist"


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_requests_read_back(http, filed, output_format):
    client = GeoReport(http.base_url + BASE, output_format=output_format)
    found = client.get_service_requests(service_request_id=",".join(filed))
    found = found if isinstance(found, list) else [found]
    assert sorted(r["service_request_id"] for r in found) == sorted(filed)

    one = client.get_service_request(filed[0])
    assert one["service_request_id"] == filed[0]
    assert one["status"] == "open"
    assert one["agency_responsible"] == "Dinas Pekerjaan Umum dan Penataan Ruang"
    assert one["status_notes"] == "Tim sudah survei lokasi."
    assert one["service_code"] == "jalan-rusak"
    assert one["media_url"] is None  # the public view has no photo link (full_detail keys do)
    assert one["expected_datetime"]

    dishub = client.get_service_requests(service_code="pju")
    dishub = dishub if isinstance(dishub, list) else [dishub]
    assert [r["service_request_id"] for r in dishub] == [filed[1]]
    opened = client.get_service_requests(status="open")
    opened = opened if isinstance(opened, list) else [opened]
    assert len(opened) == 3
