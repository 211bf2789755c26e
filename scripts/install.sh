#!/usr/bin/env bash
# Installs edge-sms-agent on Raspberry Pi OS / Debian from this checkout, idempotently:
# Node.js (Debian's package, where it is Node >= 20), build tools for the SQLite addon, the package in
# /opt/edge-sms-agent, the `edge-sms` user (in dialout, for the modem's serial port), the example
# config (never overwritten), a udev rule keeping ModemManager off the modem's port, and the unit.
#   sudo scripts/install.sh [--start] [--modem-port PATH]
#   scripts/install.sh --dry-run      prints what it would do, changes nothing (no root needed)
# Everything is checked before anything is changed: Node >= 20 first (Debian 12 "bookworm" ships 18).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
prefix=/opt/edge-sms-agent
confdir=/etc/edge-sms-agent
udev_rule=/etc/udev/rules.d/90-edge-sms-agent-modemmanager.rules
# Test hooks (test/integration/installScriptDecidesBeforeTouching.test.ts): another os-release, another node.
os_release=${EDGE_SMS_INSTALL_OS_RELEASE:-/etc/os-release}
node_bin=${EDGE_SMS_INSTALL_NODE:-node}
start=0
dry=0
modem_port=
while [ "$#" -gt 0 ]; do
  case "$1" in
    --start) start=1 ;;
    --dry-run) dry=1 ;;
    --modem-port) modem_port=${2:?--modem-port needs a path}; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

step() { printf '\n== %s\n' "$*"; }
decide() { printf 'install.sh: %s\n' "$*"; }
# run CMD...: does it, or in --dry-run says it would.
run() { if [ "$dry" -eq 1 ]; then printf 'would run: %s\n' "$*"; else "$@"; fi; }

step "checking what is needed (nothing is changed yet)"
if [ "$dry" -eq 0 ] && [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: run as root (sudo scripts/install.sh), or see what it would do with --dry-run" >&2
  exit 1
fi
codename=unknown
if [ -r "$os_release" ]; then
  # shellcheck disable=SC1090
  codename=$(. "$os_release"; echo "${VERSION_CODENAME:-unknown}")
fi
decide "system: ${codename}"
node_major=0
if node_version=$("$node_bin" --version 2>/dev/null); then
  node_major=$(printf '%s' "$node_version" | sed -E 's/^v([0-9]+).*/\1/')
  decide "node: ${node_version}"
else
  decide "node: not installed"
fi
need_node_package=0
if [ "$node_major" -eq 0 ]; then
  case "$codename" in
    bullseye|bookworm|buster|unknown) ;;
    *) need_node_package=1 ;;  # Debian 13 "trixie" and later ship Node >= 20
  esac
fi
if [ "$node_major" -lt 20 ] && [ "$need_node_package" -eq 0 ]; then
  cat >&2 <<MSG
install.sh: Node.js >= 20 is needed; this system has ${node_version:-no Node.js} (${codename}).
  Debian 12 "bookworm" (and Raspberry Pi OS based on it) ships Node 18. Either:
   - install Node 20 from NodeSource, then run this script again:
       curl -fsSL https://deb.nodesource.com/setup_20.x -o /tmp/nodesource_setup.sh
       sudo bash /tmp/nodesource_setup.sh && sudo apt-get install -y nodejs
   - or move to Raspberry Pi OS / Debian 13 "trixie", which ships Node 20.
  Nothing was changed.
MSG
  exit 1
fi
apt_pkgs=()
[ "$need_node_package" -eq 1 ] && apt_pkgs+=(nodejs npm)
[ "$need_node_package" -eq 0 ] && ! command -v npm >/dev/null 2>&1 && apt_pkgs+=(npm)
for pkg in python3 make g++; do command -v "$pkg" >/dev/null 2>&1 || apt_pkgs+=("$pkg"); done
[ -f /usr/include/node/node.h ] || [ -f /usr/local/include/node/node.h ] || apt_pkgs+=(libnode-dev)
if [ "${#apt_pkgs[@]}" -gt 0 ]; then decide "packages to install: ${apt_pkgs[*]}"; else decide "packages to install: none"; fi
# The build runs as the checkout's owner, so no root-owned file is left in it (node_modules, dist).
owner=$(stat -c %U "$repo")
decide "build as: ${owner} (the owner of ${repo})"
mm=0
if command -v ModemManager >/dev/null 2>&1 || [ -e /usr/sbin/ModemManager ]; then mm=1; fi
if [ "$mm" -eq 1 ]; then decide "ModemManager: installed; a udev rule will make it ignore the modem's port"; else decide "ModemManager: not installed; no udev rule needed"; fi

