"""chat_questions: the category and location questions the chat asks a citizen (issue 20)

Revision ID: d8a3f5c2e7b9
Revises: f3a9c1e7b2d4
Create Date: 2026-11-30 07:00:00

"""

import sqlalchemy as sa
from alembic import op

import ticketing.models.base

revision = "d8a3f5c2e7b9"
down_revision = "f3a9c1e7b2d4"
branch_labels = None
depends_on = None

UTC = ticketing.models.base.UTCDateTime(timezone=True)
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade():
    op.create_table(
        "chat_questions",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("ticket_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("provider", sa.String(length=24), nullable=False),
        sa.Column("recipient", sa.String(length=140), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("answer", sa.String(length=300), nullable=True),
        sa.Column("asked_at", UTC, nullable=False),
        sa.Column("expires_at", UTC, nullable=False),
        sa.Column("answered_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_chat_questions_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_questions")),
        sa.UniqueConstraint("ticket_id", "kind", name="uq_chat_questions_ticket_kind"),
    )
    op.create_index("ix_chat_questions_recipient_id", "chat_questions", ["recipient", "id"])


def downgrade():
    op.drop_index("ix_chat_questions_recipient_id", table_name="chat_questions")
    op.drop_table("chat_questions")
