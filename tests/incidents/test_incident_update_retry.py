"""A retried incident update (the operator's client timed out and sent the same request again)
is the same update: with the same `Idempotency-Key` the second POST answers the first update and
every linked citizen gets exactly one message, through the real worker and the provider."""

from __future__ import annotations

import re
import threading
import uuid
from collections import Counter

import requests
from sqlalchemy import select

from tests.support.incidents import centre_of, declare_flood
from tests.support.processes import wait_for
from tests.support.tickets import bearer

CITIZENS = ("+6281300000011", "+6281300000012", "+6281300000013")
UPDATE = "Tim BPBD sudah di lokasi dengan perahu karet."


def update_rows(db_query) -> list[dict]:
    from ticketing.models import OutboxMessage

    return db_query(
        lambda db: [
            {"recipient": r.recipient, "state": r.state}
            for r in db.session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.kind == "incident_update")
                .order_by(OutboxMessage.id)
            )
        ]
    )


def declare_with_reports(app, http, staff, make_ticket) -> int:
    lat, lon = centre_of(app)
    declared = declare_flood(app, http, staff["operator"])
    assert declared.status_code == 201, declared.text
    incident_id = declared.json()["id"]
    # Arrangement: three SMS citizens' reports already joined (joining is tested in test_incidents).
    for phone in CITIZENS:
        make_ticket(
            status="assigned",
            opd="BPBD",
            category="drainase",
            channel="sms",
            reporter_phone=phone,
            incident_id=incident_id,
            lat=lat,
            lon=lon,
        )
    return incident_id


def post_update(http, token, incident_id, message=UPDATE, key=None):
    headers = bearer(token) | ({"Idempotency-Key": key} if key else {})
    return http.post(f"/api/v1/incidents/{incident_id}/updates", json={"message": message}, headers=headers)


def test_a_retried_update_is_sent_once_to_each_citizen(
    app, http, ready_worker, staff, provider, db_query, make_ticket
):
    incident_id = declare_with_reports(app, http, staff, make_ticket)
    key = str(uuid.uuid4())

    first = post_update(http, staff["operator"], incident_id, key=key)
    assert first.status_code == 201, first.text
    assert first.json()["recipients"] == 3 and "Idempotent-Replayed" not in first.headers
    retry = post_update(http, staff["operator"], incident_id, key=key)
    assert retry.status_code == 201, retry.text
    assert retry.json() == first.json()  # the same update: id, message, recipients, time
    assert retry.headers["Idempotent-Replayed"] == "true"

    detail = http.get(f"/api/v1/incidents/{incident_id}", headers=bearer(staff["operator"])).json()
    assert [u["id"] for u in detail["updates"]] == [first.json()["id"]]
    for ticket in detail["tickets"]:
        history = http.get(
            f"/api/v1/tickets/{ticket['ticket_number']}", headers=bearer(staff["operator"])
        ).json()["history"]
        assert [h["action"] for h in history].count("incident_update") == 1

    # The worker sends what the outbox holds: one SMS to each citizen, none twice.
    assert Counter(r["recipient"] for r in update_rows(db_query)) == Counter(CITIZENS)
    wait_for(
        lambda: all(r["state"] == "sent" for r in update_rows(db_query)), timeout=60, message="updates sent"
    )
    sent = [r.form for r in provider.requests_for("twilio")]
    assert Counter(form["To"] for form in sent if UPDATE in form["Body"]) == Counter(CITIZENS)

    # The key with another message is refused; a new update needs a new key (or none).
    reused = post_update(http, staff["operator"], incident_id, message="Pompa air mulai bekerja.", key=key)
    assert reused.status_code == 409, reused.text
    error = reused.json()["error"]
    assert error["code"] == "idempotency_key_reused" and "Idempotency-Key" in error["fields"]
    assert post_update(http, staff["operator"], incident_id, key="pendek").status_code == 422
    second = post_update(http, staff["operator"], incident_id, message="Pompa air mulai bekerja.")
    assert second.status_code == 201 and second.json()["id"] != first.json()["id"]
    assert Counter(r["recipient"] for r in update_rows(db_query)) == Counter({c: 2 for c in CITIZENS})


def test_a_retry_racing_the_first_request_makes_one_update(
    app, http, ready_worker, staff, db_query, make_ticket
):
    """The client gave up while the server was still writing: both requests are in flight."""
    incident_id = declare_with_reports(app, http, staff, make_ticket)
    key = str(uuid.uuid4())
    answers: list = []
    start = threading.Barrier(2)

    def send():
        headers = bearer(staff["operator"]) | {"Idempotency-Key": key}
        start.wait()  # each on its own connection, at once
        answers.append(
            requests.post(
                f"{http.base_url}/api/v1/incidents/{incident_id}/updates",
                json={"message": UPDATE},
                headers=headers,
                timeout=30,
            )
        )

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [201, 201], [a.text for a in answers]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    assert Counter(r["recipient"] for r in update_rows(db_query)) == Counter(CITIZENS)


def test_the_console_form_sent_twice_is_one_update(
    app, http, staff, db_query, make_ticket, make_user, console_client
):
    """A double click or a resubmitted form on /console/incidents/<id>: the page's own key."""
    incident_id = declare_with_reports(app, http, staff, make_ticket)
    make_user("kabar-operator", "operator")
    console = console_client()
    assert console.login("kabar-operator").status_code == 302
    page = console.get(f"/console/incidents/{incident_id}").text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "message": UPDATE, "idempotency_key": key}
    for _ in range(2):
        answer = console.post(f"/console/incidents/{incident_id}/update", data=form)
        assert answer.status_code == 303, answer.text
    assert "tidak dikirim dua kali" in console.get(f"/console/incidents/{incident_id}").text

    detail = http.get(f"/api/v1/incidents/{incident_id}", headers=bearer(staff["operator"])).json()
    assert [u["message"] for u in detail["updates"]] == [UPDATE]
    assert Counter(r["recipient"] for r in update_rows(db_query)) == Counter(CITIZENS)
    # A fresh page is a fresh key: the next update goes out.
    page = console.get(f"/console/incidents/{incident_id}").text
    fresh = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    assert fresh != key
    answer = console.post(
        f"/console/incidents/{incident_id}/update",
        data={**form, "idempotency_key": fresh, "message": "Pompa air mulai bekerja."},
    )
    assert answer.status_code == 303
    assert Counter(r["recipient"] for r in update_rows(db_query)) == Counter({c: 2 for c in CITIZENS})
