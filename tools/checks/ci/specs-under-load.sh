#!/usr/bin/env bash
# Runs specs several times in a row (SPECS_UNDER_LOAD_ROUNDS, default 3) with two CPU burners
# beside them, as a shared 2-core CI box may be: a test may not fail because the box is busy.
# Usage: npm run test:under-load -- <jest config> <spec pattern> [<jest config> <spec pattern> …]
set -euo pipefail
cd "$(dirname "$0")/../../.."
if [ $# -eq 0 ] || [ $(($# % 2)) -ne 0 ]; then
  echo "usage: npm run test:under-load -- <jest config> <spec pattern> [<jest config> <spec pattern> …]" >&2
  exit 2
fi
rounds=${SPECS_UNDER_LOAD_ROUNDS:-3}
burners=()
for _ in 1 2; do
  node -e 'for (;;) {}' &
  burners+=($!)
done
trap 'kill "${burners[@]}" 2>/dev/null || true' EXIT
specs=("$@")
for round in $(seq 1 "$rounds"); do
  for ((i = 0; i < ${#specs[@]}; i += 2)); do
    echo "round $round of $rounds, two burners running: ${specs[i]} ${specs[i + 1]}"
    npx jest -c "${specs[i]}" "${specs[i + 1]}" --silent
  done
done
echo "every spec passed $rounds times in a row beside two CPU burners"
