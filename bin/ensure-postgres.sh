#!/usr/bin/env bash
# Exit 0 when the PostgreSQL of $1 answers; try to start a local cluster first if installed.
set -uo pipefail
url="${1:-postgresql://postgres@127.0.0.1:5432/test}"
answers() { .venv/bin/python - "$url" <<'PY'
import sys, psycopg
url = sys.argv[1].replace("postgresql+psycopg://", "postgresql://")
try:
    psycopg.connect(url, connect_timeout=2).close()
except Exception:
    sys.exit(1)
PY
}
answers && exit 0
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  version=$(ls /etc/postgresql | sort -n | tail -1)
  echo "starting PostgreSQL $version (pg_ctlcluster)"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
  for _ in $(seq 30); do answers && exit 0; sleep 0.5; done
fi
echo "PostgreSQL at $url does not answer: the PostgreSQL pass will be skipped (set TEST_DATABASE_URL or install postgresql)." >&2
exit 1
