#!/usr/bin/env bash
# Runs a command once the prerequisites hold, on the project's Node (require-prerequisites.sh).
set -euo pipefail
source "$(dirname "$0")/require-prerequisites.sh"
exec "$@"
