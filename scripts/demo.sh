#!/usr/bin/env bash
# The README's first command: installs the npm dependencies when needed and runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 20 ]; then
  echo "demo.sh: Node.js >= 20 is needed (found: $(node --version 2>/dev/null || echo none))." >&2
  exit 1
fi
[ -d node_modules ] || npm ci --no-audit --no-fund
exec node --import tsx src/cli/main.ts demo "$@"
