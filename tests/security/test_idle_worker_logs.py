"""Issue 13 item 9(d): an idle worker logs nothing alarming, and a Redis that really is gone is
reported once, clearly.

An idle worker used to log `ERROR rq.worker: … could not connect to Redis instance: Timeout
reading from socket` every ~9 s: a 2-second socket timeout on a connection RQ blocks on for
minutes while it waits for a job. Operators learn to ignore such lines, and then miss real ones.
"""

from __future__ import annotations

import time

import redis as redis_lib
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from tests.support.processes import RedisServer, Worker, wait_for

IDLE_SECONDS = 25
ALARMING = ("ERROR", "Traceback", "could not connect", "Timeout reading")


def _lines(path) -> list[str]:
    return path.read_text(errors="replace").splitlines() if path.exists() else []


def test_idle_worker_logs_nothing_alarming_and_a_lost_redis_once(
    app, clean_state, process_env, run_dir, router_model
):
    from tests.support.chaos_checks import wait_until_listening

    redis_server = RedisServer(run_dir / "idle-redis.log")
    redis_server.start()
    log_path = run_dir / "idle-worker.log"
    log_path.unlink(missing_ok=True)
    worker = Worker(dict(process_env, REDIS_URL=redis_server.url), log_path)
    worker.start()
    try:
        wait_until_listening(worker, redis_server.url)
        time.sleep(IDLE_SECONDS)
        idle = _lines(log_path)
        assert not [line for line in idle if any(word in line for word in ALARMING)], "\n".join(idle)

        # Redis really goes away: said once, at ERROR, naming Redis; not once per retry.
        redis_server.stop()
        wait_for(
            lambda: any("Redis" in line and "ERROR" in line for line in _lines(log_path)[len(idle) :]),
            timeout=30,
            message="the worker reporting that Redis is unreachable",
        )
        time.sleep(12)
        outage = _lines(log_path)[len(idle) :]
        reported = [line for line in outage if "ERROR" in line]
        assert len(reported) == 1, "\n".join(outage)
        assert "unreachable" in reported[0] and "Redis" in reported[0], reported[0]
        assert not [line for line in outage if "Traceback" in line], "\n".join(outage)

        # Back again: one line says so, and the worker takes jobs.
        redis_server.start()
        wait_for(
            lambda: any("Redis is reachable again" in line for line in _lines(log_path)),
            timeout=60,
            message="the worker noticing Redis is back",
        )
        connection = redis_lib.Redis.from_url(redis_server.url)

        def periodic_job_ran():
            try:
                job = Job.fetch("periodic-workers-jobs-requeue_stale_received", connection=connection)
            except (NoSuchJobError, redis_lib.RedisError):
                return False
            return job.get_status() == JobStatus.FINISHED

        wait_for(periodic_job_ran, timeout=60, message="a job run after Redis came back")
        assert worker.running
        after = _lines(log_path)[len(idle) :]
        assert not [line for line in after if "Traceback" in line], "\n".join(after)
    finally:
        worker.stop()
        redis_server.stop()
