#!/usr/bin/env bash
# Make sure a Redis answers at $1 (default redis://127.0.0.1:6379/0). If it does not and the URL
# points at this machine, start redis-server in the background, installing it first when we are
# root on a Debian-like system. Otherwise say, in one line, what to do.
set -euo pipefail
url="${1:-redis://127.0.0.1:6379/0}"
hostport="${url#redis://}"; hostport="${hostport%%/*}"; hostport="${hostport##*@}"
host="${hostport%%:*}"; port="${hostport##*:}"; [ "$port" = "$host" ] && port=6379

ping() { (exec 3<>"/dev/tcp/$host/$port" && printf 'PING\r\n' >&3 && timeout 2 head -c 5 <&3 | grep -q PONG) 2>/dev/null; }

ping && exit 0
case "$host" in 127.0.0.1|localhost|::1) ;; *)
  echo "Redis at $url does not answer; start it or set REDIS_URL to one that does." >&2; exit 1;;
esac
if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing redis-server (Debian package)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "Redis is not running and redis-server is not installed: run 'sudo apt-get install redis-server' (or set REDIS_URL)." >&2
    exit 1
  fi
fi
mkdir -p instance
echo "starting redis-server on $host:$port (logs: instance/redis.log)"
redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
  --dir "$(pwd)/instance" --logfile "$(pwd)/instance/redis.log"
# Tell the caller we own this server (make run stops it on Ctrl-C).
echo "$port" > instance/redis.started
for _ in $(seq 50); do ping && exit 0; sleep 0.1; done
echo "redis-server did not come up; see instance/redis.log" >&2
exit 1
