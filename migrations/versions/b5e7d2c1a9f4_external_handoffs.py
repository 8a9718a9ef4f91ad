"""External hand-offs (issue #17): the registry of outside bodies, each ticket's hand-offs to
them, and the body, reference and expected date the ticket keeps for its payloads

Revision ID: b5e7d2c1a9f4
Revises: d8e1f2a3b4c5
Create Date: 2026-11-30 06:50:00

"""

import sqlalchemy as sa
from alembic import op

from ticketing.models.base import UTCDateTime

revision = "b5e7d2c1a9f4"
down_revision = "d8e1f2a3b4c5"
branch_labels = None
depends_on = None

BigIntId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade():
    op.create_table(
        "external_bodies",
        sa.Column("region_code", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_external_bodies_region_code_regions")
        ),
        sa.PrimaryKeyConstraint("region_code", "code", name=op.f("pk_external_bodies")),
    )
    op.create_table(
        "external_handoffs",
        sa.Column("ticket_id", BigIntId, nullable=False),
        sa.Column("body_region_code", sa.String(length=16), nullable=False),
        sa.Column("body_code", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("forwarded_by_user_id", BigIntId, nullable=True),
        sa.Column("acknowledged_at", UTCDateTime(), nullable=True),
        sa.Column("last_update_at", UTCDateTime(), nullable=True),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.Column("reminded_at", UTCDateTime(), nullable=True),
        sa.Column("reminder_count", sa.Integer(), nullable=False),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_region_code", "body_code"],
            ["external_bodies.region_code", "external_bodies.code"],
            name=op.f("fk_external_handoffs_body_region_code_external_bodies"),
        ),
        sa.ForeignKeyConstraint(
            ["forwarded_by_user_id"],
            ["users.id"],
            name=op.f("fk_external_handoffs_forwarded_by_user_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_external_handoffs_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_external_handoffs")),
    )
    with op.batch_alter_table("external_handoffs", schema=None) as batch_op:
        batch_op.create_index("ix_external_handoffs_ticket_id_id", ["ticket_id", "id"], unique=False)
        batch_op.create_index("ix_external_handoffs_state_id", ["state", "id"], unique=False)
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("external_body_code", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("external_reference", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("external_expected_at", UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_column("external_expected_at")
        batch_op.drop_column("external_reference")
        batch_op.drop_column("external_body_code")
    with op.batch_alter_table("external_handoffs", schema=None) as batch_op:
        batch_op.drop_index("ix_external_handoffs_state_id")
        batch_op.drop_index("ix_external_handoffs_ticket_id_id")
    op.drop_table("external_handoffs")
    op.drop_table("external_bodies")
