"""Redis stopped during a burst of complaints: every complaint accepted before, during and after
is routed once Redis returns — none lost, none routed twice — and /readyz names Redis meanwhile.

The 20-second outage is `make chaos`; a 3-second one runs in `make test`.
"""

from __future__ import annotations

import time

import pytest

from tests.support.chaos import LoadGenerator
from tests.support.chaos_checks import assert_exactly_once, readyz, timed, wait_all_routed
from tests.support.processes import wait_for


@pytest.mark.parametrize("down_seconds", [pytest.param(20, marks=pytest.mark.chaos), 3])
def test_redis_outage_during_burst_loses_and_doubles_nothing(app, make_stack, down_seconds):
    stack = make_stack()
    web = stack.start_web()
    stack.start_worker()
    load = LoadGenerator(web.base_url, threads=3, pause=0.05).start()
    try:
        with timed(f"redis down {down_seconds}s, burst, recovery"):
            load.wait_for_accepted(10)
            before = len(load.accepted())
            stack.redis.stop()
            down_at = time.monotonic()

            status, body = wait_for(
                lambda: (r := readyz(web.base_url))[0] == 503 and r,
                timeout=10,
                message="/readyz to report Redis down",
            )
            assert body["checks"]["redis"].startswith("down")
            assert body["checks"]["database"] == "ok"
            assert "redis" in body["error"]["fields"]["down"]

            time.sleep(max(0.0, down_seconds - (time.monotonic() - down_at)))
            during = len(load.accepted()) - before
            stack.redis.start()  # same port: web and worker reconnect by themselves
            up_at = time.monotonic()
            load.wait_for_accepted(10)
            outcomes = load.stop()

            accepted = load.accepted()
            report = wait_all_routed(app, accepted, timeout=90)
        assert during > 0, "no complaint was accepted while Redis was down"
        # Intake never depends on Redis: nothing but 201 during the whole run.
        assert {o.status for o in outcomes} == {201}, load.statuses()
        assert_exactly_once(report, accepted)
        assert readyz(web.base_url)[0] == 200
        print(
            f"[chaos] accepted {len(accepted)} ({during} while Redis was down "
            f"{up_at - down_at:.1f}s), all routed exactly once"
        )
    finally:
        load.stop()
