#!/usr/bin/env bash
# `npm test`: the format check, then every project's lint, typecheck, tests (on real servers) and build.
set -euo pipefail
cd "$(dirname "$0")/../../.."
export NX_NO_CLOUD=true NX_ISOLATE_PLUGINS=false NX_DAEMON=false
source tools/checks/ci/require-prerequisites.sh
if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then
  echo "chromium is not installed (Debian: apt-get install chromium): the queue dashboard's browser test drives it" >&2
  exit 1
fi
bash tools/checks/ci/ensure-redis.sh
npx prettier --check . --log-level warn || { echo "Unformatted files (listed above): run \`npm run format\`." >&2; exit 1; }
npx nx sync:check

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
npx nx run-many -t lint typecheck test build --parallel=2 --output-style=static "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line summing every Jest run (cached runs replay their output, so they count too).
count() { sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^Tests:' | grep -oE "[0-9]+ $1" | awk '{s+=$1} END {print s+0}'; }
echo "$(count passed) passed, $(count failed) failed"
exit "$status"
