"""tickets.sla_breached_at: the first missed deadline survives a new SLA window

Revision ID: 5d1e2a7c9b40
Revises: 83970ad3c1c1
Create Date: 2026-11-30 03:10:00

"""

import sqlalchemy as sa
from alembic import op

import ticketing.models.base

revision = "5d1e2a7c9b40"
down_revision = "83970ad3c1c1"
branch_labels = None
depends_on = None

STATS_INCLUDE = [
    "channel",
    "category_code",
    "assigned_at",
    "accepted_at",
    "resolved_at",
    "sla_due_at",
    "feedback_rating",
]


def upgrade():
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sla_breached_at", ticketing.models.base.UTCDateTime(timezone=True), nullable=True)
        )
    # Tickets already flagged late keep that verdict.
    op.execute(
        "UPDATE tickets SET sla_breached_at = sla_due_at "
        "WHERE escalated_at IS NOT NULL AND sla_due_at IS NOT NULL"
    )
    if op.get_bind().dialect.name == "postgresql":
        # The stats read the breach from the covering index, as they read the deadline.
        op.drop_index("ix_tickets_opd_stats_window", table_name="tickets")
        op.create_index(
            "ix_tickets_opd_stats_window",
            "tickets",
            ["opd_code", "created_at"],
            postgresql_include=STATS_INCLUDE + ["sla_breached_at"],
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_tickets_opd_stats_window", table_name="tickets")
        op.create_index(
            "ix_tickets_opd_stats_window",
            "tickets",
            ["opd_code", "created_at"],
            postgresql_include=STATS_INCLUDE,
        )
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_column("sla_breached_at")
