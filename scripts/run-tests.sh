#!/usr/bin/env bash
# Runs the test suite with node's own runner (TypeScript through tsx).
# Usage: scripts/run-tests.sh [PATH_OR_GLOB ...]   (default: every test/**/*.test.ts)
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s globstar nullglob
if [ "$#" -gt 0 ]; then files=("$@"); else files=(test/**/*.test.ts); fi
if [ "${#files[@]}" -eq 0 ]; then echo "run-tests: no test files found" >&2; exit 1; fi
# Each file runs in its own process; two at a time fits this 2-core machine and keeps
# the real-server tests (Mosquitto, SMSC, pseudo-terminals) from starving each other.
exec node --import tsx --test --test-concurrency="${TEST_CONCURRENCY:-2}" --test-timeout="${TEST_TIMEOUT_MS:-300000}" \
  --test-reporter=spec "${files[@]}"
