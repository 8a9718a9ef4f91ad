"""The officer queue at scale: N tickets (default 1,000,000) bulk-loaded into PostgreSQL, then
the officer's first page, page 50 by cursor, searches and /api/v1/stats, p50/p99 in ms.

    .venv/bin/python bench/officer_queue.py [--tickets 1000000] [--keep] [--database-url …]

(The issue asked for `bench/queue.py`; a script of that name puts itself on sys.path as the
stdlib `queue` module, which asyncio, psycopg and redis import, so it is named for what it
measures instead.)

Creates (drops first) the database `aduan_bench_queue`, builds tables with `db.create_all()`,
drops the tickets' secondary indexes, loads with COPY, recreates them and runs VACUUM ANALYZE — the way a
migration from another system would load. Calls the same service functions the views call.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/aduan_bench_queue"
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
WORDS = (
    "jalan berlubang lampu mati sampah menumpuk saluran mampet air keruh pohon tumbang "
    "parkir liar pedagang trotoar banjir genangan puskesmas antrean sekolah pungutan "
    "macet rambu rusak bau limbah pasar kotor kebisingan malam jembatan retak"
).split()
PLACES = (
    "Jl. Dhoho",
    "Jl. Hayam Wuruk",
    "Pasar Setono Betek",
    "Jl. Brawijaya",
    "Kelurahan Bandar",
    "Kelurahan Mojoroto",
    "Jl. Joyoboyo",
    "Kelurahan Pesantren",
    "Jl. Veteran",
)
# Status mix of a city a year in: mostly finished, a working set open.
STATUS_WEIGHTS = (
    ("closed", 78),
    ("resolved", 6),
    ("rejected", 4),
    ("in_progress", 6),
    ("assigned", 5),
    ("triage", 1),
)
CHANNELS = (("web", 35), ("whatsapp", 45), ("sms", 15), ("open311", 5))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def ticket_number(i: int) -> str:
    chars = []
    for _ in range(8):
        i, r = divmod(i, len(ALPHABET))
        chars.append(ALPHABET[r])
    raw = "".join(reversed(chars))
    return f"{raw[:4]}-{raw[4:]}"


def weighted(rng: random.Random, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def rows(count: int, categories: list[tuple[str, str, int]], seed: int = 7):
    """(columns…) per ticket, oldest first, spread over the last 365 days."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    start = now - timedelta(days=365)
    step = timedelta(days=365) / count
    for i in range(count):
        created = start + step * i
        status = weighted(rng, STATUS_WEIGHTS)
        # Recent tickets are the open ones; a year-old ticket is long closed.
        age_days = (now - created).days
        if age_days > 30 and status in ("assigned", "in_progress", "triage", "resolved"):
            status = "closed"
        code, opd, hours = rng.choice(categories)
        text = " ".join(rng.choices(WORDS, k=rng.randint(6, 14))) + " di " + rng.choice(PLACES)
        assigned = accepted = resolved = closed = due = None
        rating = None
        opd_code = None if status == "triage" else opd
        if opd_code:
            assigned = created + timedelta(minutes=rng.randint(1, 30))
            due = assigned + timedelta(hours=hours * 3)
        if status in ("in_progress", "resolved", "closed"):
            accepted = assigned + timedelta(hours=rng.expovariate(1 / 6))
        if status in ("resolved", "closed"):
            resolved = accepted + timedelta(hours=rng.expovariate(1 / (hours * 2)))
            if rng.random() < 0.35:
                rating = rng.choices((1, 2, 3, 4, 5), weights=(5, 7, 18, 40, 30))[0]
        if status == "closed":
            closed = resolved + timedelta(days=14)
        overdue = bool(due and (resolved or now) > due)
        yield (
            ticket_number(i + 1),
            "0" * 64,
            status,
            weighted(rng, CHANNELS),
            text,
            code,
            False,
            opd_code,
            created,
            created,
            assigned,
            accepted,
            resolved,
            closed,
            due,
            overdue,
            0,
            False,
            0,
            rating,
            False,
            False,
        )


COLUMNS = (
    "ticket_number",
    "tracking_token_hash",
    "status",
    "channel",
    "description",
    "category_code",
    "category_chosen",
    "opd_code",
    "created_at",
    "updated_at",
    "assigned_at",
    "accepted_at",
    "resolved_at",
    "closed_at",
    "sla_due_at",
    "overdue",
    "return_count",
    "flagged_for_supervisor",
    "reopen_count",
    "feedback_rating",
    "anonymous",
    "confidential",
)


