"""Chat sender ids up to 140 characters: a WhatsApp username's business-scoped user id

Meta identifies a user who hides their number by a BSUID (`CC.` + up to 128 characters); the
conversation stores it as `wa:<BSUID>` where a phone number used to be.

Revision ID: e6b2c4d8f1a3
Revises: d4f8b7a1c2e9
Create Date: 2026-11-30 04:05:00

"""

import sqlalchemy as sa
from alembic import op

revision = "e6b2c4d8f1a3"
down_revision = "d4f8b7a1c2e9"
branch_labels = None
depends_on = None

COLUMNS = (
    ("inbound_messages", "sender", False),
    ("outbox_messages", "recipient", False),
    ("tickets", "reporter_phone", True),
)


def upgrade():
    for table, column, nullable in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                column,
                existing_type=sa.String(length=20),
                type_=sa.String(length=140),
                existing_nullable=nullable,
            )


def downgrade():
    for table, column, nullable in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                column,
                existing_type=sa.String(length=140),
                type_=sa.String(length=20),
                existing_nullable=nullable,
            )
