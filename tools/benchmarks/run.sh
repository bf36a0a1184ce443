#!/usr/bin/env bash
# `npm run bench [-- name]`: build the apps, then run tools/benchmarks/<name>.bench.ts (default: read-write; the others: ls tools/benchmarks/*.bench.ts).
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_NO_CLOUD=true NX_ISOLATE_PLUGINS=false
source tools/checks/ci/require-prerequisites.sh
bash tools/checks/ci/ensure-redis.sh
npx nx run-many -t build --projects=query-api,write-api,restock-worker --output-style=static >/dev/null
exec npx tsx --tsconfig tools/tsconfig.json "tools/benchmarks/${1:-read-write}.bench.ts"
