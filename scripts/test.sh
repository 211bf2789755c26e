#!/usr/bin/env bash
# The README's test command: installs what the tests need on a fresh Debian / Raspberry Pi OS
# machine, then type-checks, lints and runs every test. `.ci/run` runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || need_apt+=(mosquitto)
command -v socat >/dev/null 2>&1 || need_apt+=(socat)
command -v systemd-notify >/dev/null 2>&1 || need_apt+=(systemd)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "test.sh: installing ${need_apt[*]} from Debian's packages"
  if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

# shellcheck source=scripts/npm-env.sh
. scripts/npm-env.sh
if [ "${SKIP_NPM_CI:-0}" != "1" ]; then
  npm ci --no-audit --no-fund
fi
npm run lint
# The build is part of the check: the package's exports (dist/) are imported by a test as users would.
npm run build
scripts/run-tests.sh "$@"
