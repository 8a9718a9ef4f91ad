"""`python -m workers`: one RQ worker on Aduan's queues, with the periodic-job ticker.

It is a SimpleWorker (jobs run in this process, no fork per job) because routing keeps a
model warm in memory and the jobs are short; run more processes for more throughput. RQ's
scheduled jobs (delayed retries) are moved onto the queues by a thread here, not by the
process RQ's `with_scheduler` forks. What it logs about Redis goes through
`workers/redis_health.py`: nothing while Redis answers, one ERROR when it is gone, one line
when it is back.
"""

from __future__ import annotations

import argparse
import logging
import signal
import time

from redis import Redis
from redis.exceptions import RedisError
from rq import SimpleWorker

from ticketing.queueing import ALL_QUEUES
from workers import get_app
from workers.redis_health import RedisHealth
from workers.schedule import start_heartbeat, start_rq_scheduler, start_ticker

log = logging.getLogger("workers")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m workers", description=__doc__)
    parser.add_argument("--burst", action="store_true", help="exit when the queues are empty")
    parser.add_argument(
        "--no-scheduler", action="store_true", help="do not run the periodic-job ticker in this process"
    )
    parser.add_argument("--queues", nargs="*", default=list(ALL_QUEUES))
    args = parser.parse_args(argv)

    app = get_app()
    url = app.config["REDIS_URL"]
    # RQ's connection blocks in BLPOP for minutes while idle; RQ raises its read timeout above
    # that. Keepalive and a health check keep an idle socket from going stale silently.
    connection = Redis.from_url(
        url, socket_connect_timeout=5, socket_keepalive=True, health_check_interval=30
    )
    # The ticker and heartbeat threads must not hang on a dead Redis for RQ's long timeout.
    side_connection = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=5)
    health = RedisHealth(url)
    health.install()
    with app.app_context():
        from ticketing.services.routing import get_router

        get_router()  # load the model before taking jobs, not during the first one
    if not args.no_scheduler:
        start_ticker(side_connection, health)
    start_rq_scheduler(side_connection, args.queues, health)
    logging.getLogger("rq.worker").setLevel(logging.WARNING)
    while True:
        worker = SimpleWorker(args.queues, connection=connection)
        stop_beat = start_heartbeat(side_connection, worker.name, health)
        try:
            worker.work(burst=args.burst, logging_level="WARNING")
            return
        except RedisError as exc:
            # RQ retries a lost Redis while it waits for jobs, but not while it finishes one: it
            # gives up and exits. Keep the process (and its warm router) and start a fresh loop
            # once Redis answers; the job it was on is routed/sent idempotently by the sweeps.
            if args.burst:
                raise
            stop_beat.set()
            health.trouble(f"worker {worker.name} mid-job", exc)
            wait_for_redis(connection)
            health.back()


def wait_for_redis(connection: Redis) -> None:
    # RQ's signal handlers assume a running loop; while we wait, SIGTERM/SIGINT just exit.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    while True:
        try:
            connection.ping()
            return
        except RedisError:
            time.sleep(1)


if __name__ == "__main__":
    main()
