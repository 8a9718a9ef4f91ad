"""incidents, incident_updates, tickets.incident_id, categories.needs_proof (issue #18)

Revision ID: c9d4e8a2f6b1
Revises: d8a3f5c2e7b9
Create Date: 2026-11-30 06:30:00

"""

import sqlalchemy as sa
from alembic import op

import ticketing.models.base

revision = "c9d4e8a2f6b1"
down_revision = "d8a3f5c2e7b9"
branch_labels = None
depends_on = None

UTC = ticketing.models.base.UTCDateTime(timezone=True)
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade():
    op.create_table(
        "incidents",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("center_lat", sa.Float(), nullable=False),
        sa.Column("center_lon", sa.Float(), nullable=False),
        sa.Column("radius_m", sa.Integer(), nullable=True),
        sa.Column("polygon", sa.JSON(), nullable=True),
        sa.Column("starts_at", UTC, nullable=False),
        sa.Column("ends_at", UTC, nullable=True),
        sa.Column("lead_opd_code", sa.String(length=32), nullable=True),
        sa.Column("declared_by_user_id", ID, nullable=True),
        sa.Column("declared_at", UTC, nullable=True),
        sa.Column("proposed_ticket_ids", sa.JSON(), nullable=False),
        sa.Column("source_ticket_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["declared_by_user_id"], ["users.id"], name=op.f("fk_incidents_declared_by_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_incidents_region_code_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
    )
    op.create_index("ix_incidents_region_status_id", "incidents", ["region_code", "status", "id"])
    op.create_table(
        "incident_updates",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("incident_id", ID, nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("author_user_id", ID, nullable=True),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["author_user_id"], ["users.id"], name=op.f("fk_incident_updates_author_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_incident_updates_incident_id_incidents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_updates")),
    )
    op.create_index("ix_incident_updates_incident_id", "incident_updates", ["incident_id", "id"])
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("incident_id", ID, nullable=True))
        batch_op.create_foreign_key("fk_tickets_incident_id_incidents", "incidents", ["incident_id"], ["id"])
        batch_op.create_index("ix_tickets_incident_id", ["incident_id", "id"])
    with op.batch_alter_table("categories", schema=None) as batch_op:
        batch_op.add_column(sa.Column("needs_proof", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table("categories", schema=None) as batch_op:
        batch_op.drop_column("needs_proof")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_incident_id")
        batch_op.drop_constraint("fk_tickets_incident_id_incidents", type_="foreignkey")
        batch_op.drop_column("incident_id")
    op.drop_index("ix_incident_updates_incident_id", table_name="incident_updates")
    op.drop_table("incident_updates")
    op.drop_index("ix_incidents_region_status_id", table_name="incidents")
    op.drop_table("incidents")
