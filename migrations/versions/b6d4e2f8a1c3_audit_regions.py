"""audit_entries.region_code (issue #16): each entry belongs to the region the change concerns,
and an admin's audit page shows the entries of the regions it sees

Existing entries: a change to an account is that account's region, anything else its actor's;
an entry with neither (the CLI, the system) is the default region's.

Revision ID: b6d4e2f8a1c3
Revises: f3c8a1d9e2b7
Create Date: 2026-11-30 09:30:00

"""

import os

import sqlalchemy as sa
from alembic import op

revision = "b6d4e2f8a1c3"
down_revision = "f3c8a1d9e2b7"
branch_labels = None
depends_on = None


def _default_region() -> str:
    value = (os.environ.get("DEFAULT_REGION") or "").strip()
    return value or "35.71"


BACKFILL = """
UPDATE audit_entries SET region_code = COALESCE(
    (SELECT users.region_code FROM users
     WHERE audit_entries.target_type = 'user' AND users.username = audit_entries.target_id),
    (SELECT users.region_code FROM users WHERE users.id = audit_entries.actor_user_id),
    (SELECT regions.code FROM regions WHERE regions.code = :code),
    (SELECT MIN(regions.code) FROM regions)
)
"""


def upgrade():
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("region_code", sa.String(length=16), nullable=True))
    op.execute(sa.text(BACKFILL).bindparams(code=_default_region()))
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.alter_column("region_code", existing_type=sa.String(length=16), nullable=False)
        batch_op.create_foreign_key(
            op.f("fk_audit_entries_region_code_regions"), "regions", ["region_code"], ["code"]
        )
        batch_op.drop_index("ix_audit_entries_target")
        batch_op.create_index("ix_audit_entries_region_id", ["region_code", "id"], unique=False)
        batch_op.create_index(
            "ix_audit_entries_region_target", ["region_code", "target_type", "id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entries_region_target")
        batch_op.drop_index("ix_audit_entries_region_id")
        batch_op.create_index("ix_audit_entries_target", ["target_type", "target_id"], unique=False)
        batch_op.drop_constraint(op.f("fk_audit_entries_region_code_regions"), type_="foreignkey")
        batch_op.drop_column("region_code")
