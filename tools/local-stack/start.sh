#!/usr/bin/env bash
# `npm start`: build the three apps (cached by Nx), then run the whole platform locally.
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_NO_CLOUD=true NX_ISOLATE_PLUGINS=false
source tools/checks/ci/require-prerequisites.sh
npx nx run-many -t build --projects=query-api,write-api,restock-worker --output-style=stream-without-prefixes
exec npx tsx --tsconfig tools/tsconfig.json tools/local-stack/main.ts
