"""tickets.summary: the masked one-line summary, stored once instead of masked on every read

Revision ID: b3c41d2e8f10
Revises: 5d1e2a7c9b40
Create Date: 2026-11-30 03:05:00

"""

import sqlalchemy as sa
from alembic import op

from ticketing.pii import summarize

revision = "b3c41d2e8f10"
down_revision = "5d1e2a7c9b40"
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade():
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("summary", sa.String(length=160), server_default="", nullable=False))
    # Existing tickets get the summary their public views computed per read until now.
    connection = op.get_bind()
    tickets = sa.table(
        "tickets",
        sa.column("id", sa.Integer),
        sa.column("description", sa.Text),
        sa.column("summary", sa.String),
    )
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(tickets.c.id, tickets.c.description)
            .where(tickets.c.id > last_id)
            .order_by(tickets.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        connection.execute(
            tickets.update()
            .where(tickets.c.id == sa.bindparam("ticket_id"))
            .values(summary=sa.bindparam("new_summary")),
            [{"ticket_id": row.id, "new_summary": summarize(row.description)} for row in rows],
        )
        last_id = rows[-1].id


def downgrade():
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_column("summary")
