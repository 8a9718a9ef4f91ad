"""Where a ticket waiting on an outside body shows: open on Open311 (the citizen still waits),
counted on its own region's wall only, and still a candidate duplicate for a new report."""

from __future__ import annotations

from sqlalchemy import select

from tests.support.tickets import bearer


def test_waiting_on_a_body_is_open_on_open311(http, staff, make_ticket):
    ticket = make_ticket("assigned")
    forwarded = http.post(
        f"/api/v1/tickets/{ticket.ticket_number}/actions",
        json={"action": "forward_external", "body": "PLN-UP3-KDR"},
        headers=bearer(staff["operator"]),
    )
    assert forwarded.json()["status"] == "external"
    [item] = http.get(f"/open311/v2/requests/{ticket.ticket_number}.json").json()
    assert item["status"] == "open"
    listed = http.get("/open311/v2/requests.json", params={"status": "open"}).json()
    assert ticket.ticket_number in [row["service_request_id"] for row in listed]


def test_the_wall_counts_its_own_regions_waiting_tickets_only(app_ctx, make_ticket, make_user):
    from ticketing.extensions import db
    from ticketing.models import User
    from ticketing.services.lifecycle import apply_action
    from ticketing.services.stats import wall_snapshot

    make_user("op-scope-h5", "operator")
    operator = db.session.scalar(select(User).where(User.username == "op-scope-h5"))
    ticket = make_ticket("assigned")
    apply_action(ticket, operator, "forward_external", body="PLN-UP3-KDR")
    kediri = wall_snapshot(region_codes=["35.71"])
    blitar = wall_snapshot(region_codes=["35.72"])
    assert kediri["external_total"] == 1 and kediri["counts"]["external"]["by_body"] == {"PLN-UP3-KDR": 1}
    assert [t["ticket_number"] for t in kediri["external_tickets"]] == [ticket.ticket_number]
    assert blitar["external_total"] == 0 and blitar["external_tickets"] == []


def test_a_web_citizen_reads_who_has_it_on_the_tracking_page(http, staff, make_ticket):
    ticket = make_ticket("in_progress", channel="web")
    http.post(
        f"/api/v1/tickets/{ticket.ticket_number}/actions",
        json={"action": "forward_external", "body": "BPJN-JATIM", "note": "Jalan nasional"},
        headers=bearer(staff["operator"]),
    )
    page = http.get(f"/lacak/{ticket.ticket_number}", params={"token": ticket.tracking_token}).text
    assert "Ditangani instansi terkait" in page
    assert "BPJN Jawa Timur (jalan nasional)" in page
    assert "menjadi kewenangan BPJN Jawa Timur" in page  # the public history entry
    assert "Jalan nasional" not in page  # the operator's note is for the body only


def test_cek_names_the_body_that_has_it(channels, http, staff, db_query):
    from tests.channels.test_webhooks import COMPLAINT, outbox_rows, tickets

    reporter = "+6281200000917"
    channels.twilio(COMPLAINT, sender=reporter)
    [(number, *_)] = tickets(db_query)
    forwarded = http.post(
        f"/api/v1/tickets/{number}/actions",
        json={"action": "forward_external", "body": "PDAM-KDR"},
        headers=bearer(staff["operator"]),
    )
    assert forwarded.status_code == 200, forwarded.text
    channels.twilio(f"CEK {number}", sender=reporter)
    last = [r["body"] for r in outbox_rows(db_query) if r["recipient"] == reporter][-1]
    assert number in last and "Ditangani instansi terkait" in last and "PDAM" in last
