#!/usr/bin/env bash
# The README's test command: installs what the tests need on a fresh Debian / Raspberry Pi OS
# machine, then type-checks, lints, builds and runs every test. `.ci/run` runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/apt-deps.sh
. scripts/apt-deps.sh
install_missing mosquitto=mosquitto socat=socat systemd-notify=systemd python3=python3 tshark=tshark promtool=prometheus chromium=chromium
# shellcheck source=scripts/npm-env.sh
. scripts/npm-env.sh
if [ "${SKIP_NPM_CI:-0}" != "1" ]; then
  npm ci --no-audit --no-fund
fi
npm run lint
# The build is part of the check: the package's exports (dist/) are imported by a test as users would.
npm run build
scripts/run-tests.sh "$@"
