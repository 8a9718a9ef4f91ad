"""Kinds and states (issue #17): a ticket's kind, the PPID flow of information requests, holds
and closing unresolved

`kind` (pengaduan, aspirasi, informasi) and whether the citizen chose it; an information
request's statutory deadline, extension, decision and objection; when a ticket was put on hold
and until when; why one was closed unresolved. Statuses grow to 24 characters
(`closed_unresolved`), on tickets and in their history.

Revision ID: a17c0de5f1a7
Revises: e4b9a7c3d2f6
Create Date: 2026-11-30 06:20:00

"""

import sqlalchemy as sa
from alembic import op

from ticketing.models.base import UTCDateTime

revision = "a17c0de5f1a7"
down_revision = "e4b9a7c3d2f6"
branch_labels = None
depends_on = None

STATUS_COLUMNS = (
    ("tickets", "status", False),
    ("ticket_events", "from_status", True),
    ("ticket_events", "to_status", True),
)
NEW_COLUMNS = (
    ("kind", lambda: sa.Column("kind", sa.String(16), server_default="pengaduan", nullable=False)),
    (
        "kind_chosen",
        lambda: sa.Column("kind_chosen", sa.Boolean(), server_default=sa.false(), nullable=False),
    ),
    ("due_at", lambda: sa.Column("due_at", UTCDateTime(), nullable=True)),
    ("extended_at", lambda: sa.Column("extended_at", UTCDateTime(), nullable=True)),
    ("decision", lambda: sa.Column("decision", sa.String(16), nullable=True)),
    ("exemption", lambda: sa.Column("exemption", sa.String(4), nullable=True)),
    ("decided_at", lambda: sa.Column("decided_at", UTCDateTime(), nullable=True)),
    ("objection_at", lambda: sa.Column("objection_at", UTCDateTime(), nullable=True)),
    ("objection_reason", lambda: sa.Column("objection_reason", sa.Text(), nullable=True)),
    ("objection_decision", lambda: sa.Column("objection_decision", sa.String(16), nullable=True)),
    ("objection_decided_at", lambda: sa.Column("objection_decided_at", UTCDateTime(), nullable=True)),
    ("held_at", lambda: sa.Column("held_at", UTCDateTime(), nullable=True)),
    ("hold_until", lambda: sa.Column("hold_until", UTCDateTime(), nullable=True)),
    ("close_reason", lambda: sa.Column("close_reason", sa.String(24), nullable=True)),
)


def _status_length(old: int, new: int) -> None:
    for table, column, nullable in STATUS_COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                column,
                existing_type=sa.String(length=old),
                type_=sa.String(length=new),
                existing_nullable=nullable,
            )


def upgrade():
    _status_length(16, 24)
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        for _, column in NEW_COLUMNS:
            batch_op.add_column(column())


def downgrade():
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        for name, _ in reversed(NEW_COLUMNS):
            batch_op.drop_column(name)
    _status_length(24, 16)