def load(app, count: int) -> float:
    import psycopg
    from sqlalchemy import select

    from ticketing.extensions import db
    from ticketing.models import Category, Ticket

    with app.app_context():
        categories = [
            (c.code, c.default_opd_code, c.sla_hours)
            for c in db.session.scalars(select(Category).where(Category.default_opd_code.is_not(None)))
        ]
        indexes = list(Ticket.__table__.indexes)
        for index in indexes:
            index.drop(db.engine, checkfirst=True)
        url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    started = time.perf_counter()
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY tickets ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows(count, categories):
                copy.write_row(row)
    loaded = time.perf_counter() - started
    with app.app_context():
        for index in indexes:
            index.create(db.engine)
        # What autovacuum does soon after a bulk load: statistics and the visibility map
        # (index-only scans for /stats need the latter).
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE tickets")
    total = time.perf_counter() - started
    print(f"load: {count:,} tickets COPY {loaded:.1f}s, with indexes + VACUUM ANALYZE {total:.1f}s")
    return total


def measure(name: str, func, repeat: int) -> list[float]:
    func()  # warm caches and plans
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    print(
        f"{name:<42} p50 {percentile(times, 0.5):8.2f} ms   p99 {percentile(times, 0.99):8.2f} ms"
        f"   (n={repeat})"
    )
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_QUEUE_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="reuse the loaded database")
    args = parser.parse_args()

    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(args.database_url)
    admin_url = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    if not args.keep:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{url.database}"')
            conn.execute(f'CREATE DATABASE "{url.database}"')
    os.environ.update(
        {
            "DATABASE_URL": args.database_url,
            "RATELIMIT_ENABLED": "false",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-secret-not-for-production"),
        }
    )

    from ticketing import create_app
    from ticketing.extensions import db
    from ticketing.services.accounts import create_user
    from ticketing.services.queries import list_item, list_tickets
    from ticketing.services.seeding import seed_demo_city
    from ticketing.services.stats import ticket_stats

    app = create_app()
    with app.app_context():
        if not args.keep:
            db.create_all()
            seed_demo_city()
    if not args.keep:
        load(app, args.tickets)

    with app.app_context():
        officer = create_user(
            username="bench-officer", password="bench-password", role="officer", opd_code="DLHKP"
        )
        operator = create_user(username="bench-operator", password="bench-password", role="operator")
        queue = {"status": ["assigned", "in_progress"]}

        def page(user, cursor=None, **filters):
            result = list_tickets(user, cursor=cursor, limit=50, **filters)
            [list_item(t) for t in result.items]
            db.session.rollback()
            return result

        def cursor_of_page(user, number, **filters):
            cursor = None
            for _ in range(number - 1):
                cursor = page(user, cursor, **filters).next_cursor
            return cursor

        print(f"tickets: {args.tickets:,}; officer of DLHKP; queue = {queue['status']}")
        measure("officer queue, first page (open)", lambda: page(officer, **queue), args.repeat)
        open_page_50 = cursor_of_page(officer, 50, **queue)
        measure(
            "officer queue, page 50 by cursor (open)",
            lambda: page(officer, open_page_50, **queue),
            args.repeat,
        )
        measure("officer, all statuses, first page", lambda: page(officer), args.repeat)
        all_page_50 = cursor_of_page(officer, 50)
        measure("officer, all statuses, page 50 by cursor", lambda: page(officer, all_page_50), args.repeat)
        measure(
            "operator, overdue open, first page", lambda: page(operator, overdue=True, **queue), args.repeat
        )
        measure("officer search q='pohon tumbang'", lambda: page(officer, q="pohon tumbang"), args.repeat)
        measure(
            "operator search q='limbah Mojoroto'", lambda: page(operator, q="limbah Mojoroto"), args.repeat
        )
        measure("stats (all OPDs, last 30 days)", lambda: ticket_stats(), max(20, args.repeat // 4))
        measure("stats (one OPD, officer)", lambda: ticket_stats(opd_code="DLHKP"), max(20, args.repeat // 4))


if __name__ == "__main__":
    main()
