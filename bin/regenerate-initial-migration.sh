#!/usr/bin/env bash
# Pre-release only (no deployed database exists yet): rebuild the single initial migration
# from the models, against an empty SQLite database, and check it on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
rm -f migrations/versions/*.py
INSTANCE_PATH=$tmp DATABASE_URL="sqlite:///$tmp/m.db" .venv/bin/flask --app wsgi db migrate -m "initial schema" >/dev/null
sed -i 's/^import sqlalchemy as sa$/import sqlalchemy as sa\nimport ticketing.models.base/' migrations/versions/*.py
# Expression indexes are PostgreSQL-only and SQLite cannot reflect them: written by hand.
.venv/bin/python - migrations/versions/*.py <<'PY'
import sys
path = sys.argv[1]
source = open(path).read()
upgrade_tail = """
    if op.get_bind().dialect.name == "postgresql":
        # Staff search `q`: full text over descriptions (ticketing/models/tickets.py).
        op.execute("CREATE INDEX ix_tickets_description_fts ON tickets "
                   "USING gin (to_tsvector('simple'::regconfig, description))")

"""
downgrade_head = """def downgrade():
    op.execute("DROP INDEX IF EXISTS ix_tickets_description_fts")
"""
source = source.replace("\n\ndef downgrade():\n", upgrade_tail + "\ndef downgrade():\n", 1)
source = source.replace("def downgrade():\n", downgrade_head, 1)
open(path, "w").write(source)
PY
psql -q -h 127.0.0.1 -U postgres -c 'DROP DATABASE IF EXISTS aduan_migration_check WITH (FORCE)' -c 'CREATE DATABASE aduan_migration_check'
PG=postgresql://postgres@127.0.0.1:5432/aduan_migration_check
INSTANCE_PATH=$tmp DATABASE_URL=$PG .venv/bin/flask --app wsgi db upgrade
INSTANCE_PATH=$tmp DATABASE_URL=$PG .venv/bin/flask --app wsgi db check
INSTANCE_PATH=$tmp DATABASE_URL="sqlite:///$tmp/m.db" .venv/bin/flask --app wsgi db upgrade
INSTANCE_PATH=$tmp DATABASE_URL="sqlite:///$tmp/m.db" .venv/bin/flask --app wsgi db check
ls migrations/versions
