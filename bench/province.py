"""A province at scale (issue #16): 38 cities and regencies under one province, 18 OPDs each,
N tickets (default 2,000,000) bulk-loaded into PostgreSQL, then a city officer's queue pages,
one city's stats and the province's all-city stats, p50/p99 in ms.

    .venv/bin/python bench/province.py [--tickets 2000000] [--repeat 200] [--keep]

Creates (drops first) the database `aduan_bench_province`, builds tables with `db.create_all()`,
seeds the demo city's 18 OPDs and 23 categories into region 35.71 and copies them to the other
37 regions (29 kabupaten 35.01–35.29, 9 kota 35.71–35.79, under province 35), drops the
tickets' secondary indexes, loads tickets with one `INSERT … SELECT FROM generate_series` in the
database (no rows cross the wire), recreates the indexes and runs VACUUM ANALYZE. Calls the same
service functions the views call: `list_tickets` (GET /api/v1/tickets) and `region_stats`
(GET /api/v1/stats, with and without `region=`).

The province wall's Socket.IO fan-out is measured by bench/province_wall.py.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

from bench.common import bulk_load_args, bulk_load_tickets, in_process_app, measure, ticket_pages

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/aduan_bench_province"
PROVINCE = "35"
CITY = "35.71"
# Jawa Timur: 29 kabupaten (35.01–35.29) and 9 kota (35.71–35.79), 38 in all.
CITIES = [f"35.{n:02d}" for n in range(1, 30)] + [f"35.{n}" for n in range(71, 80)]

# One statement: every ticket spread over the last 365 days and over the 38 regions, the
# category (and its OPD and SLA) picked at random, a year-old city's status mix (recent
# tickets are the open ones), timestamps following the status, a third of finished ones rated.
LOAD_SQL = """
WITH cats AS (
    SELECT array_agg(code ORDER BY code) AS code, array_agg(default_opd_code ORDER BY code) AS opd,
           array_agg(sla_hours ORDER BY code) AS hours, count(*)::int AS n
    FROM categories WHERE region_code = %(city)s AND default_opd_code IS NOT NULL
), regs AS (
    SELECT array_agg(code ORDER BY code) AS code, count(*)::int AS n
    FROM regions WHERE parent_code = %(province)s
), base AS (
    SELECT g.i,
           now() - interval '365 days' + (g.i::float8 / %(n)s) * interval '365 days' AS created,
           regs.code[1 + (g.i %% regs.n)] AS region_code,
           1 + floor(random() * cats.n)::int AS c,
           random() AS u_status, random() AS u_channel, random() AS u_accept,
           random() AS u_resolve, random() AS u_rating, random() AS u_text
    FROM generate_series(1, %(n)s) AS g(i), cats, regs
), shaped AS (
    SELECT b.*, cats.code[b.c] AS category_code, cats.opd[b.c] AS opd, cats.hours[b.c] AS hours,
           CASE
               WHEN b.u_status < 0.78 THEN 'closed'
               WHEN b.u_status < 0.84 THEN CASE WHEN now() - b.created > interval '30 days'
                                                THEN 'closed' ELSE 'resolved' END
               WHEN b.u_status < 0.88 THEN 'rejected'
               WHEN b.u_status < 0.94 THEN CASE WHEN now() - b.created > interval '30 days'
                                                THEN 'closed' ELSE 'in_progress' END
               WHEN b.u_status < 0.99 THEN CASE WHEN now() - b.created > interval '30 days'
                                                THEN 'closed' ELSE 'assigned' END
               ELSE CASE WHEN now() - b.created > interval '30 days' THEN 'closed' ELSE 'triage' END
           END AS status
    FROM base b, cats
), timed AS (
    SELECT s.*,
           CASE WHEN s.status <> 'triage' THEN s.created + interval '10 minutes' END AS assigned,
           CASE WHEN s.status IN ('in_progress', 'resolved', 'closed')
                THEN s.created + interval '10 minutes' - ln(1 - s.u_accept) * interval '6 hours' END
               AS accepted
    FROM shaped s
), finished AS (
    SELECT t.*,
           CASE WHEN t.status IN ('resolved', 'closed')
                THEN t.accepted - ln(1 - t.u_resolve) * t.hours * 2 * interval '1 hour' END AS resolved,
           CASE WHEN t.status <> 'triage' THEN t.created + interval '10 minutes'
                + t.hours * 3 * interval '1 hour' END AS due
    FROM timed t
)
INSERT INTO tickets (
    region_code, ticket_number, tracking_token_hash, status, channel, description, summary,
    category_code, category_chosen, opd_code, created_at, updated_at, assigned_at, accepted_at,
    resolved_at, closed_at, sla_due_at, overdue, return_count, flagged_for_supervisor,
    reopen_count, feedback_rating, anonymous, confidential, kind, kind_chosen
)
SELECT f.region_code,
       upper(substr(lpad(to_hex(f.i), 8, '0'), 1, 4) || '-' || substr(lpad(to_hex(f.i), 8, '0'), 5, 4)),
       repeat('0', 64),
       f.status,
       CASE WHEN f.u_channel < 0.35 THEN 'web' WHEN f.u_channel < 0.80 THEN 'whatsapp'
            WHEN f.u_channel < 0.95 THEN 'sms' ELSE 'open311' END,
       (ARRAY['jalan berlubang', 'lampu mati', 'sampah menumpuk', 'saluran mampet', 'air keruh',
              'pohon tumbang', 'parkir liar', 'banjir genangan', 'rambu rusak', 'bau limbah'])
           [1 + floor(f.u_text * 10)::int] || ' di kelurahan ' || (f.i %% 97),
       '',
       f.category_code, false,
       CASE WHEN f.status <> 'triage' THEN f.opd END,
       f.created, f.created, f.assigned, f.accepted, f.resolved,
       CASE WHEN f.status = 'closed' THEN coalesce(f.resolved, f.created) + interval '14 days' END,
       f.due,
       f.due IS NOT NULL AND coalesce(f.resolved, now()) > f.due,
       0, false, 0,
       CASE WHEN f.resolved IS NOT NULL AND f.u_rating < 0.35
            THEN 1 + floor(f.u_rating / 0.35 * 5)::int END,
       false, false, 'pengaduan', false
