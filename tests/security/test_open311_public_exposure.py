"""Issue 13 item 5: public Open311 GET no longer undoes the open-data anonymisation.

Before: GET requests published the full description (names, house numbers, plates survive the
phone/NIK/e-mail masking), exact coordinates, the street address and the photo link, under the
same ticket number the anonymised open data carried. Now the public (no key, or a key without
a scope) reads what open data publishes; only a key given `full_detail` reads more; and a chat
report that starts with RAHASIA is confidential, so it appears nowhere public.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest

from tests.support.open311 import BASE

LONG_STORY = (
    "Mobil Avanza AG 1234 XY milik Pak Slamet Riyadi parkir tiap malam di depan rumah "
    "saya Jl. Mawar No. 3 RT 02 RW 05, menutup jalan. Istri saya Bu Wartini sudah "
    "menegur tapi dia marah. Mohon ditertibkan, hubungi 081234567890."
)
EXACT = {"lat": -7.8166123, "lon": 112.0119456}


@pytest.fixture
def keys(app_ctx):
    from ticketing.services.api_keys import create_api_key

    return {
        "plain": create_api_key("Aplikasi Warga").key,
        "full": create_api_key("Dasbor Command Center", "full_detail").key,
    }


@pytest.fixture
def complaint(http):
    response = http.post(
        "/api/v1/complaints",
        json={
            "description": LONG_STORY,
            "category": "ketertiban",
            "reporter": {"name": "Siti Rahayu", "phone": "081298765432"},
            "location": {**EXACT, "address": "Jl. Mawar No. 3 RT 02 RW 05"},
        },
    )
    assert response.status_code == 201, response.text
    return response.json()["ticket_number"]


def _public_record_ok(record: dict) -> None:
    assert record["address"] is None
    assert (float(record["lat"]), float(record["long"])) == (-7.817, 112.012)  # as open data
    assert len(record["description"]) <= 140 and "081234567890" not in record["description"]
    assert "Wartini" not in record["description"]  # past the summary: not published
    assert record["media_url"] is None


def test_public_get_publishes_no_more_than_open_data(http, keys, complaint):
    listed = http.get(f"{BASE}/requests.json").json()
    one = http.get(f"{BASE}/requests/{complaint}.json").json()
    plain_key = http.get(f"{BASE}/requests/{complaint}.json", params={"api_key": keys["plain"]})
    for record in (*listed, *one, *plain_key.json()):
        assert record["service_request_id"] == complaint
        assert record["service_code"] == "ketertiban" and record["status"] == "open"
        _public_record_ok(record)
    xml = http.get(f"{BASE}/requests/{complaint}.xml").text
    assert "<address />" in xml and "-7.8166123" not in xml and "Wartini" not in xml


def test_full_detail_key_reads_more(http, keys, complaint):
    (record,) = http.get(f"{BASE}/requests/{complaint}.json", params={"api_key": keys["full"]}).json()
    assert record["address"] == "Jl. Mawar No. 3 RT 02 RW 05"
    assert (record["lat"], record["long"]) == (EXACT["lat"], EXACT["lon"])
    assert "Wartini" in record["description"] and "081234567890" not in record["description"]
    listed = http.get(f"{BASE}/requests.json", params={"api_key": keys["full"]}).json()
    assert listed[0]["address"] == "Jl. Mawar No. 3 RT 02 RW 05"
    refused = http.get(f"{BASE}/requests.json", params={"api_key": "a311_not-a-key"})
    assert refused.status_code == 403


def test_open_data_does_not_share_the_open311_id(http, complaint):
    rows = list(csv.DictReader(io.StringIO(http.get("/open-data/tickets.csv").text)))
    assert len(rows) == 1 and "ticket_number" not in rows[0]
    assert complaint not in str(rows) and complaint not in http.get("/open-data/tickets.json").text
    assert rows[0]["record_id"]


def test_a_client_still_reads_back_what_it_posted(http, keys):
    posted = http.post(
        f"{BASE}/requests.json",
        data={
            "api_key": keys["plain"],
            "service_code": "sampah",
            "lat": "-7.8166123",
            "long": "112.0119456",
            "address_string": "Pasar Setono Betek",
            "description": "Sampah menumpuk di depan pasar.",
        },
    )
    assert posted.status_code == 201, posted.text
    number = posted.json()[0]["service_request_id"]
    (record,) = http.get(f"{BASE}/requests/{number}.json").json()
    assert record["service_request_id"] == number and record["service_code"] == "sampah"
    _public_record_ok(record)


def test_create_api_key_scope_on_the_command_line(process_env, http):
    def create(*extra):
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", "create-api-key", "--name", "Dasbor", *extra],
            env=process_env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]

    plain, full = create(), create("--scope", "full_detail")
    posted = http.post(
        f"{BASE}/requests.json",
        data={
            "api_key": plain,
            "service_code": "sampah",
            "lat": "-7.8166123",
            "long": "112.0119456",
            "description": "Sampah menumpuk.",
            "first_name": "Budi",
        },
    )  # named: not blurred as anonymous
    number = posted.json()[0]["service_request_id"]
    (public,) = http.get(f"{BASE}/requests/{number}.json", params={"api_key": plain}).json()
    (detail,) = http.get(f"{BASE}/requests/{number}.json", params={"api_key": full}).json()
    assert float(public["lat"]) == -7.817 and detail["lat"] == -7.8166123
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "wsgi",
            "create-api-key",
            "--name",
            "X",
            "--scope",
            "everything",
        ],
        env=process_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode != 0


@pytest.mark.parametrize("send", ["sms", "whatsapp"])
def test_rahasia_makes_a_chat_report_confidential(http, channels, db_query, send):
    from ticketing.models import Ticket

    text = "RAHASIA: pungli di kantor kelurahan Bandar Lor oleh oknum petugas, tiap urus KTP"
    response = channels.twilio(text) if send == "sms" else channels.meta_text(text)
    assert response.status_code == 200, response.text
    number, confidential, description = db_query(
        lambda db: db.session.query(Ticket.ticket_number, Ticket.confidential, Ticket.description).one()
    )
    assert confidential is True
    assert description.startswith("pungli di kantor")  # the keyword is not the complaint
    assert http.get(f"{BASE}/requests.json").json() == []
    assert http.get(f"{BASE}/requests/{number}.json").status_code == 404
    assert "pungli" not in http.get("/open-data/tickets.json").text.lower()
    assert len(list(csv.DictReader(io.StringIO(http.get("/open-data/tickets.csv").text)))) == 0


def test_bare_rahasia_makes_the_next_message_confidential(http, channels, db_query):
    from ticketing.models import Ticket

    assert channels.twilio("rahasia", sender="+6281355550001").status_code == 200
    assert db_query(lambda db: db.session.query(Ticket).count()) == 0  # asked to write it
    channels.twilio("Pungli parkir di Jl. Dhoho setiap sore oleh juru parkir liar", sender="+6281355550001")
    assert db_query(lambda db: db.session.query(Ticket.confidential).one()) == (True,)
    # Someone else's ordinary report stays public.
    channels.twilio("Lampu jalan mati di Jl. Brawijaya sejak kemarin", sender="+6281355550002")
    assert len(http.get(f"{BASE}/requests.json").json()) == 1
