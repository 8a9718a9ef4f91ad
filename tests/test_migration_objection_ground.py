"""The objection-ground revision gives the objections filed before it the ground their ticket
shows (UU 14/2008 Art. 35(1)): unanswered by the deadline c, refused or granted in part on an
exemption a, else none; tickets without an objection get none."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from config.settings import database_url
from tests.test_migrations import empty_database_url, flask  # noqa: F401 (fixture)

BEFORE = "e5f1a3c7b9d2"
NOW = datetime(2026, 11, 2, 3, 4, 5, tzinfo=UTC)
INSERT_TICKET = sa.text(
    "INSERT INTO tickets (ticket_number, tracking_token_hash, status, channel, description, summary,"
    " anonymous, confidential, overdue, return_count, flagged_for_supervisor, reopen_count,"
    " category_chosen, region_code, kind, kind_chosen, created_at, updated_at, decided_at, decision,"
    " exemption, objection_at)"
    " VALUES (:n, 'h', 'objection', 'web', 'Minta data', 'Minta data', false, false, false, 0, false, 0,"
    " false, '35.71', 'informasi', true, :t, :t, :d, :decision, :e, :o)"
)


def test_objections_filed_before_get_the_ground_their_ticket_shows(empty_database_url, run_dir):  # noqa: F811
    before = flask("db", "upgrade", BEFORE, database_url=empty_database_url, run_dir=run_dir)
    assert before.returncode == 0, before.stderr
    engine = sa.create_engine(database_url(empty_database_url))
    rows = [
        # number, decided, decision, exemption, objected
        ("UNANSWERED", False, None, None, True),
        ("REFUSED", True, "refused", "h", True),
        ("PARTIAL", True, "partial", "c", True),
        ("GRANTED", True, "granted", None, True),
        ("NO-OBJECTION", True, "refused", "h", False),
    ]
    try:
        with engine.begin() as conn:
            for number, decided, decision, exemption, objected in rows:
                conn.execute(
                    INSERT_TICKET,
                    {
                        "n": number,
                        "t": NOW,
                        "d": NOW if decided else None,
                        "decision": decision,
                        "e": exemption,
                        "o": NOW if objected else None,
                    },
                )
        upgrade = flask("db", "upgrade", "head", database_url=empty_database_url, run_dir=run_dir)
        assert upgrade.returncode == 0, upgrade.stderr
        with engine.connect() as conn:
            grounds = dict(conn.execute(sa.text("SELECT ticket_number, objection_ground FROM tickets")).all())
        assert grounds == {
            "UNANSWERED": "c",
            "REFUSED": "a",
            "PARTIAL": "a",
            "GRANTED": None,
            "NO-OBJECTION": None,
        }
    finally:
        engine.dispose()
