"""GeoReport v2, field by field from the specification, in JSON and in XML (parsed)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from rq import Queue

from tests.support.console import png_bytes
from tests.support.open311 import BASE, parse_xml, post_request, xml_record

REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
    "kind",  # issue #17's extension: pengaduan, aspirasi, informasi
}
PERSONAL = {"first_name", "last_name", "email", "phone", "name", "reporter", "device_id", "account_id"}


def _ticket(number):
    from ticketing.extensions import db
    from ticketing.models import Ticket

    db.session.expire_all()
    return db.session.query(Ticket).filter_by(ticket_number=number).one()


def _iso(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    assert moment.tzinfo is not None, value  # W3C datetimes carry their offset
    return moment


def test_discovery_json_and_xml(http):
    body = http.get(f"{BASE}/discovery.json").json()
    (endpoint,) = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/")
    assert {"application/json", "text/xml"} <= set(endpoint["formats"])
    root = parse_xml(http.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    formats = [f.text for f in root.find("endpoints/endpoint/formats")]
    assert "text/xml" in formats
    assert root.findtext("endpoints/endpoint/specification") == endpoint["specification"]


def test_services_xml_fields(http):
    root = parse_xml(http.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    services = {xml_record(s)["service_code"]: xml_record(s) for s in root.findall("service")}
    assert len(services) == 23
    for service in services.values():
        assert set(service) == {
            "service_code",
            "service_name",
            "description",
            "metadata",
            "type",
            "keywords",
            "group",
        }
        assert service["metadata"] in ("true", "false")
    assert services["pju"]["group"] == "Dinas Perhubungan"
    # Same list without a suffix, as JSON.
    assert {s["service_code"] for s in http.get(f"{BASE}/services").json()} == set(services)


def test_service_definition_xml_and_unknown_code(http):
    root = parse_xml(http.get(f"{BASE}/services/jalan-rusak.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "jalan-rusak"
    (attribute,) = root.findall("attributes/attribute")
    assert attribute.findtext("variable") == "true"
    assert attribute.findtext("code") == "ukuran"
    assert attribute.findtext("datatype") == "singlevaluelist"
    assert attribute.findtext("required") == "false"
    assert attribute.findtext("order") == "1"
    assert attribute.findtext("description")
    keys = [value.findtext("key") for value in attribute.findall("values/value")]
    assert keys == ["kecil", "sedang", "besar"]
    assert all(value.findtext("name") for value in attribute.findall("values/value"))
    assert http.get(f"{BASE}/services/sampah.json").json() == {"service_code": "sampah", "attributes": []}

    missing = http.get(f"{BASE}/services/tidak-ada.json")
    assert missing.status_code == 404
    assert missing.json()[0]["code"] == 404 and missing.json()[0]["description"]
    missing_xml = http.get(f"{BASE}/services/tidak-ada.xml")
    assert missing_xml.status_code == 404
    error = parse_xml(missing_xml)
    assert error.tag == "errors" and error.findtext("error/code") == "404"
    assert http.get(f"{BASE}/services.yaml").status_code == 404


def test_post_request_creates_a_routed_open311_ticket(http, api_key, redis_client):
    response = post_request(
        http,
        api_key=api_key,
        service_code="jalan-rusak",
        lat="-7.816612",
        long="112.011911",
        address_string="Jl. Dhoho No. 10",
        description="Jalan berlubang besar di depan toko.",
        media_url="https://example.org/lubang.jpg",
        email="budi@example.org",
        first_name="Budi",
        last_name="Santoso",
        phone="081234567890",
        **{"attribute[ukuran]": "besar"},
    )
    assert response.status_code == 201, response.text
    (created,) = response.json()
    number = created["service_request_id"]
    assert set(created) == {"service_request_id", "service_notice", "account_id"}

    ticket = _ticket(number)
    assert ticket.channel == "open311" and ticket.category_code == "jalan-rusak"
    assert (ticket.lat, ticket.lon, ticket.address) == (-7.816612, 112.011911, "Jl. Dhoho No. 10")
    assert ticket.reporter_name == "Budi Santoso" and ticket.reporter_phone == "+6281234567890"
    assert ticket.reporter_email == "budi@example.org" and not ticket.anonymous
    assert "Besar" in ticket.description
    # Routed like any other ticket: its routing job waits in the real queue.
    queued = Queue("routing", connection=redis_client).job_ids
    assert f"route-ticket-{ticket.id}" in queued

    # The XML answer of a POST is parsed too.
    xml = post_request(
        http,
        "xml",
        api_key=api_key,
        service_code="sampah",
        address_string="Pasar Setono Betek",
        description="Sampah menumpuk.",
    )
    assert xml.status_code == 201
    root = parse_xml(xml)
    assert root.tag == "service_requests"
    assert _ticket(root.findtext("request/service_request_id")).anonymous


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_errors(http, api_key, fmt):
    from ticketing.services.api_keys import create_api_key, revoke_api_keys

    good = {
        "api_key": api_key,
        "service_code": "sampah",
        "lat": "-7.8",
        "long": "112.0",
        "description": "Sampah menumpuk.",
    }

    def errors(status, **changes):
        form = {k: v for k, v in {**good, **changes}.items() if v is not None}
        response = post_request(http, fmt, **form)
        assert response.status_code == status, (changes, response.text)
        if fmt == "json":
            items = response.json()
        else:
            root = parse_xml(response)
            assert root.tag == "errors"
            items = [
                {"code": int(e.findtext("code")), "description": e.findtext("description")}
                for e in root.findall("error")
            ]
        assert items and all(item["code"] == status and item["description"] for item in items)
        return items

    errors(400, api_key=None)
    errors(403, api_key="a311_not-a-key")
    old = create_api_key("old partner").key
    revoke_api_keys("old partner")
    errors(403, api_key=old)
    errors(400, service_code=None)
    errors(400, service_code="tidak-ada")
    errors(400, lat=None, long=None)
    errors(400, long=None)
    errors(400, lat="91")
    errors(400, description="x" * 4001)
    errors(400, media_url="javascript:alert(1)")
    errors(400, email="not-an-email")
    errors(400, phone="12")
    errors(400, service_code="kebakaran")  # its attribute ada_korban is required
    errors(400, service_code="jalan-rusak", **{"attribute[ukuran]": "raksasa"})
    errors(400, service_code="pju", **{"attribute[jumlah_lampu]": "banyak"})
    ok = post_request(http, fmt, **{**good, "description": "x" * 4000})
    assert ok.status_code == 201
    ok = post_request(http, fmt, **{**good, "service_code": "kebakaran", "attribute[ada_korban]": "tidak"})
    assert ok.status_code == 201


def test_get_request_fields_json_and_xml(http, api_key, lifecycle):
    number = post_request(
        http,
        api_key=api_key,
        service_code="jalan-rusak",
        lat="-7.81",
        long="112.01",
        description="Jalan rusak, hubungi 081234567890",
        media_url="https://example.org/a.jpg",
        first_name="Budi",
    ).json()[0]["service_request_id"]
    lifecycle(number, "dispose", opd="PUPR")
    lifecycle(number, "accept", who="o311-pupr")
    # Roads need a proof-of-fix photo (issue #18), as the console sends it.
    proof = {"photo_content": png_bytes()}
    lifecycle(number, "resolve", who="o311-pupr", note="Lubang sudah ditambal.", details=proof)
    ticket = _ticket(number)

    (item,) = http.get(f"{BASE}/requests/{number}.json").json()
    root = parse_xml(http.get(f"{BASE}/requests/{number}.xml"))
    assert root.tag == "service_requests"
    xml_item = xml_record(root.find("request"))
    for record in (item, xml_item):
        assert set(record) == REQUEST_FIELDS
        assert not PERSONAL & set(record)
        assert record["service_request_id"] == number
        assert record["status"] == "closed"  # resolved counts as closed
        assert record["status_notes"] == "Lubang sudah ditambal."
        assert record["agency_responsible"] == "Dinas Pekerjaan Umum dan Penataan Ruang"
        assert record["service_name"] == "Jalan dan jembatan rusak"
        assert "081234567890" not in record["description"]  # masked
        assert _iso(record["expected_datetime"]) == ticket.sla_due_at.replace(microsecond=0)
        assert _iso(record["requested_datetime"]) == ticket.created_at.replace(microsecond=0)
        assert _iso(record["updated_datetime"]) >= _iso(record["requested_datetime"])
        assert float(record["lat"]) == -7.81 and float(record["long"]) == 112.01
        assert record["media_url"] is None  # public view (tests/security/test_open311_public_exposure.py)
    assert http.get(f"{BASE}/requests/{number}").json() == [item]
    assert http.get(f"{BASE}/requests/ZZZZ-ZZZZ.json").status_code == 404
    missing = http.get(f"{BASE}/requests/nonsense.xml")
    assert missing.status_code == 404 and parse_xml(missing).findtext("error/code") == "404"


def test_get_requests_filters(http, api_key, lifecycle, app_ctx):
    from ticketing.extensions import db

    def post(code):
        return post_request(
            http, api_key=api_key, service_code=code, lat="-7.8", long="112.0", description=f"Laporan {code}"
        ).json()[0]["service_request_id"]

    road, rubbish, light = post("jalan-rusak"), post("sampah"), post("pju")
    lifecycle(rubbish, "reject", reason="spam")
    old = _ticket(light)
    old.created_at = datetime.now(UTC) - timedelta(days=120)
    db.session.commit()

    def ids(fmt="json", **params):
        response = http.get(f"{BASE}/requests.{fmt}", params=params)
        assert response.status_code == 200, response.text
        if fmt == "xml":
            return {r.findtext("service_request_id") for r in parse_xml(response).findall("request")}
        return {r["service_request_id"] for r in response.json()}

    # Default window: the most recent 90 days.
    assert ids() == {road, rubbish} == ids("xml")
    assert ids(status="open") == {road} == ids("xml", status="open")
    assert ids(status="closed") == {rubbish}
    assert ids(status="open,closed") == {road, rubbish}
    assert ids(service_code="jalan-rusak,pju") == {road}
    # service_request_id overrides every other parameter, including the date window.
    assert ids(service_request_id=f"{road},{light}", status="closed") == {road, light}
    now = datetime.now(UTC)
    start = (now - timedelta(days=130)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (now - timedelta(days=50)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(start_date=start, end_date=end) == {light}
    assert ids("xml", start_date=start) == {light}  # 90 days from start_date

    for params in (
        {"start_date": (now - timedelta(days=200)).isoformat(), "end_date": end},
        {"start_date": end, "end_date": start},
        {"start_date": "kemarin"},
        {"status": "pending"},
    ):
        response = http.get(f"{BASE}/requests.json", params=params)
        assert response.status_code == 400, params
        assert response.json()[0]["code"] == 400
        xml = http.get(f"{BASE}/requests.xml", params=params)
        assert xml.status_code == 400 and parse_xml(xml).findtext("error/code") == "400"


def test_default_cap_of_1000_rows(http, app_ctx):
    from ticketing.extensions import db
    from ticketing.models import Ticket
    from ticketing.services.intake import hash_tracking_token

    db.session.execute(
        Ticket.__table__.insert(),
        [
            {
                "ticket_number": f"CAP-{i:05d}",
                "tracking_token_hash": hash_tracking_token(str(i)),
                "status": "received",
                "channel": "web",
                "description": f"laporan {i}",
                "category_chosen": False,
                "anonymous": True,
                "confidential": False,
                "overdue": False,
                "return_count": 0,
                "flagged_for_supervisor": False,
                "reopen_count": 0,
                "created_at": datetime.now(UTC),
                "updated_at": datetime.now(UTC),
            }
            for i in range(1005)
        ],
    )
    db.session.commit()
    assert db.session.query(Ticket).count() == 1005
    assert len(http.get(f"{BASE}/requests.json", timeout=30).json()) == 1000


def test_confidential_never_appears_and_anonymous_has_no_personal_field(http, app_ctx):
    from ticketing.services.intake import create_ticket

    secret = create_ticket(
        description="Pungli di kantor kelurahan oleh oknum",
        channel="web",
        category_code="pungli",
        reporter_name="Saksi",
        reporter_phone="+6281234567890",
        confidential=True,
        lat=-7.81,
        lon=112.01,
    ).ticket.ticket_number
    anonymous = create_ticket(
        description="Bising karaoke tiap malam",
        channel="web",
        category_code="ketertiban",
        anonymous=True,
        lat=-7.816612,
        lon=112.011911,
        address="Jl. Mawar 3",
    ).ticket.ticket_number

    listed = http.get(f"{BASE}/requests.json").json()
    assert [r["service_request_id"] for r in listed] == [anonymous]
    assert http.get(f"{BASE}/requests/{secret}.json").status_code == 404
    assert http.get(f"{BASE}/requests.json", params={"service_request_id": secret}).json() == []
    assert secret not in http.get(f"{BASE}/requests.xml").text  # absent from XML too
    parsed = parse_xml(http.get(f"{BASE}/requests.xml", params={"service_request_id": anonymous}))
    for record in (listed[0], xml_record(parsed.find("request"))):
        assert not PERSONAL & set(record)
        assert record["address"] is None  # an anonymous reporter's doorstep stays unknown
        assert float(record["lat"]) == -7.817 and float(record["long"]) == 112.012


def test_create_api_key_command_prints_the_key_last(process_env, http, app):
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "create-api-key", "--name", "Dashboard Bappeda"],
        env=process_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    key = result.stdout.strip().splitlines()[-1]
    response = post_request(
        http, api_key=key, service_code="sampah", address_string="Jl. Dhoho", description="Sampah."
    )
    assert response.status_code == 201, response.text


def test_nul_characters_are_a_client_error(http, api_key):
    for fmt in ("json", "xml"):
        response = post_request(
            http,
            fmt,
            api_key=api_key,
            service_code="sampah",
            address_string="Jl. Dhoho",
            description="Sampah\x00menumpuk",
        )
        assert response.status_code == 400, response.text
    # One answer on SQLite and PostgreSQL alike (it used to be 200 or 400, 401 or 422).
    listed = http.get(f"{BASE}/requests.json", params={"service_code": "sam\x00pah"})
    assert listed.status_code == 400, listed.text
    login = http.post("/api/v1/auth/token", json={"username": "a\x00b", "password": "x"})
    assert login.status_code == 422, login.text
    assert login.json()["error"]["fields"]["username"], login.text
