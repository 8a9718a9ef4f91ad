"""media_attachments.fetch_attempts and a (state, updated_at) index for the stuck-media sweep

Revision ID: d4f8b7a1c2e9
Revises: c7e2a91f4d30
Create Date: 2026-11-30 03:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "d4f8b7a1c2e9"
down_revision = "c7e2a91f4d30"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("media_attachments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fetch_attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.create_index("ix_media_attachments_state_updated_at", ["state", "updated_at"], unique=False)


def downgrade():
    with op.batch_alter_table("media_attachments", schema=None) as batch_op:
        batch_op.drop_index("ix_media_attachments_state_updated_at")
        batch_op.drop_column("fetch_attempts")
