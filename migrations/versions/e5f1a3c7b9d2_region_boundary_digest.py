"""regions.boundary_digest: the SHA-256 of each boundary's canonical JSON, so a web process keeps
its prepared shapes until a boundary changes instead of reading every boundary (tens of KB a
city) for each located complaint

Revision ID: e5f1a3c7b9d2
Revises: d2a6f4c8e1b3
Create Date: 2026-11-30 13:00:00

"""

import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "e5f1a3c7b9d2"
down_revision = "d2a6f4c8e1b3"
branch_labels = None
depends_on = None

regions = sa.table(
    "regions",
    sa.column("code", sa.String),
    sa.column("boundary", sa.JSON(none_as_null=True)),
    sa.column("boundary_digest", sa.String),
)


def upgrade():
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("boundary_digest", sa.String(length=64), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(regions.c.code, regions.c.boundary).where(regions.c.boundary.is_not(None))
    )
    for code, boundary in rows.all():
        # As models/regions.boundary_digest computes it (kept here: a migration must not change
        # when the application code does).
        canonical = json.dumps(boundary, sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(canonical.encode()).hexdigest()
        connection.execute(regions.update().where(regions.c.code == code).values(boundary_digest=digest))


def downgrade():
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.drop_column("boundary_digest")
