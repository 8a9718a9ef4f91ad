"""The province's comparison of its cities (issue #16) reads from indexes alone: on PostgreSQL
ix_tickets_region_stats_window also covers the timestamps and the rating, and
ix_tickets_region_status_id the overdue flag and the kind. SQLite: nothing changes.

Revision ID: d2a6f4c8e1b3
Revises: c7e3a9d1f5b2
Create Date: 2026-11-30 09:40:00

"""

from alembic import op

revision = "d2a6f4c8e1b3"
down_revision = "c7e3a9d1f5b2"
branch_labels = None
depends_on = None

STATS_INCLUDE = ["channel", "category_code"]
COMPARISON_INCLUDE = [
    "assigned_at",
    "accepted_at",
    "resolved_at",
    "sla_due_at",
    "sla_breached_at",
    "feedback_rating",
]
STATUS_INCLUDE = ["overdue", "kind"]


def _rebuild(name: str, columns: list[str], include: list[str]) -> None:
    """Build the new index beside the old one, then swap them, all CONCURRENTLY: complaints keep
    being stored while a city's million tickets are indexed (a plain CREATE INDEX would hold
    their writes for the whole build), and the queries have an index at every moment."""
    op.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}_new")  # a build interrupted before
    op.create_index(
        f"{name}_new", "tickets", columns, postgresql_include=include, postgresql_concurrently=True
    )
    op.drop_index(name, table_name="tickets", postgresql_concurrently=True)
    op.execute(f"ALTER INDEX {name}_new RENAME TO {name}")


def _indexes(stats_include: list[str], status_include: list[str]) -> None:
    # CONCURRENTLY cannot run inside a transaction: this revision's DDL runs outside one.
    with op.get_context().autocommit_block():
        _rebuild("ix_tickets_region_stats_window", ["region_code", "created_at"], stats_include)
        _rebuild("ix_tickets_region_status_id", ["region_code", "status", "id"], status_include)


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        _indexes(STATS_INCLUDE + COMPARISON_INCLUDE, STATUS_INCLUDE)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        _indexes(STATS_INCLUDE, [])
