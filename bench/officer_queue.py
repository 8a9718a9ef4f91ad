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

import os
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

from bench.common import bulk_load_args, bulk_load_tickets, in_process_app, measure, ticket_pages

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


def ticket_number(i: int) -> str:
    chars = []
    for _ in range(8):
        i, r = divmod(i, len(ALPHABET))
        chars.append(ALPHABET[r])
    raw = "".join(reversed(chars))
    return f"{raw[:4]}-{raw[4:]}"


def weighted(rng: random.Random, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def rows(count: int, categories: list[tuple[str, str, int]], region_code: str, seed: int = 7):
    """(columns…) per ticket of `region_code` (the city's), oldest first, over the last 365 days."""
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
            region_code,
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
    "region_code",
)


def load(app, count: int) -> float:
    from sqlalchemy import select

    from ticketing.extensions import db
    from ticketing.models import Category
    from ticketing.models.regions import default_region_code

    with app.app_context():
        region_code = default_region_code()
        categories = [
            (c.code, c.default_opd_code, c.sla_hours)
            for c in db.session.scalars(select(Category).where(Category.default_opd_code.is_not(None)))
        ]

    def copy_rows(cur):
        with cur.copy(f"COPY tickets ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows(count, categories, region_code):
                copy.write_row(row)

    loaded, total = bulk_load_tickets(app, copy_rows)
    print(f"load: {count:,} tickets COPY {loaded:.1f}s, with indexes + VACUUM ANALYZE {total:.1f}s")
    return total


def main() -> None:
    args = bulk_load_args(__doc__, 1_000_000, os.environ.get("BENCH_QUEUE_DATABASE_URL", DEFAULT_URL))

    app = in_process_app(args.database_url, reuse=args.keep)

    from ticketing.extensions import db
    from ticketing.services.accounts import create_user
    from ticketing.services.seeding import seed_demo_city
    from ticketing.services.stats import ticket_stats

    with app.app_context():
        if not args.keep:
            db.create_all()
            seed_demo_city()
    if not args.keep:
        load(app, args.tickets)

    page, cursor_of_page = ticket_pages()
    with app.app_context():
        officer = create_user(
            username="bench-officer", password="bench-password", role="officer", opd_code="DLHKP"
        )
        operator = create_user(username="bench-operator", password="bench-password", role="operator")
        queue = {"status": ["assigned", "in_progress"]}

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
        # As GET /api/v1/stats asks it: always for the account's regions (the indexes lead with it).
        city = [operator.region_code]
        stats_repeat = max(20, args.repeat // 4)
        measure("stats (all OPDs, last 30 days)", lambda: ticket_stats(region_codes=city), stats_repeat)
        one_opd = {"opd_code": "DLHKP", "region_codes": city}
        measure("stats (one OPD, officer)", lambda: ticket_stats(**one_opd), stats_repeat)


if __name__ == "__main__":
    main()
