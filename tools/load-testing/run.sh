#!/usr/bin/env bash
# `npm run load [-- options]`: build the apps (the local stack runs their bundles), then tools/load-testing/main.ts.
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_NO_CLOUD=true
source tools/checks/ci/require-prerequisites.sh
bash tools/checks/ci/ensure-redis.sh
npx nx run-many -t build --projects=query-api,write-api,restock-worker --output-style=static >/dev/null
exec npx tsx --tsconfig tools/tsconfig.json tools/load-testing/main.ts "$@"
