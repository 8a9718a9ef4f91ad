"""The regions revision (issue #16) turns a single-city database, made at the revision before it
with OPDs, categories, accounts and tickets in it, into region `DEFAULT_REGION` (35.71): every
row lands there, tickets still find their OPD and category, and downgrading gives it all back."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from config.settings import database_url
from tests.test_migrations import empty_database_url, flask  # noqa: F401 (fixture)

BEFORE_REGIONS = "e6b2c4d8f1a3"
REGIONS = "f3a9c1e7b2d4"
NOW = datetime(2026, 11, 2, 3, 4, 5, tzinfo=UTC)


def _fill_single_city(engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO opds (code, name, handles, active, kind) VALUES (:c, :n, '', true, 'agency')"
            ),
            [{"c": "PUPR", "n": "Dinas PUPR"}, {"c": "DLHKP", "n": "Dinas Lingkungan Hidup"}],
        )
        conn.execute(
            sa.text(
                "INSERT INTO categories (code, name, default_opd_code, sla_hours, sla_24x7, active) "
                "VALUES (:c, :n, :o, 72, false, true)"
            ),
            [
                {"c": "jalan-rusak", "n": "Jalan rusak", "o": "PUPR"},
                {"c": "sampah", "n": "Sampah", "o": "DLHKP"},
                {"c": "lainnya", "n": "Lainnya", "o": None},
            ],
        )
        conn.execute(
            sa.text(
                "INSERT INTO users (username, password_hash, role, opd_code, active, token_version, "
                "failed_logins, created_at, updated_at) VALUES (:u, 'x', :r, :o, true, 0, 0, :t, :t)"
            ),
            [
                {"u": "operator", "r": "operator", "o": None, "t": NOW},
                {"u": "pupr", "r": "officer", "o": "PUPR", "t": NOW},
            ],
        )
        conn.execute(
            sa.text(
                "INSERT INTO api_keys (name, key_prefix, key_hash, created_at) VALUES ('app', 'ab', 'h', :t)"
            ),
            {"t": NOW},
        )
        conn.execute(
            sa.text(
                "INSERT INTO tickets (ticket_number, tracking_token_hash, status, channel, description, "
                "summary, category_code, category_chosen, opd_code, anonymous, confidential, overdue, "
                "return_count, flagged_for_supervisor, reopen_count, created_at, updated_at) "
                "VALUES (:n, 'h', :s, 'web', :d, :m, :c, false, :o, false, false, false, 0, false, 0, :t, :t)"
            ),
            [
                {**row, "m": row["d"], "t": NOW}
                for row in [
                    {
                        "n": "AAAA-2222",
                        "s": "assigned",
                        "d": "Jalan berlubang",
                        "c": "jalan-rusak",
                        "o": "PUPR",
                    },
                    {
                        "n": "BBBB-3333",
                        "s": "in_progress",
                        "d": "Sampah menumpuk",
                        "c": "sampah",
                        "o": "DLHKP",
                    },
                    {"n": "CCCC-4444", "s": "triage", "d": "Halo", "c": None, "o": None},
                ]
            ],
        )
        ticket_id = conn.execute(sa.text("SELECT id FROM tickets WHERE ticket_number = 'AAAA-2222'")).scalar()
        conn.execute(
            sa.text(
                "INSERT INTO ticket_events (ticket_id, type, action, actor_label, public, data, created_at) "
                "VALUES (:i, 'ticket.created', 'create', 'citizen', true, '{}', :t)"
            ),
            {"i": ticket_id, "t": NOW},
        )


def test_single_city_database_becomes_region_35_71_and_back(empty_database_url, run_dir):  # noqa: F811
    before = flask("db", "upgrade", BEFORE_REGIONS, database_url=empty_database_url, run_dir=run_dir)
    assert before.returncode == 0, before.stderr
    engine = sa.create_engine(database_url(empty_database_url))
    try:
        _fill_single_city(engine)

        upgrade = flask("db", "upgrade", "head", database_url=empty_database_url, run_dir=run_dir)
        assert upgrade.returncode == 0, upgrade.stderr
        with engine.connect() as conn:
            regions = conn.execute(sa.text("SELECT code, name, parent_code FROM regions ORDER BY code")).all()
            assert [tuple(r) for r in regions] == [
                ("35", "Provinsi Jawa Timur", None),
                ("35.71", "Kota Kediri", "35"),
            ]
            for table in ("opds", "categories", "users", "api_keys", "tickets"):
                placed = conn.execute(sa.text(f"SELECT DISTINCT region_code FROM {table}")).scalars().all()
                assert placed == ["35.71"], table
            # Each ticket still resolves its OPD and category, now by (region, code).
            resolved = conn.execute(
                sa.text(
                    "SELECT t.ticket_number, o.name, c.name FROM tickets t "
                    "LEFT JOIN opds o ON o.region_code = t.region_code AND o.code = t.opd_code "
                    "LEFT JOIN categories c ON c.region_code = t.region_code AND c.code = t.category_code "
                    "ORDER BY t.ticket_number"
                )
            ).all()
            assert [tuple(r) for r in resolved] == [
                ("AAAA-2222", "Dinas PUPR", "Jalan rusak"),
                ("BBBB-3333", "Dinas Lingkungan Hidup", "Sampah"),
                ("CCCC-4444", None, None),
            ]
            officer = conn.execute(
                sa.text("SELECT region_code, opd_code FROM users WHERE username = 'pupr'")
            ).one()
            assert tuple(officer) == ("35.71", "PUPR")
            assert conn.execute(sa.text("SELECT count(*) FROM ticket_events")).scalar() == 1
        # The same OPD code may now exist in another region: the key is (region, code).
        with engine.begin() as conn:
            conn.execute(
                sa.text("INSERT INTO regions (code, name, parent_code) VALUES ('35.72', 'Kota Blitar', '35')")
            )
            conn.execute(
                sa.text(
                    "INSERT INTO opds (region_code, code, name, handles, active, kind) "
                    "VALUES ('35.72', 'PUPR', 'Dinas PUPR Blitar', '', true, 'agency')"
                )
            )
            conn.execute(sa.text("DELETE FROM opds WHERE region_code = '35.72'"))
            conn.execute(sa.text("DELETE FROM regions WHERE code = '35.72'"))
        engine.dispose()

        downgrade = flask("db", "downgrade", BEFORE_REGIONS, database_url=empty_database_url, run_dir=run_dir)
        assert downgrade.returncode == 0, downgrade.stderr
        with engine.connect() as conn:
            names = sa.inspect(conn).get_table_names()
            assert "regions" not in names
            rows = conn.execute(
                sa.text("SELECT ticket_number, opd_code, category_code FROM tickets ORDER BY ticket_number")
            ).all()
            assert [tuple(r) for r in rows] == [
                ("AAAA-2222", "PUPR", "jalan-rusak"),
                ("BBBB-3333", "DLHKP", "sampah"),
                ("CCCC-4444", None, None),
            ]
            assert conn.execute(sa.text("SELECT count(*) FROM users")).scalar() == 2
    finally:
        engine.dispose()
