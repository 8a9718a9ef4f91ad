"""Incidents through real HTTP, Redis, database, worker and Socket.IO (issue #18): a spike is
proposed once; a declared incident takes in WhatsApp, SMS and web reports, and every citizen
hears exactly one acknowledgement, one message per update and one at closing."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from tests.support.incidents import centre_of, declare_flood
from tests.support.processes import wait_for
from tests.support.tickets import bearer

FLOOD = "Banjir di Kelurahan Bandar Lor sudah sepinggang, air masuk rumah warga"


def outbox(db_query, kinds=None) -> list[dict]:
    from ticketing.models import OutboxMessage

    rows = db_query(
        lambda db: [
            {
                "kind": r.kind,
                "recipient": r.recipient,
                "state": r.state,
                "body": r.body,
                "ticket_id": r.ticket_id,
            }
            for r in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        ]
    )
    return [r for r in rows if kinds is None or r["kind"] in kinds]


def web_report(http, lat: float, lon: float, text: str = FLOOD, category: str | None = None) -> str:
    body = {"description": text, "location": {"lat": lat, "lon": lon}}
    if category:
        body["category"] = category
    answer = http.post("/api/v1/complaints", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()["ticket_number"]


def staff_ticket(http, token: str, number: str) -> dict:
    answer = http.get(f"/api/v1/tickets/{number}", headers=bearer(token))
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_eight_reports_within_500_m_propose_one_incident_on_the_wall(
    http, ready_worker, staff, socket_recorder
):
    wall = socket_recorder("/wall", staff["wall"])
    lat, lon = -7.8100, 112.0100
    numbers = []
    for i in range(8):  # ~40 m apart along a street: one cluster
        numbers.append(
            web_report(http, lat + i * 0.0004, lon, f"Selokan meluap, jalan tergenang nomor {i}", "drainase")
        )
    proposals = wall.wait_for(lambda r: r.of("incident.proposed"), message="incident.proposed")
    proposal = proposals[0]["incident"]
    assert proposal["status"] == "proposed" and proposal["categories"] == ["drainase"]
    assert sorted(proposal["proposed_tickets"]) == sorted(numbers)
    assert proposal["area"]["radius_m"] == 500 and proposal["lead_opd"] == "PUPR"

    # A ninth report of the same cluster proposes nothing new (one proposal per cluster), and
    # one far away in the same category does not either (not a cluster of its own).
    ninth = web_report(http, lat + 0.0002, lon + 0.0002, "Genangan air di selokan depan toko", "drainase")
    web_report(http, -7.85, 111.98, "Selokan tersumbat di desa sebelah", "drainase")
    wait_for(lambda: staff_ticket(http, staff["operator"], ninth)["status"] == "assigned", timeout=45)
    listed = http.get("/api/v1/incidents", headers=bearer(staff["operator"])).json()["items"]
    assert [i["id"] for i in listed] == [proposal["id"]]

    # The operator declares it: it takes in the reports it found, and the wall hears it.
    answer = http.post(
        f"/api/v1/incidents/{proposal['id']}/declare",
        json={"kind": "flood", "title": "Genangan Jl. Dhoho"},
        headers=bearer(staff["operator"]),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "active"
    wall.wait_for(lambda r: r.of("incident.created"), message="incident.created")
    detail = http.get(f"/api/v1/incidents/{proposal['id']}", headers=bearer(staff["wall"])).json()
    assert set(numbers) <= {t["ticket_number"] for t in detail["tickets"]}
    for number in numbers:
        ticket = staff_ticket(http, staff["operator"], number)
        assert ticket["incident"] == proposal["id"] and ticket["sla_due_at"] is None


def test_a_declared_incident_takes_in_whatsapp_sms_and_web_reports_and_tells_each_citizen_once(
    app, http, ready_worker, staff, channels, provider, db_query, socket_recorder
):
    lat, lon = centre_of(app)
    declared = declare_flood(app, http, staff["operator"])
    assert declared.status_code == 201, declared.text
    incident = declared.json()
    assert incident["status"] == "active" and incident["area"]["radius_m"] == 1500
    wall = socket_recorder("/wall", staff["wall"])

    whatsapp, twilio_sms, gateway_sms = "6281300000001", "+6281300000002", "+6281300000003"
    assert channels.meta_text(FLOOD, sender_digits=whatsapp).status_code == 200
    # The same citizen writes again: a follow-up, not a second acknowledgement.
    assert channels.meta_text("tolong segera, ada lansia", sender_digits=whatsapp).status_code == 200
    assert channels.twilio(FLOOD, sender=twilio_sms).status_code == 200
    assert (
        channels.gateway({"id": "gw-flood-1", "from": gateway_sms, "to": "1234", "text": FLOOD}).status_code
        == 200
    )
    web = web_report(http, lat + 0.001, lon, "Air banjir masuk rumah, jalan tidak bisa dilewati")

    def joined() -> list[dict]:
        detail = http.get(f"/api/v1/incidents/{incident['id']}", headers=bearer(staff["operator"])).json()
        return detail["tickets"]

    # The WhatsApp report, the two SMS (Twilio and a gateway) and the web one.
    wait_for(lambda: len(joined()) == 4, timeout=60)
    assert Counter(t["channel"] for t in joined()) == Counter({"sms": 2, "whatsapp": 1, "web": 1})
    numbers = [t["ticket_number"] for t in joined()]
    for number in numbers:
        ticket = staff_ticket(http, staff["operator"], number)
        assert ticket["incident"] == incident["id"] and ticket["opd"] == "BPBD"
        assert ticket["sla_due_at"] is None and ticket["overdue"] is False
    wall.wait_for(
        lambda r: any(e["ticket"]["incident"] == incident["id"] for e in r.of("ticket.routed")),
        message="a routed event naming the incident",
    )

    citizens = {"+" + whatsapp, twilio_sms, gateway_sms}
    acks = outbox(db_query, {"ack", "incident_ack", "routed", "reply"})
    # One acknowledgement each, naming the incident, not a ticket number to chase.
    assert Counter(r["recipient"] for r in acks) == Counter(citizens)
    assert all(r["kind"] == "incident_ack" and "Banjir Bandar Lor" in r["body"] for r in acks)
    assert not any(number in r["body"] for r in acks for number in numbers)

    for message in ("Tim BPBD sudah di lokasi dengan perahu karet.", "Pompa air mulai bekerja."):
        answer = http.post(
            f"/api/v1/incidents/{incident['id']}/updates",
            json={"message": message},
            headers=bearer(staff["operator"]),
        )
        assert answer.status_code == 201, answer.text
        assert answer.json()["recipients"] == 3
    updates = outbox(db_query, {"incident_update"})
    assert Counter(r["recipient"] for r in updates) == Counter({c: 2 for c in citizens})
    wall.wait_for(lambda r: r.of("incident.updated"), message="incident.updated")
    # The update is in each linked ticket's public history too.
    assert any(
        h["action"] == "incident_update" and h["public"]
        for h in staff_ticket(http, staff["operator"], web)["history"]
    )

    # Sent on each citizen's own channel: the WhatsApp one through the Cloud API.
    provider.wait_for("whatsapp", 3)
    closed = http.post(
        f"/api/v1/incidents/{incident['id']}/close", json={}, headers=bearer(staff["operator"])
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    closing = outbox(db_query, {"incident_closed"})
    assert Counter(r["recipient"] for r in closing) == Counter(citizens)
    for number in numbers:
        assert staff_ticket(http, staff["operator"], number)["status"] == "closed"
    # No status message of their own ever went out (routed, closed): only the incident's.
    assert not outbox(db_query, {"routed", "closed", "in_progress", "ack"})


def test_a_report_taken_out_stands_alone_with_its_own_sla_and_number(
    app, http, ready_worker, staff, channels, provider, db_query
):
    incident = declare_flood(app, http, staff["operator"]).json()
    channels.twilio(FLOOD, sender="+6281300000009")
    detail = {}

    def joined():
        detail.update(
            http.get(f"/api/v1/incidents/{incident['id']}", headers=bearer(staff["operator"])).json()
        )
        return detail["tickets"]

    wait_for(joined, timeout=60)
    number = detail["tickets"][0]["ticket_number"]
    officer = http.post(
        f"/api/v1/incidents/{incident['id']}/tickets/{number}/remove", headers=bearer(staff["officer"])
    )
    assert officer.status_code == 403
    answer = http.post(
        f"/api/v1/incidents/{incident['id']}/tickets/{number}/remove", headers=bearer(staff["operator"])
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["tickets"] == []
    ticket = staff_ticket(http, staff["operator"], number)
    assert ticket["incident"] is None and ticket["sla_due_at"] is not None
    told = [r for r in outbox(db_query) if r["recipient"] == "+6281300000009"]
    assert [r["kind"] for r in told] == ["incident_ack", "reply"] and number in told[-1]["body"]


def test_incident_input_is_checked_and_only_the_command_centre_and_bpbd_declare(http, staff, token_for):
    body = {
        "kind": "flood",
        "title": "Banjir",
        "categories": ["bencana"],
        "area": {"lat": -7.8, "lon": 112.0, "radius_m": 300},
    }
    assert http.post("/api/v1/incidents", json=body, headers=bearer(staff["officer"])).status_code == 403
    assert http.post("/api/v1/incidents", json=body, headers=bearer(staff["wall"])).status_code == 403
    bpbd = token_for("officer", "BPBD")
    assert http.post("/api/v1/incidents", json=body, headers=bearer(bpbd)).status_code == 201
    for bad in (
        {**body, "kind": "meteor"},
        {**body, "categories": ["tidak-ada"]},
        {**body, "categories": []},
        {**body, "area": {"lat": -7.8, "lon": 112.0}},
        {**body, "area": {"polygon": [[-7.8, 112.0], [-7.81, "x"], [-7.82, 112.01]]}},
        {**body, "area": {"lat": 99, "lon": 112.0, "radius_m": 100}},
        {**body, "lead_opd": "NOPE"},
        {**body, "title": ""},
    ):
        answer = http.post("/api/v1/incidents", json=bad, headers=bearer(staff["operator"]))
        assert answer.status_code == 422, (bad, answer.text)
        assert answer.json()["error"]["code"] == "invalid_fields"
    polygon = {
        **body,
        "area": {"polygon": [[-7.80, 112.00], [-7.80, 112.02], [-7.82, 112.02], [-7.82, 112.00]]},
    }
    created = http.post("/api/v1/incidents", json=polygon, headers=bearer(staff["operator"]))
    assert created.status_code == 201 and len(created.json()["area"]["polygon"]) == 4
    assert http.get("/api/v1/incidents/999999", headers=bearer(staff["operator"])).status_code == 404
    assert http.get("/api/v1/incidents/abc", headers=bearer(staff["operator"])).status_code == 404
    empty = http.post(
        f"/api/v1/incidents/{created.json()['id']}/updates",
        json={"message": ""},
        headers=bearer(staff["operator"]),
    )
    assert empty.status_code == 422
