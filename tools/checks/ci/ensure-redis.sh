#!/usr/bin/env bash
# Makes sure a Redis answers at $REDIS_URL (default 127.0.0.1:6379): the tests use a real one.
# Starts a throw-away redis-server there when none does (require-prerequisites.sh checked it is installed).
set -euo pipefail
url="${REDIS_URL:-redis://127.0.0.1:6379}"
if redis-cli -u "$url" ping >/dev/null 2>&1; then exit 0; fi
port="${url##*:}"; port="${port%%/*}"
echo "No Redis at $url: starting redis-server on port $port"
redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no --logfile /tmp/redis-test-$port.log
for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && exit 0; sleep 0.1; done
echo "redis-server did not answer on port $port" >&2
exit 1
