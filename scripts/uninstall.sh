#!/usr/bin/env bash
# Removes edge-sms-agent's service and program. Keeps the config (/etc/edge-sms-agent) and the
# outbox database (/var/lib/edge-sms-agent) unless --purge is given. Run as root.
set -euo pipefail
purge=0
[ "${1:-}" = "--purge" ] && purge=1
[ "$(id -u)" -eq 0 ] || { echo "uninstall.sh: run as root" >&2; exit 1; }
systemctl disable --now edge-sms-agent.service 2>/dev/null || true
rm -f /etc/systemd/system/edge-sms-agent.service /usr/local/bin/edge-sms-agent
systemctl daemon-reload 2>/dev/null || true
rm -rf /opt/edge-sms-agent
if [ "$purge" -eq 1 ]; then
  rm -rf /etc/edge-sms-agent /var/lib/edge-sms-agent
  userdel edge-sms 2>/dev/null || true
  echo "removed edge-sms-agent, its config, its database and its user"
else
  echo "removed edge-sms-agent; kept /etc/edge-sms-agent and /var/lib/edge-sms-agent (use --purge to remove them)"
fi