FROM finished f
"""


def seed_province(app) -> None:
    """Region 35, its 38 cities, and the demo city's OPDs and categories in every city."""
    import psycopg

    from ticketing.extensions import db
    from ticketing.services.seeding import seed_demo_city

    with app.app_context():
        url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        cur.execute(
            "INSERT INTO regions (code, name, parent_code, population) VALUES (%s, %s, NULL, %s)"
            " ON CONFLICT (code) DO NOTHING",
            (PROVINCE, "Provinsi Jawa Timur", 41_000_000),
        )
        for n, code in enumerate(CITIES):
            cur.execute(
                "INSERT INTO regions (code, name, parent_code, population) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (code) DO UPDATE SET parent_code = excluded.parent_code",
                (code, f"Wilayah {code}", PROVINCE, 300_000 + 50_000 * n),
            )
    with app.app_context():
        seed_demo_city()  # the 18 OPDs and 23 categories of 35.71
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        for table in ("opds", "categories"):
            columns = [
                row[0]
                for row in cur.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
                    " AND column_name <> 'region_code'",
                    (table,),
                )
            ]
            listed = ", ".join(columns)
            selected = ", ".join(f"t.{column}" for column in columns)
            cur.execute(
                f"INSERT INTO {table} (region_code, {listed}) SELECT r.code, {selected}"
                f" FROM {table} t, regions r WHERE t.region_code = %s AND r.parent_code = %s"
                " AND r.code <> %s",
                (CITY, PROVINCE, CITY),
            )
        opds = cur.execute("SELECT count(*) FROM opds").fetchone()[0]
        categories = cur.execute("SELECT count(*) FROM categories").fetchone()[0]
    print(f"seed: {len(CITIES)} regions under {PROVINCE}, {opds} OPDs, {categories} categories")


def load(app, count: int) -> float:
    def insert_rows(cur):
        cur.execute("SELECT setseed(0.7)")
        cur.execute(LOAD_SQL, {"n": count, "city": CITY, "province": PROVINCE})

    loaded, total = bulk_load_tickets(app, insert_rows)
    print(
        f"load: {count:,} tickets INSERT…generate_series {loaded:.1f}s,"
        f" with indexes + VACUUM ANALYZE {total:.1f}s"
    )
    return total


def main() -> None:
    args = bulk_load_args(__doc__, 2_000_000, os.environ.get("BENCH_PROVINCE_DATABASE_URL", DEFAULT_URL))

    app = in_process_app(args.database_url, reuse=args.keep)

    from ticketing.extensions import db
    from ticketing.services.accounts import create_user
    from ticketing.services.region_comparison import region_stats

    if not args.keep:
        with app.app_context():
            db.create_all()
        seed_province(app)
        load(app, args.tickets)

    page, cursor_of_page = ticket_pages()
    with app.app_context():
        officer = create_user(
            username="bench-officer",
            password="bench-password",
            role="officer",
            opd_code="DLHKP",
            region_code=CITY,
        )
        city_admin = create_user(
            username="bench-city", password="bench-password", role="admin", region_code=CITY
        )
        province_admin = create_user(
            username="bench-province", password="bench-password", role="admin", region_code=PROVINCE
        )
        queue = {"status": ["assigned", "in_progress"]}

        print(
            f"tickets: {args.tickets:,} over {len(CITIES)} regions under {PROVINCE}; "
            f"officer of DLHKP in {CITY}; queue = {queue['status']}"
        )
        measure("city officer queue, first page (open)", lambda: page(officer, **queue), args.repeat)
        measure("city officer, all statuses, first page", lambda: page(officer), args.repeat)
        page_20 = cursor_of_page(officer, 20)
        measure("city officer, all statuses, page 20 by cursor", lambda: page(officer, page_20), args.repeat)
        measure(
            "province admin, overdue open, first page",
            lambda: page(province_admin, overdue=True, **queue),
            args.repeat,
        )
        stats_repeat = max(20, args.repeat // 4)
        measure(
            "stats: one city (city admin, 30 days)",
            lambda: region_stats(city_admin, None, None, None, None),
            stats_repeat,
        )
        measure(
            "stats: province, all cities (region=35)",
            lambda: region_stats(province_admin, None, None, None, PROVINCE),
            stats_repeat,
        )


if __name__ == "__main__":
    main()
