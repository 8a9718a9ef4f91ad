"""`python -m workers`: one RQ worker on Aduan's queues, with the periodic-job ticker.

It is a SimpleWorker (jobs run in this process, no fork per job) because routing keeps a
model warm in memory and the jobs are short; run more processes for more throughput.
"""
from __future__ import annotations

import argparse
import logging

from redis import Redis
from rq import SimpleWorker

from ticketing.queueing import ALL_QUEUES
from workers import get_app
from workers.schedule import start_ticker


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
    worker = SimpleWorker(args.queues, connection=connection)
    logging.getLogger("rq.worker").setLevel(logging.INFO)
    worker.work(burst=args.burst, with_scheduler=True, logging_level="INFO")


if __name__ == "__main__":
    main()
