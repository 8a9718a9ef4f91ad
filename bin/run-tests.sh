#!/usr/bin/env bash
# The whole suite on SQLite, then on PostgreSQL when it answers. Fails if either pass fails.
set -uo pipefail
pg_url="${1:-postgresql://postgres@127.0.0.1:5432/test}"
py=.venv/bin/python
echo "== test pass 1/2: SQLite"
TEST_DATABASE_URL= $py -m pytest -q -p no:cacheprovider
sqlite_status=$?
if bin/ensure-postgres.sh "$pg_url" 2>/dev/null; then
  echo "== test pass 2/2: PostgreSQL ($pg_url)"
  TEST_DATABASE_URL="$pg_url" $py -m pytest -q -p no:cacheprovider
  pg_status=$?
else
  echo "== test pass 2/2: PostgreSQL not reachable at $pg_url, skipped"
  pg_status=0
fi
[ $sqlite_status -eq 0 ] && [ $pg_status -eq 0 ]
