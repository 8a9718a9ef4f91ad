"""Citizen satisfaction surveys (issue #19): public services per OPD and the answers about them

Revision ID: d8e1f2a3b4c5
Revises: c9d4e8a2f6b1
Create Date: 2026-11-30 07:00:00

"""

import sqlalchemy as sa
from alembic import op

from ticketing.models.base import UTCDateTime

revision = "d8e1f2a3b4c5"
down_revision = "c9d4e8a2f6b1"
branch_labels = None
depends_on = None

BigIntId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
ELEMENTS = ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")


def upgrade():
    op.create_table(
        "public_services",
        sa.Column("region_code", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("opd_code", sa.String(length=32), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.Column("not_applicable", sa.JSON(), nullable=False),
        sa.Column("complaint_handling", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_public_services_region_code_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_services")),
        sa.UniqueConstraint("region_code", "code", name="uq_public_services_region_code"),
    )
    with op.batch_alter_table("public_services", schema=None) as batch_op:
        batch_op.create_index("ix_public_services_region_opd", ["region_code", "opd_code"], unique=False)
    op.create_table(
        "skm_responses",
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=16), nullable=False),
        sa.Column("service_id", BigIntId, nullable=False),
        sa.Column("semester", sa.String(length=6), nullable=False),
        *[sa.Column(element, sa.SmallInteger(), nullable=True) for element in ELEMENTS],
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("age", sa.SmallInteger(), nullable=False),
        sa.Column("education", sa.String(length=16), nullable=False),
        sa.Column("occupation", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("phone_hash", sa.String(length=64), nullable=True),
        sa.Column("browser_hash", sa.String(length=64), nullable=True),
        sa.Column("address_hash", sa.String(length=64), nullable=True),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("ticket_id", BigIntId, nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_skm_responses_region_code_regions")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["public_services.id"], name=op.f("fk_skm_responses_service_id_public_services")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_skm_responses_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skm_responses")),
        sa.UniqueConstraint("service_id", "semester", "phone_hash", name="uq_skm_responses_phone"),
        sa.UniqueConstraint("service_id", "semester", "browser_hash", name="uq_skm_responses_browser"),
    )
    with op.batch_alter_table("skm_responses", schema=None) as batch_op:
        batch_op.create_index(
            "ix_skm_responses_region_semester", ["region_code", "semester", "service_id"], unique=False
        )
        batch_op.create_index(
            "ix_skm_responses_region_address", ["region_code", "address_hash", "created_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("skm_responses", schema=None) as batch_op:
        batch_op.drop_index("ix_skm_responses_region_address")
        batch_op.drop_index("ix_skm_responses_region_semester")
    op.drop_table("skm_responses")
    with op.batch_alter_table("public_services", schema=None) as batch_op:
        batch_op.drop_index("ix_public_services_region_opd")
    op.drop_table("public_services")
