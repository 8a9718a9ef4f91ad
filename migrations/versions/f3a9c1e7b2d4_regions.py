"""Regions (issue #16): every OPD, category, account, API key and ticket belongs to a region

Creates `regions` with the `DEFAULT_REGION` row (read from the environment now, default `35.71`
Kota Kediri) and, for a city code like `35.71`, its province `35`; adds `region_code` to every
tenant table, filled with that region, so an existing single-city database becomes one region.
OPD and category codes become unique within a region: their primary keys are (region_code,
code) and tickets, users and categories reference them by both. Ticket indexes lead with the
region. Downgrading keeps `DEFAULT_REGION`'s rows only: a single city's schema cannot hold two
cities whose OPD codes repeat.

SQLite rebuilds tables to change keys; foreign keys are switched off meanwhile (SQLite would
otherwise treat dropping the old table as deleting rows still referenced) and checked after.

Revision ID: f3a9c1e7b2d4
Revises: e6b2c4d8f1a3
Create Date: 2026-11-30 06:30:00

"""

import os

import sqlalchemy as sa
from alembic import op

revision = "f3a9c1e7b2d4"
down_revision = "e6b2c4d8f1a3"
branch_labels = None
depends_on = None

TENANT_TABLES = ("opds", "categories", "users", "api_keys", "tickets")
STATS_INCLUDE = [
    "channel",
    "category_code",
    "assigned_at",
    "accepted_at",
    "resolved_at",
    "sla_due_at",
    "sla_breached_at",
    "feedback_rating",
]
# (name, columns) of the ticket indexes before and after.
OLD_TICKET_INDEXES = [
    ("ix_tickets_opd_status_id", ["opd_code", "status", "id"]),
    ("ix_tickets_status_id", ["status", "id"]),
    ("ix_tickets_created_at", ["created_at"]),
    ("ix_tickets_opd_id", ["opd_code", "id"]),
    ("ix_tickets_category_created_at", ["category_code", "created_at"]),
]
NEW_TICKET_INDEXES = [
    ("ix_tickets_region_opd_status_id", ["region_code", "opd_code", "status", "id"]),
    ("ix_tickets_region_status_id", ["region_code", "status", "id"]),
    ("ix_tickets_region_id", ["region_code", "id"]),
    ("ix_tickets_region_created_at", ["region_code", "created_at"]),
    ("ix_tickets_region_opd_id", ["region_code", "opd_code", "id"]),
    ("ix_tickets_region_category_created_at", ["region_code", "category_code", "created_at"]),
]
OLD_FOREIGN_KEYS = [
    ("tickets", "fk_tickets_opd_code_opds", ["opd_code"], "opds", ["code"]),
    ("tickets", "fk_tickets_category_code_categories", ["category_code"], "categories", ["code"]),
    ("users", "fk_users_opd_code_opds", ["opd_code"], "opds", ["code"]),
    ("categories", "fk_categories_default_opd_code_opds", ["default_opd_code"], "opds", ["code"]),
]
NEW_FOREIGN_KEYS = [
    ("tickets", "fk_tickets_region_code_opds", ["region_code", "opd_code"], "opds", ["region_code", "code"]),
    (
        "tickets",
        "fk_tickets_region_code_categories",
        ["region_code", "category_code"],
        "categories",
        ["region_code", "code"],
    ),
    ("users", "fk_users_region_code_opds", ["region_code", "opd_code"], "opds", ["region_code", "code"]),
    (
        "categories",
        "fk_categories_region_code_opds",
        ["region_code", "default_opd_code"],
        "opds",
        ["region_code", "code"],
    ),
]


def _default_region() -> str:
    value = (os.environ.get("DEFAULT_REGION") or "").strip()
    return value or "35.71"


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


# migrations/env.py turns SQLite's foreign keys off for the whole run (batch mode rebuilds
# tables) and checks them at the end; this revision checks its own work as well.
def _check_sqlite_foreign_keys() -> None:
    if _sqlite():
        broken = op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign keys broken by the regions migration: {broken[:5]}")


def _stats_indexes(create: bool, region: bool) -> None:
    """The covering stats indexes (models/tickets.py: PostgreSQL's; SQLite has them plain, as
    the initial revision made them)."""
    prefix = "ix_tickets_region_" if region else "ix_tickets_"
    lead = ["region_code"] if region else []
    if create:
        op.create_index(
            f"{prefix}stats_window",
            "tickets",
            [*lead, "created_at"],
            postgresql_include=["channel", "category_code"],
        )
        op.create_index(
            f"{prefix}opd_stats_window",
            "tickets",
            [*lead, "opd_code", "created_at"],
            postgresql_include=STATS_INCLUDE,
        )
    else:
        op.drop_index(f"{prefix}stats_window", table_name="tickets")
        op.drop_index(f"{prefix}opd_stats_window", table_name="tickets")


