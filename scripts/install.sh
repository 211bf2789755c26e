#!/usr/bin/env bash
# Installs edge-sms-agent on Raspberry Pi OS / Debian from this checkout, idempotently:
# Node.js (Debian's package), build tools for the SQLite addon, the package in /opt/edge-sms-agent,
# the `edge-sms` user (in dialout, for the modem's serial port), the example config (never
# overwritten), and the systemd unit. Run as root: sudo scripts/install.sh [--start]
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
prefix=/opt/edge-sms-agent
confdir=/etc/edge-sms-agent
start=0
for arg in "$@"; do
  case "$arg" in
    --start) start=1 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "install.sh: run as root (sudo scripts/install.sh)" >&2; exit 1; }

step() { printf '\n== %s\n' "$*"; }

step "packages"
apt_pkgs=()
command -v node >/dev/null 2>&1 || apt_pkgs+=(nodejs)
command -v npm >/dev/null 2>&1 || apt_pkgs+=(npm)
for pkg in python3 make g++; do command -v "$pkg" >/dev/null 2>&1 || apt_pkgs+=("$pkg"); done
[ -f /usr/include/node/node.h ] || [ -f /usr/local/include/node/node.h ] || apt_pkgs+=(libnode-dev)
if [ "${#apt_pkgs[@]}" -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_pkgs[@]}"
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "install.sh: Node.js >= 20 is needed, this system has $(node --version)." >&2
  echo "  Raspberry Pi OS / Debian 13 (trixie) ship Node 20; on older releases install Node 20 first." >&2
  exit 1
fi
# shellcheck source=scripts/npm-env.sh
. scripts/npm-env.sh

step "build"
npm ci --no-audit --no-fund
npm run build

step "install to $prefix"
mkdir -p "$prefix"
rm -rf "$prefix/dist" "$prefix/firmware-config"
cp -r dist firmware-config systemd package.json package-lock.json README.md "$prefix/"
(cd "$prefix" && npm ci --omit=dev --no-audit --no-fund)
chmod +x "$prefix/dist/cli/main.js"
ln -sf "$prefix/dist/cli/main.js" /usr/local/bin/edge-sms-agent

step "user"
if ! id edge-sms >/dev/null 2>&1; then
  useradd --system --no-create-home --home-dir /var/lib/edge-sms-agent --shell /usr/sbin/nologin edge-sms
fi
usermod -a -G dialout edge-sms

step "config"
mkdir -p "$confdir"
if [ ! -f "$confdir/config.yaml" ]; then
  install -m 0640 -o root -g edge-sms "$repo/firmware-config/agent/config.example.yaml" "$confdir/config.yaml"
  echo "installed the example config: edit $confdir/config.yaml (SMSC URL, modem port, MQTT) before starting"
else
  echo "keeping the existing $confdir/config.yaml"
fi

step "console token"
# The web console's LAN door (console.lan, off until configured) needs a token: made once, here,
# readable by root and the agent only; `edge-sms-agent status` run as root shows it.
if [ ! -s "$confdir/console.token" ]; then
  (umask 077 && head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' > "$confdir/console.token")
  echo "made the console token in $confdir/console.token"
else
  echo "keeping the existing console token"
fi
chown root:edge-sms "$confdir/console.token"
chmod 0640 "$confdir/console.token"

step "systemd"
install -m 0644 systemd/edge-sms-agent.service /etc/systemd/system/edge-sms-agent.service
systemctl daemon-reload
systemctl enable edge-sms-agent.service
if [ "$start" -eq 1 ]; then systemctl restart edge-sms-agent.service; fi
echo
echo "installed. Start with: sudo systemctl start edge-sms-agent   logs: journalctl -u edge-sms-agent -f"
