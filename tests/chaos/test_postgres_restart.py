"""PostgreSQL (a private cluster) restarted under load: the web answers 503
`database_unavailable` while it is down — webhook providers retry on 5xx — and recovers without
a restart of its own (pool_pre_ping); no ticket is half-written (each has its `ticket.created`
event and is routed once; no orphan events)."""

from __future__ import annotations

import time

import pytest

from tests.support.chaos import LoadGenerator
from tests.support.chaos_checks import assert_no_half_written, readyz, ticket_report, timed, wait_all_routed
from tests.support.processes import wait_for

pytestmark = pytest.mark.chaos


def test_postgres_restart_under_load_answers_503_and_recovers(private_postgres, make_stack):
    cluster, pg_app = private_postgres
    stack = make_stack(database_url=cluster.url)
    web = stack.start_web()
    stack.start_worker()
    load = LoadGenerator(web.base_url, threads=3, pause=0.05)
    with timed("PostgreSQL stopped 8 s under load, then recovery"):
        load.start()
        try:
            load.wait_for_accepted(20)
            cluster.stop("fast")  # ends every session: in-flight transactions fail
            down_at = time.monotonic()
            status, body = wait_for(
                lambda: (r := readyz(web.base_url))[0] == 503 and r,
                timeout=10,
                message="/readyz to report the database down",
            )
            assert body["checks"]["database"] != "ok"
            time.sleep(max(0.0, 8 - (time.monotonic() - down_at)))
            cluster.start()
            up_at = time.monotonic()
            load.wait_for_accepted(20, timeout=30)  # the same web process, no restart
        finally:
            outcomes = load.stop()
        accepted = load.accepted()
        wait_all_routed(pg_app, accepted, timeout=120)
        report = ticket_report(pg_app)
    failures = [o for o in outcomes if o.status != 201]
    assert failures, "no request saw the database down"
    assert {(o.status, o.error_code) for o in failures} == {(503, "database_unavailable")}, load.statuses()
    assert readyz(web.base_url)[0] == 200
    unheard = assert_no_half_written(report, accepted)
    print(
        f"[chaos] {len(accepted)} accepted, {len(failures)} answered 503 database_unavailable "
        f"in {up_at - down_at:.1f}s down; tickets committed whose 201 was lost: {len(unheard)}"
    )
