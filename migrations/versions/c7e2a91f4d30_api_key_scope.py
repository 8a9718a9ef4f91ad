"""api_keys.scope: an Open311 key reads the public view unless given `full_detail`

Revision ID: c7e2a91f4d30
Revises: b3c41d2e8f10
Create Date: 2026-11-30 03:35:00

"""

import sqlalchemy as sa
from alembic import op

revision = "c7e2a91f4d30"
down_revision = "b3c41d2e8f10"
branch_labels = None
depends_on = None


def upgrade():
    # Existing keys get no scope: they keep posting, and read what the public reads.
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scope", sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_column("scope")
