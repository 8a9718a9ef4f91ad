"""Every index of a tenant table leads with its region (issue #16), so that one region's reads
touch one region's slice of an index, and a province that outgrows one PostgreSQL can distribute
those tables by `region_code` on Citus (README "Province scale on Citus"). Read from the models'
metadata, which tests/test_migrations.py holds equal to the migrations: a new index on a tenant
table either leads with the region or is named below with the reason it cannot."""

from __future__ import annotations

# (table, index) -> why its first column is not the region. Each serves a lookup that does not
# know the region: a sweep over every region (on Citus each shard answers it for its own
# regions), or a key that is itself unique across regions.
CROSS_REGION_INDEXES = {
    ("tickets", "ix_tickets_status_sla_due_at"): "the SLA sweep escalates every region's overdue tickets",
    (
        "tickets",
        "ix_tickets_status_resolved_at",
    ): "the auto-close sweep closes every region's resolved tickets",
    ("tickets", "ix_tickets_reporter_phone"): "a citizen's chat reaches their tickets in any region",
    ("tickets", "ix_tickets_duplicate_of_id"): "a ticket's duplicates, by the original's id",
    ("tickets", "ix_tickets_incident_id"): "an incident's reports, by the incident's id",
    ("tickets", "ix_tickets_description_fts"): "the full-text expression index; searches add the region",
    ("ticket_transfers", "ix_ticket_transfers_ticket_id"): "a ticket's moves, read by both regions",
}


def _tenant_tables():
    from ticketing.extensions import db

    return [table for table in db.metadata.sorted_tables if "region_code" in table.c]


def test_every_tenant_index_and_key_leads_with_the_region(app):
    tenant = _tenant_tables()
    assert {"tickets", "opds", "categories", "users", "api_keys"} <= {table.name for table in tenant}
    misplaced = []
    for table in tenant:
        for index in table.indexes:
            columns = [column.name for column in index.columns]
            if (table.name, index.name) in CROSS_REGION_INDEXES:
                continue
            if not columns or columns[0] != "region_code":
                misplaced.append((table.name, index.name, columns))
    assert misplaced == []


def test_the_named_exceptions_still_exist(app):
    """An exception whose index went away is a stale excuse: the list stays exact."""
    present = {(table.name, index.name) for table in _tenant_tables() for index in table.indexes}
    assert set(CROSS_REGION_INDEXES) <= present


def test_codes_are_unique_within_a_region_only(app):
    from ticketing.extensions import db

    tables = db.metadata.tables
    for name in ("opds", "categories"):
        assert [column.name for column in tables[name].primary_key.columns] == ["region_code", "code"], name
