"""Prometheus `GET /metrics` (API.md §3).

A fresh registry per scrape holds one collector that reads `services.metrics.snapshot()`:
the figures come from the database and Redis, so any process may answer any scrape.
Set METRICS_TOKEN to require `Authorization: Bearer <token>` from the scraper; with
`ADUAN_ENV=production` the token is required (no token set: every scrape is refused).
"""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, current_app
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
)

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.http import bearer_token
from ticketing.models import CHANNELS
from ticketing.services.metrics import SENT_STATES, snapshot

bp = Blueprint("metrics", __name__)


class AduanCollector:
    def __init__(self, figures: dict):
        self.figures = figures

    def collect(self):
        f = self.figures
        intake = CounterMetricFamily(
            "aduan_tickets_created", "Tickets taken in, by channel.", labels=["channel"]
        )
        for channel in sorted(set(CHANNELS) | set(f["intake"])):
            intake.add_metric([channel], f["intake"].get(channel, 0))
        yield intake

        buckets, count, total = f["routing"]
        latency = HistogramMetricFamily(
            "aduan_routing_latency_seconds", "Time from intake to routing (routed_at - created_at)."
        )
        latency.add_metric(
            [], [(repr(bound), n) for bound, n in buckets] + [("+Inf", count)], sum_value=total
        )
        yield latency

        open_tickets = GaugeMetricFamily("aduan_tickets_open", "Open tickets by status.", labels=["status"])
        for status, n in f["open"].items():
            open_tickets.add_metric([status], n)
        yield open_tickets

        overdue = GaugeMetricFamily("aduan_tickets_overdue", "Open overdue tickets per OPD.", labels=["opd"])
        for opd, n in sorted(f["overdue"].items()):
            overdue.add_metric([opd], n)
        yield overdue

        sent = CounterMetricFamily(
            "aduan_outbound_sent", "Outbound messages sent, by channel.", labels=["channel"]
        )
        failed = CounterMetricFamily(
            "aduan_outbound_failed", "Outbound messages failed for good, by channel.", labels=["channel"]
        )
        by_state = GaugeMetricFamily(
            "aduan_outbound_messages", "Outbound messages by channel and state.", labels=["channel", "state"]
        )
        channels = sorted({channel for channel, _ in f["outbound"]})
        for channel in channels:
            sent.add_metric([channel], sum(f["outbound"].get((channel, s), 0) for s in SENT_STATES))
            failed.add_metric([channel], f["outbound"].get((channel, "failed"), 0))
        for (channel, state), n in sorted(f["outbound"].items()):
            by_state.add_metric([channel, state], n)
        yield sent
        yield failed
        yield by_state

        up = GaugeMetricFamily("aduan_redis_up", "1 when Redis answered this scrape.")
        up.add_metric([], 0 if f["queues"] is None else 1)
        yield up
        depth = GaugeMetricFamily("aduan_queue_depth", "Jobs waiting per RQ queue.", labels=["queue"])
        for name, n in (f["queues"] or {}).items():
            depth.add_metric([name], n)
        yield depth


def metrics_token_required() -> bool:
    # Open metrics name every OPD's backlog and the queues' depth: fine on a laptop, not on
    # the internet. In production a scrape without the token is refused, even when none is set.
    return (
        bool(current_app.config.get("METRICS_TOKEN")) or current_app.config.get("ADUAN_ENV") == "production"
    )


@bp.get("/metrics")
def metrics():
    expected = current_app.config.get("METRICS_TOKEN") or ""
    if metrics_token_required() and not (
        expected and hmac.compare_digest((bearer_token() or "").encode(), expected.encode())
    ):
        raise APIError(
            401, "unauthorized", catalogue.text("error.metrics_token"), headers={"WWW-Authenticate": "Bearer"}
        )
    registry = CollectorRegistry(auto_describe=False)
    registry.register(AduanCollector(snapshot()))
    return Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
