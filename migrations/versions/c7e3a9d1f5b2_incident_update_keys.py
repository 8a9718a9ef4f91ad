"""incident_updates.idempotency_key_hash: a retried POST /api/v1/incidents/<id>/updates with the
same Idempotency-Key answers the update made the first time and tells no citizen twice

Revision ID: c7e3a9d1f5b2
Revises: b6d4e2f8a1c3
Create Date: 2026-11-30 09:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "c7e3a9d1f5b2"
down_revision = "b6d4e2f8a1c3"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("incident_updates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_key_hash", sa.String(length=64), nullable=True))
        batch_op.create_index(
            "uq_incident_updates_incident_key", ["incident_id", "idempotency_key_hash"], unique=True
        )


def downgrade():
    with op.batch_alter_table("incident_updates", schema=None) as batch_op:
        batch_op.drop_index("uq_incident_updates_incident_key")
        batch_op.drop_column("idempotency_key_hash")
