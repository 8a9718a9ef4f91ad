#!/usr/bin/env bash
# The whole suite on SQLite and on PostgreSQL (when it answers), each pass split into
# TEST_SHARDS shards (default 4) of about equal measured time, all side by side: most of a
# test's time is spent waiting (a server or worker starting, a browser page, a socket event, an
# outage running its course), so on two cores eight shards finish far sooner than two passes.
#
# - Shards: bin/test-shards.py deals whole test files out by their time in tests/durations.json
#   (a new file counts as the median one). After adding slow tests, refresh the times from this
#   run's JUnit reports: the command is printed at the end.
# - Each shard has its own Redis database on a redis-server this run starts for itself (nothing
#   else on the machine's Redis, another run or `make bench`, meets the tests' flushes), its own
#   PostgreSQL database (created here: ${TEST_SHARD_DB_PREFIX:-test_shard}_1 …), block of ports
#   (TEST_PORT_BASE, below the kernel's ephemeral range: see free_port), Socket.IO
#   channel and artifacts folder. Fails if any shard fails.
# - The router's own tests (tests/router) touch no database: they run on the SQLite pass only,
#   as does `routing-eval`'s (it trains and scores in memory and stores nothing).
# - The OpenAPI fuzzing runs full size on the PostgreSQL pass and light on the SQLite one
#   (TEST_FUZZ, see tests/apidocs/test_openapi.py); with no PostgreSQL, SQLite runs it full size.
# Each shard's wall and CPU time is printed at the end.
set -uo pipefail
pg_url="${1:-postgresql://postgres@127.0.0.1:5432/test}"
shard_count="${TEST_SHARDS:-4}"
db_prefix="${TEST_SHARD_DB_PREFIX:-test_shard}"
py=.venv/bin/python
logs=$(mktemp -d)
pytest_args=(-q -p no:cacheprovider --durations=15)
started=$(date +%s)

# Bytecode for the project's own modules, once: where PYTHONDONTWRITEBYTECODE is set (this
# machine kind sets it) every process of the run (servers, workers, each `flask` command) would
# compile them from source again, ~0.2 s of CPU each.
$py -m compileall -q -j 0 ticketing workers config tests bench wsgi.py > /dev/null

# A redis-server of the run's own, one database per shard.
redis_port=$(TEST_PORT_BASE=19000 $py -c 'from tests.support.processes import free_port; print(free_port())')
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --databases 32 \
  > "$logs/redis.log" 2>&1 &
redis_pid=$!
trap 'kill $redis_pid 2>/dev/null' EXIT
if ! $py - "$redis_port" <<'PY'
import sys
import time

import redis

client = redis.Redis(port=int(sys.argv[1]))
for _ in range(100):
    try:
        sys.exit(0 if client.ping() else 1)
    except redis.ConnectionError:
        time.sleep(0.1)
sys.exit(1)
PY
then
  echo "== redis-server did not start on port $redis_port (see $logs/redis.log): failing"; exit 1
fi
redis_db=0

declare -A pids=() started_at=() files=()
shards=()

# run_shard NAME DATABASE_URL FUZZ FILES...
run_shard() {
  local name=$1 database_url=$2 fuzz=$3
  shift 3
  echo "== shard $name: $# files (log: $logs/$name.log)"
  (
    TEST_DATABASE_URL="$database_url" TEST_REDIS_URL="redis://127.0.0.1:$redis_port/$redis_db" \
    TEST_PORT_BASE=$((20000 + redis_db * 1000)) \
    TEST_ARTIFACTS="test-artifacts/$name" TEST_FUZZ="$fuzz" \
      $py -m pytest "${pytest_args[@]}" --basetemp="$logs/$name" --junitxml="$logs/$name.xml" "$@"
    status=$?
    times > "$logs/$name.times"  # the second line: CPU of pytest and every process it started
    exit $status
  ) < /dev/null > "$logs/$name.log" 2>&1 &
  pids[$name]=$!
  started_at[$name]=$(date +%s)
  files[$name]=$#
  shards+=("$name")
  redis_db=$((redis_db + 1))
}

