#!/usr/bin/env bash
# `make run`: fresh machine → running service. Migrates and seeds SQLite (or DATABASE_URL),
# finds or starts Redis, then runs web + Socket.IO and a worker (with the scheduler) in the
# foreground with honcho; Ctrl-C stops all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
HOST="${HOST:-127.0.0.1}"; PORT="${PORT:-5000}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export FLASK_APP=wsgi
bin=.venv/bin
procfile=instance/Procfile
mkdir -p instance

rm -f instance/redis.started
bin/ensure-redis.sh "$REDIS_URL"
if [ -f instance/redis.started ]; then
  redis_port=$(cat instance/redis.started)
  trap 'redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true; rm -f instance/redis.started' EXIT
fi

# Without provider credentials nothing can be sent: store and log replies instead.
if [ -z "${TWILIO_ACCOUNT_SID:-}${WHATSAPP_ACCESS_TOKEN:-}" ]; then export OUTBOUND_MODE="${OUTBOUND_MODE:-log}"; fi

echo "== migrating the database"
$bin/flask db upgrade
echo "== seeding the demo city (idempotent)"
$bin/flask seed-demo --demo-users
$bin/flask skm seed-demo --answers

cat > "$procfile" <<PROCS
web: $bin/gunicorn -k gevent -w 1 --bind $HOST:$PORT --access-logfile - --no-control-socket wsgi:app
worker: $bin/python -m workers
PROCS

cat <<BANNER

  Aduan is starting on http://$HOST:$PORT
    citizen API   POST http://$HOST:$PORT/api/v1/complaints
    wall          http://$HOST:$PORT/wall            (login: wall / wall12345)
    console       http://$HOST:$PORT/console         (operator / operator12345, admin / admin12345,
                                                      officers pupr / pupr12345, dlhkp / dlhkp12345;
                                                      Kota Blitar blitar / blitar12345, Jawa Timur jatim / jatim12345)
    API docs      http://$HOST:$PORT/docs
    health        http://$HOST:$PORT/readyz
  Replies to citizens: OUTBOUND_MODE=${OUTBOUND_MODE:-send}. Ctrl-C stops everything.

BANNER
# Not exec: the EXIT trap must run after honcho has stopped the processes.
$bin/honcho start -f "$procfile" -d . || true
