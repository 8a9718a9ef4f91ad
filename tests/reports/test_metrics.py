"""Prometheus /metrics: figures read from the database and Redis at scrape time."""

from __future__ import annotations

from datetime import timedelta

from prometheus_client.parser import text_string_to_metric_families


def _samples(text: str) -> dict:
    out = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return out


def test_metrics_from_the_database_and_queues(http, app_ctx, redis_client):
    from ticketing.extensions import db
    from ticketing.models.messages import OutboxMessage
    from ticketing.services.intake import create_ticket

    tickets = [
        create_ticket(description=f"Laporan {i}", channel=channel, category_code="sampah").ticket
        for i, channel in enumerate(["web", "web", "sms", "open311"])
    ]
    tickets[0].routed_at = tickets[0].created_at + timedelta(seconds=0.3)
    tickets[1].routed_at = tickets[1].created_at + timedelta(seconds=7)
    tickets[1].status, tickets[1].opd_code, tickets[1].overdue = "assigned", "DLHKP", True
    for state in ("sent", "delivered", "failed"):
        db.session.add(
            OutboxMessage(
                channel="twilio_sms",
                recipient="+6281234567890",
                kind="ack",
                body="x",
                idempotency_key=f"k-{state}",
                state=state,
            )
        )
    db.session.commit()

    response = http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    s = _samples(response.text)
    assert s[("aduan_tickets_created_total", (("channel", "web"),))] == 2
    assert s[("aduan_tickets_created_total", (("channel", "whatsapp"),))] == 0
    assert s[("aduan_routing_latency_seconds_bucket", (("le", "0.5"),))] == 1
    assert s[("aduan_routing_latency_seconds_bucket", (("le", "10.0"),))] == 2
    assert s[("aduan_routing_latency_seconds_count", ())] == 2
    assert abs(s[("aduan_routing_latency_seconds_sum", ())] - 7.3) < 0.01
    assert s[("aduan_tickets_overdue", (("opd", "DLHKP"),))] == 1
    assert s[("aduan_outbound_sent_total", (("channel", "twilio_sms"),))] == 2
    assert s[("aduan_outbound_failed_total", (("channel", "twilio_sms"),))] == 1
    # Each new ticket queued a routing job in the real Redis (no worker runs here).
    assert s[("aduan_queue_depth", (("queue", "routing"),))] == 4
    assert s[("aduan_redis_up", ())] == 1
