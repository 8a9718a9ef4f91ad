"""Channel accounts (issue #16): the region each WhatsApp phone_number_id, Twilio To number,
SMS gateway `to` and Telegram bot serves; none needed for a single city

Revision ID: f3c8a1d9e2b7
Revises: a17c0de5f1a7
Create Date: 2026-11-30 07:40:00

"""

import sqlalchemy as sa
from alembic import op

from ticketing.models.base import UTCDateTime

revision = "f3c8a1d9e2b7"
down_revision = "a17c0de5f1a7"
branch_labels = None
depends_on = None

BigIntId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade():
    op.create_table(
        "channel_accounts",
        sa.Column("region_code", sa.String(length=16), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("account", sa.String(length=128), nullable=False),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_channel_accounts_region_code_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_accounts")),
        sa.UniqueConstraint("provider", "account", name="uq_channel_accounts_provider_account"),
    )
    with op.batch_alter_table("channel_accounts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_channel_accounts_region_provider", ["region_code", "provider"], unique=False
        )


def downgrade():
    with op.batch_alter_table("channel_accounts", schema=None) as batch_op:
        batch_op.drop_index("ix_channel_accounts_region_provider")
    op.drop_table("channel_accounts")
