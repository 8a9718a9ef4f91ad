"""Ticket transfers between regions (issue #16): one row per move of a ticket to another region
(the sending region leads its indexes: its staff keep reading what left), marked when sent back

Revision ID: e4b9a7c3d2f6
Revises: b5e7d2c1a9f4
Create Date: 2026-11-30 07:00:00

"""

import sqlalchemy as sa
from alembic import op

from ticketing.models.base import UTCDateTime

revision = "e4b9a7c3d2f6"
down_revision = "b5e7d2c1a9f4"
branch_labels = None
depends_on = None

BigIntId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade():
    op.create_table(
        "ticket_transfers",
        sa.Column("region_code", sa.String(length=16), nullable=False),
        sa.Column("ticket_id", BigIntId, nullable=False),
        sa.Column("to_region_code", sa.String(length=16), nullable=False),
        sa.Column("from_opd_code", sa.String(length=32), nullable=True),
        sa.Column("to_opd_code", sa.String(length=32), nullable=True),
        sa.Column("from_status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor_user_id", BigIntId, nullable=True),
        sa.Column("actor_label", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("returned_at", UTCDateTime(), nullable=True),
        sa.Column("return_note", sa.Text(), nullable=True),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_ticket_transfers_region_code_regions")
        ),
        sa.ForeignKeyConstraint(
            ["to_region_code"], ["regions.code"], name=op.f("fk_ticket_transfers_to_region_code_regions")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_ticket_transfers_ticket_id_tickets")
        ),
        sa.ForeignKeyConstraint(
            ["actor_user_id"], ["users.id"], name=op.f("fk_ticket_transfers_actor_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_transfers")),
    )
    with op.batch_alter_table("ticket_transfers", schema=None) as batch_op:
        batch_op.create_index("ix_ticket_transfers_region_id", ["region_code", "id"], unique=False)
        batch_op.create_index("ix_ticket_transfers_region_ticket", ["region_code", "ticket_id"], unique=False)
        batch_op.create_index("ix_ticket_transfers_ticket_id", ["ticket_id", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("ticket_transfers", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_transfers_ticket_id")
        batch_op.drop_index("ix_ticket_transfers_region_ticket")
        batch_op.drop_index("ix_ticket_transfers_region_id")
    op.drop_table("ticket_transfers")