# A fresh PostgreSQL database beside the one in $pg_url, for one shard.
shard_database() {
  $py - "$pg_url" "$1" <<'PY'
import sys
import psycopg

url, name = sys.argv[1].replace("postgresql+psycopg://", "postgresql://"), sys.argv[2]
with psycopg.connect(url, autocommit=True) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.execute(f'CREATE DATABASE "{name}"')
PY
}

pg_ok=""; pg_broken=0
if bin/ensure-postgres.sh "$pg_url" 2>/dev/null; then
  pg_ok=yes
  for i in $(seq 1 "$shard_count"); do
    if ! shard_database "${db_prefix}_$i"; then
      echo "== PostgreSQL at $pg_url answers but the shard databases could not be created: failing"
      pg_ok=""; pg_broken=1; break
    fi
  done
else
  echo "== PostgreSQL pass: not reachable at $pg_url, skipped"
fi

# Full-size fuzzing once: on PostgreSQL when that pass runs.
sqlite_fuzz=full; [ -n "$pg_ok" ] && sqlite_fuzz=light
i=0
while read -r line; do
  i=$((i + 1))
  # shellcheck disable=SC2086  # one file path per word
  [ -n "$line" ] && run_shard "sqlite-$i" "" "$sqlite_fuzz" $line
done < <($py bin/test-shards.py split "$shard_count")
if [ -n "$pg_ok" ]; then
  base="${pg_url%/*}"
  i=0
  while read -r line; do
    i=$((i + 1))
    # shellcheck disable=SC2086
    [ -n "$line" ] && run_shard "postgres-$i" "$base/${db_prefix}_$i" full $line
  done < <($py bin/test-shards.py split "$shard_count" --ignore tests/router \
             --ignore tests/routing/test_routing_eval_command.py)
fi

# Known vulnerabilities in the pins fail the run; a machine whose package index carries no
# vulnerability data (a PyPI mirror) cannot audit, and says so below instead of passing silently.
bin/audit-deps.sh > "$logs/audit.log" 2>&1 &
audit_pid=$!

# "1m2.500s" -> 62
seconds() { awk -v t="$1" 'BEGIN { split(t, p, "m"); sub("s", "", p[2]); printf "%d", p[1] * 60 + p[2] }'; }

declare -A status=() took=() cpu=()
for name in "${shards[@]}"; do
  wait "${pids[$name]}"; status[$name]=$?
  took[$name]=$(( $(stat -c %Y "$logs/$name.log") - ${started_at[$name]} ))
  user="" sys=""
  read -r user sys < <(sed -n 2p "$logs/$name.times" 2>/dev/null || true)
  cpu[$name]=$(( $(seconds "${user:-0m0s}") + $(seconds "${sys:-0m0s}") ))
done

for name in "${shards[@]}"; do
  echo; echo "==================== shard $name ===================="; cat "$logs/$name.log"
done
echo; echo "==================== dependency audit (pip-audit) ===================="; cat "$logs/audit.log"
wait $audit_pid; audit_status=$?
echo
for name in "${shards[@]}"; do
  echo "shard $name: exit ${status[$name]}, ${took[$name]} s, CPU ${cpu[$name]} s, ${files[$name]} files"
done
[ -z "$pg_ok" ] && echo "PostgreSQL pass: skipped"
[ $audit_status -eq 1 ] && echo "dependency audit found known vulnerabilities: failing"
echo "wall time: $(( $(date +%s) - started )) s"
echo "shard times from this run into tests/durations.json: bin/test-shards.py record $logs/*.xml"
# One closing line over every shard, in the plain form CI reads.
passed=0; failed=0; any_failed=$pg_broken
for name in "${shards[@]}"; do
  summary=$(grep -E '^=*.* in [0-9.]+s' "$logs/$name.log" | tail -1)
  p=$(grep -oE '[0-9]+ passed' <<<"$summary" | grep -oE '[0-9]+' || true)
  f=$(grep -oE '[0-9]+ (failed|error|errors)' <<<"$summary" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  [ "${status[$name]}" -ne 0 ] && any_failed=1
done
if [ $any_failed -ne 0 ] && [ $failed -eq 0 ]; then failed=1; fi
echo "tests: $passed passed, $failed failed"
[ $any_failed -eq 0 ] && [ $audit_status -ne 1 ]
