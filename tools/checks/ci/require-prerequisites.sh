#!/usr/bin/env bash
# What `npm start`, `npm test`, `npm run bench` and `npm run load` need on the machine (Node 20+,
# redis-server, Java 17+), each missing one named in one line (the README lists them too).
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
# DynamoDB Local (tests, the local stack, benchmarks) runs on the JVM.
java_major=$(java -version 2>&1 | sed -nE 's/.*version "([0-9]+).*/\1/p' | head -1 || true)
if [ -z "$java_major" ] || [ "$java_major" -lt 17 ]; then
  echo "Java 17 or newer is required for DynamoDB Local (Debian: apt-get install openjdk-17-jre-headless)" >&2
  exit 1
fi