def upgrade():
    code = _default_region()
    parent = code.rsplit(".", 1)[0] if "." in code else None
    regions = op.create_table(
        "regions",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("parent_code", sa.String(length=16), nullable=True),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.Column("boundary", sa.JSON(none_as_null=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_code"], ["regions.code"], name=op.f("fk_regions_parent_code_regions")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_regions")),
    )
    rows = []
    if parent:
        rows.append({"code": parent, "name": "Provinsi Jawa Timur" if parent == "35" else parent})
    rows.append({"code": code, "name": "Kota Kediri" if code == "35.71" else code, "parent_code": parent})
    op.bulk_insert(regions, [{"parent_code": None, "population": None, "boundary": None, **r} for r in rows])

    _stats_indexes(create=False, region=False)
    for table, name, *_ in OLD_FOREIGN_KEYS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(name, type_="foreignkey")
    for table in TENANT_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("region_code", sa.String(length=16), nullable=True))
        op.execute(sa.text(f"UPDATE {table} SET region_code = :code").bindparams(code=code))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("region_code", existing_type=sa.String(length=16), nullable=False)
            batch_op.create_foreign_key(
                op.f(f"fk_{table}_region_code_regions"), "regions", ["region_code"], ["code"]
            )
            if table in ("opds", "categories"):
                batch_op.drop_constraint(f"pk_{table}", type_="primary")
                batch_op.create_primary_key(f"pk_{table}", ["region_code", "code"])
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        for name, _ in OLD_TICKET_INDEXES:
            batch_op.drop_index(name)
        for name, columns in NEW_TICKET_INDEXES:
            batch_op.create_index(name, columns, unique=False)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index("ix_users_region_role", ["region_code", "role"], unique=False)
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.create_index("ix_api_keys_region_code", ["region_code"], unique=False)
    for table, name, columns, referred, referred_columns in NEW_FOREIGN_KEYS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_foreign_key(name, referred, columns, referred_columns)
    _stats_indexes(create=True, region=True)
    _check_sqlite_foreign_keys()


def _keep_only_default_region() -> None:
    """A single city's schema holds one region: the others' rows go (their tickets with their
    history, messages and photos), `DEFAULT_REGION`'s stay."""
    keep = {"keep": _default_region()}
    other_tickets = "SELECT id FROM tickets WHERE region_code != :keep"
    other_users = "SELECT id FROM users WHERE region_code != :keep"
    statements = [
        f"UPDATE inbound_messages SET ticket_id = NULL WHERE ticket_id IN ({other_tickets})",
        f"UPDATE tickets SET duplicate_of_id = NULL WHERE duplicate_of_id IN ({other_tickets})",
        f"DELETE FROM possible_duplicates WHERE ticket_id IN ({other_tickets}) OR original_id IN ({other_tickets})",
        f"DELETE FROM ticket_photos WHERE ticket_id IN ({other_tickets})",
        f"DELETE FROM media_attachments WHERE ticket_id IN ({other_tickets})",
        f"DELETE FROM outbox_messages WHERE ticket_id IN ({other_tickets})",
        f"DELETE FROM ticket_events WHERE ticket_id IN ({other_tickets})",
        "DELETE FROM tickets WHERE region_code != :keep",
        f"UPDATE ticket_events SET actor_user_id = NULL WHERE actor_user_id IN ({other_users})",
        f"UPDATE ticket_photos SET uploaded_by_user_id = NULL WHERE uploaded_by_user_id IN ({other_users})",
        f"UPDATE audit_entries SET actor_user_id = NULL WHERE actor_user_id IN ({other_users})",
        "DELETE FROM users WHERE region_code != :keep",
        "DELETE FROM api_keys WHERE region_code != :keep",
        "DELETE FROM categories WHERE region_code != :keep",
        "DELETE FROM opds WHERE region_code != :keep",
    ]
    for statement in statements:
        op.execute(sa.text(statement).bindparams(**keep))


def downgrade():
    _keep_only_default_region()
    _stats_indexes(create=False, region=True)
    for table, name, *_ in NEW_FOREIGN_KEYS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(name, type_="foreignkey")
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_api_keys_region_code")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("ix_users_region_role")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        for name, _ in NEW_TICKET_INDEXES:
            batch_op.drop_index(name)
        for name, columns in OLD_TICKET_INDEXES:
            batch_op.create_index(name, columns, unique=False)
    for table in reversed(TENANT_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table in ("opds", "categories"):
                batch_op.drop_constraint(f"pk_{table}", type_="primary")
                batch_op.create_primary_key(f"pk_{table}", ["code"])
            batch_op.drop_constraint(op.f(f"fk_{table}_region_code_regions"), type_="foreignkey")
            batch_op.drop_column("region_code")
    for table, name, columns, referred, referred_columns in OLD_FOREIGN_KEYS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_foreign_key(name, referred, columns, referred_columns)
    _stats_indexes(create=True, region=False)
    op.drop_table("regions")
    _check_sqlite_foreign_keys()
