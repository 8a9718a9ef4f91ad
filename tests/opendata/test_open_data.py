"""Open data: anonymised, confidential excluded, rounded locations, public staff notes only."""

from __future__ import annotations

import csv
import io
from datetime import UTC

import pytest

IDENTITY = ("Siti Rahayu", "+6281234567890", "081234567890", "siti@example.org", "Jl. Mawar 3")


@pytest.fixture
def tickets(app_ctx, make_user):
    from ticketing.extensions import db
    from ticketing.models import Ticket, User
    from ticketing.services.intake import create_ticket
    from ticketing.services.lifecycle import apply_action

    make_user("od-operator", "operator")
    operator = db.session.query(User).filter_by(username="od-operator").one()

    def new(**kwargs):
        return create_ticket(
            channel="web",
            reporter_name="Siti Rahayu",
            reporter_phone="+6281234567890",
            reporter_email="siti@example.org",
            address="Jl. Mawar 3",
            **kwargs,
        ).ticket

    shown = new(
        description="Rumah saya di Jl. Mawar 3, telp 081234567890, jalan berlubang",
        category_code="jalan-rusak",
        lat=-7.8166123,
        lon=112.0119456,
    )
    secret = new(
        description="Pungli oleh oknum", category_code="pungli", confidential=True, lat=-7.81, lon=112.01
    )
    number = shown.ticket_number
    apply_action(shown, operator, "dispose", opd="PUPR")
    shown = db.session.query(Ticket).filter_by(ticket_number=number).one()
    apply_action(shown, operator, "comment", note="Sudah dicek, hubungi 081298765432", public=True)
    shown = db.session.query(Ticket).filter_by(ticket_number=number).one()
    apply_action(shown, operator, "comment", note="Catatan internal rahasia")
    return {"shown": number, "secret": secret.ticket_number}


def _record_id(ticket_number: str) -> str:
    from ticketing.services.opendata import open_data_record_id

    return open_data_record_id(ticket_number)


def _no_identity(text: str) -> None:
    for value in IDENTITY + ("Pungli oleh oknum", "jalan berlubang", "Catatan internal"):
        assert value not in text, value


def test_csv_is_anonymised(http, tickets):
    response = http.get("/open-data/tickets.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    _no_identity(response.text)
    rows = list(csv.DictReader(io.StringIO(response.text)))
    # One row, identified apart from the ticket number Open311 and the citizen's SMS carry.
    assert [row["record_id"] for row in rows] == [_record_id(tickets["shown"])]
    assert tickets["shown"] not in response.text
    (row,) = rows
    assert (row["lat"], row["lon"]) == ("-7.817", "112.012")
    assert row["opd_code"] == "PUPR" and row["status"] == "assigned"
    assert row["public_notes"] == "Sudah dicek, hubungi [telepon]"
    assert "description" not in row and "reporter_name" not in row


def test_json_matches_the_dictionary(http, tickets):
    body = http.get("/open-data/tickets.json").json()
    _no_identity(str(body))
    (item,) = body["items"]
    assert item["record_id"] == _record_id(tickets["shown"]) and "ticket_number" not in item
    assert item["lat"] == -7.817 and item["lon"] == 112.012
    page = http.get("/open-data/")
    assert page.status_code == 200
    for field in body["fields"]:
        assert f"<code>{field}</code>" in page.text
    assert set(item) == set(body["fields"])


def test_date_filter_and_streaming_many_rows(http, app_ctx):
    from datetime import datetime

    from ticketing.extensions import db
    from ticketing.models import Ticket

    now = datetime.now(UTC)
    db.session.execute(
        Ticket.__table__.insert(),
        [
            {
                "ticket_number": f"OD-{i:05d}",
                "tracking_token_hash": "x" * 64,
                "status": "received",
                "channel": "sms",
                "description": "rahasia",
                "category_chosen": False,
                "anonymous": False,
                "confidential": i % 10 == 0,
                "overdue": False,
                "return_count": 0,
                "flagged_for_supervisor": False,
                "reopen_count": 0,
                "created_at": now,
                "updated_at": now,
            }
            for i in range(1600)
        ],
    )
    db.session.commit()
    rows = list(csv.DictReader(io.StringIO(http.get("/open-data/tickets.csv", timeout=60).text)))
    assert len(rows) == 1440  # every page streamed, the confidential tenth left out
    assert http.get("/open-data/tickets.json", params={"to": "2000-01-01"}).json()["items"] == []
    assert http.get("/open-data/tickets.csv", params={"from": "kemarin"}).status_code == 422
    assert (
        http.get("/open-data/tickets.csv", params={"from": "2025-02-01", "to": "2025-01-01"}).status_code
        == 422
    )


def test_staff_csv_roles_and_scope(http, tickets, token_for):
    from ticketing.extensions import db
    from ticketing.services.intake import create_ticket

    anonymous = create_ticket(
        description="Bising",
        channel="web",
        category_code="ketertiban",
        anonymous=True,
        reporter_phone="+6281311112222",
    ).ticket
    anonymous.opd_code = "SATPOLPP"
    db.session.commit()

    def rows(token, **params):
        response = http.get(
            "/api/v1/tickets.csv", params=params, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200, response.text
        return {r["ticket_number"]: r for r in csv.DictReader(io.StringIO(response.text))}

    operator = rows(token_for("operator"))
    assert set(operator) == {tickets["shown"], tickets["secret"], anonymous.ticket_number}
    assert operator[tickets["shown"]]["reporter_phone"] == "+6281234567890"
    assert operator[tickets["secret"]]["reporter_phone"] == ""  # confidential: no identity
    assert operator[anonymous.ticket_number]["reporter_phone"] == ""
    assert set(rows(token_for("admin"), opd="SATPOLPP")) == {anonymous.ticket_number}
    assert set(rows(token_for("officer", "PUPR"))) == {tickets["shown"]}
    assert http.get("/api/v1/tickets.csv").status_code == 401
    wall = http.get("/api/v1/tickets.csv", headers={"Authorization": f"Bearer {token_for('wall')}"})
    assert wall.status_code == 403 and wall.json()["error"]["code"] == "forbidden"
    bad = http.get(
        "/api/v1/tickets.csv",
        params={"status": "lost"},
        headers={"Authorization": f"Bearer {token_for('admin', username='a2')}"},
    )
    assert bad.status_code == 422
