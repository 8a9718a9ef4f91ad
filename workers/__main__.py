"""`python -m workers`: one RQ worker on Aduan's queues, with the periodic-job ticker.

It is a SimpleWorker (jobs run in this process, no fork per job) because routing keeps a
model warm in memory and the jobs are short; run more processes for more throughput.
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
from workers.schedule import start_heartbeat, start_ticker

log = logging.getLogger("workers")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m workers", description=__doc__)
    parser.add_argument("--burst", action="store_true", help="exit when the queues are empty")
    parser.add_argument("--no-scheduler", action="store_true",
                        help="do not run the periodic-job ticker in this process")
    parser.add_argument("--queues", nargs="*", default=list(ALL_QUEUES))
    args = parser.parse_args(argv)

    app = get_app()
    connection = Redis.from_url(app.config["REDIS_URL"])
    with app.app_context():
        from ticketing.services.routing import get_router

        get_router()  # load the model before taking jobs, not during the first one
    if not args.no_scheduler:
        start_ticker(connection)
    logging.getLogger("rq.worker").setLevel(logging.WARNING)
    while True:
        worker = SimpleWorker(args.queues, connection=connection)
        stop_beat = start_heartbeat(connection, worker.name)
        try:
            worker.work(burst=args.burst, with_scheduler=True, logging_level="WARNING")
            return
        except RedisError as exc:
            # RQ retries a lost Redis while it waits for jobs, but not while it finishes one: it
            # gives up and exits. Keep the process (and its warm router) and start a fresh loop
            # once Redis answers; the job it was on is routed/sent idempotently by the sweeps.
            if args.burst:
                raise
            stop_beat.set()
            log.warning("worker %s lost Redis mid-job (%s); restarting its loop when Redis is "
                        "back", worker.name, type(exc).__name__)
            wait_for_redis(connection)


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
