#!/usr/bin/env bash
# The README's first command: installs what the demo needs when missing (socat for the modem's
# pseudo-terminal, mosquitto if it can, the npm dependencies) and runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 20 ]; then
  echo "demo.sh: Node.js >= 20 is needed (found: $(node --version 2>/dev/null || echo none))." >&2
  exit 1
fi
# shellcheck source=scripts/apt-deps.sh
. scripts/apt-deps.sh
install_missing socat=socat
# Mosquitto is what fleets run, but the demo has a broker of its own when it cannot be installed.
install_missing mosquitto=mosquitto || echo "demo.sh: mosquitto not installed; the demo uses its in-process broker"
# shellcheck source=scripts/npm-env.sh
. scripts/npm-env.sh
[ -d node_modules ] || npm ci --no-audit --no-fund
# Two malloc arenas, as the systemd unit runs the agent (systemd/edge-sms-agent.service says why).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
exec node --import tsx src/cli/main.ts demo "$@"
