#!/usr/bin/env bash
# What `npm start`, `npm test`, `npm run bench` and `npm run load` need on the machine, each
# missing one named in one line (the README lists them too).
set -euo pipefail
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "Node 20 or newer is required (this is $(node -v)): https://nodejs.org or your package manager" >&2
  exit 1
fi
if ! command -v redis-server >/dev/null; then
  echo "redis-server is not installed (Debian: apt-get install redis-server)" >&2
  exit 1
fi