step "packages"
if [ "${#apt_pkgs[@]}" -gt 0 ]; then
  run apt-get update -qq
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_pkgs[@]}"
fi
as_owner=()
[ "$owner" != "$(id -un)" ] && as_owner=(runuser -u "$owner" --)

step "build (once: the SQLite addon is compiled from source; 5-10 minutes on a Raspberry Pi 3, ~2 on a Pi 4/5)"
# shellcheck source=scripts/npm-env.sh
. scripts/npm-env.sh
run "${as_owner[@]}" npm ci --no-audit --no-fund
run "${as_owner[@]}" npm run build

step "install to $prefix (the production dependencies; the addon built above is copied, not built again)"
run mkdir -p "$prefix"
run rm -rf "$prefix/dist" "$prefix/firmware-config"
run cp -r dist firmware-config systemd package.json package-lock.json README.md "$prefix/"
run sh -c "cd '$prefix' && npm ci --omit=dev --ignore-scripts --no-audit --no-fund"
run cp -r node_modules/better-sqlite3/build "$prefix/node_modules/better-sqlite3/"
run chown -R root:root "$prefix"
run chmod +x "$prefix/dist/cli/main.js"
run ln -sf "$prefix/dist/cli/main.js" /usr/local/bin/edge-sms-agent

step "user"
if ! id edge-sms >/dev/null 2>&1; then
  run useradd --system --no-create-home --home-dir /var/lib/edge-sms-agent --shell /usr/sbin/nologin edge-sms
fi
run usermod -a -G dialout edge-sms

step "config"
run mkdir -p "$confdir"
if [ ! -f "$confdir/config.yaml" ]; then
  run install -m 0640 -o root -g edge-sms "$repo/firmware-config/agent/config.example.yaml" "$confdir/config.yaml"
  echo "installed the example config: edit $confdir/config.yaml (SMSC URL, modem port, MQTT) before starting"
else
  echo "keeping the existing $confdir/config.yaml"
fi

if [ "$mm" -eq 1 ]; then
  step "ModemManager: keep it off the agent's modem port"
  if [ -z "$modem_port" ] && [ -f "$confdir/config.yaml" ] && [ "$dry" -eq 0 ]; then
    modem_port=$(node -e 'const y=require(process.argv[1]);const c=y.parse(require("fs").readFileSync(process.argv[2],"utf8"))||{};process.stdout.write(String((c.modem||{}).port||""))' "$prefix/node_modules/yaml" "$confdir/config.yaml" 2>/dev/null || true)
  fi
  port_name=$(basename "${modem_port:-/dev/ttyUSB2}")
  decide "udev rule for ${port_name} in ${udev_rule}"
  rule="# Written by edge-sms-agent's install.sh: ModemManager must not probe or hold the agent's modem port.
ACTION==\"add|change\", SUBSYSTEM==\"tty\", KERNEL==\"${port_name}\", ENV{ID_MM_DEVICE_IGNORE}=\"1\""
  if [ "$dry" -eq 1 ]; then printf 'would write %s:\n%s\n' "$udev_rule" "$rule"; else printf '%s\n' "$rule" > "$udev_rule"; fi
  run udevadm control --reload
  run udevadm trigger --subsystem-match=tty --action=change
fi

step "console token"
# The web console's LAN door (console.lan, off until configured) needs a token: made once, here,
# readable by root and the agent only; `edge-sms-agent status` run as root shows it.
if [ "$dry" -eq 1 ]; then
  decide "console token in $confdir/console.token (made once, root:edge-sms 0640)"
elif [ ! -s "$confdir/console.token" ]; then
  (umask 077 && head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' > "$confdir/console.token")
  echo "made the console token in $confdir/console.token"
else
  echo "keeping the existing console token"
fi
if [ "$dry" -eq 0 ]; then
  chown root:edge-sms "$confdir/console.token"
  chmod 0640 "$confdir/console.token"
fi

step "systemd"
run install -m 0644 systemd/edge-sms-agent.service /etc/systemd/system/edge-sms-agent.service
run systemctl daemon-reload
run systemctl enable edge-sms-agent.service
if [ "$start" -eq 1 ]; then run systemctl restart edge-sms-agent.service; fi
echo
if [ "$dry" -eq 1 ]; then echo "dry run: nothing was changed."; exit 0; fi
echo "installed. Start with: sudo systemctl start edge-sms-agent   logs: journalctl -u edge-sms-agent -f"
