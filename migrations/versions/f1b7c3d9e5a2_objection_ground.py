"""tickets.objection_ground: the requester's ground for a keberatan, UU 14/2008 Art. 35(1) letter
a-g; the objections filed before it are given the ground their ticket shows (no answer by the
deadline: c; a refusal or a partial grant on an exemption: a), else none

Revision ID: f1b7c3d9e5a2
Revises: e5f1a3c7b9d2
Create Date: 2026-11-30 13:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "f1b7c3d9e5a2"
down_revision = "e5f1a3c7b9d2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("objection_ground", sa.String(length=1), nullable=True))
    op.execute(
        "UPDATE tickets SET objection_ground = CASE"
        " WHEN decided_at IS NULL THEN 'c'"
        " WHEN decision IN ('refused', 'partial') AND exemption IS NOT NULL THEN 'a'"
        " END"
        " WHERE objection_at IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_column("objection_ground")
