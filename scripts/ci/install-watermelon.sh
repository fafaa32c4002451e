#!/usr/bin/env bash
# Node packages of the offline-sync end-to-end test with the real client
# (tests/watermelon: @nozbe/watermelondb, pinned by its package-lock.json), used by
# tests/watermelon/test_watermelon_e2e.py. Needs Node.js 20+ and npm. Quiet; does nothing
# when node_modules is already up to date with the lock file.
set -euo pipefail
cd "$(dirname "$0")/../../tests/watermelon"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "watermelon: installing nodejs and npm"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "watermelon: Node.js 20 or newer is needed, found $(node --version)" >&2
  exit 1
fi

stamp=node_modules/.package-lock.json
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ] && [ "$stamp" -nt package.json ]; then
  echo "watermelon: tests/watermelon/node_modules is up to date"
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error >/dev/null
touch "$stamp"
echo "watermelon: node $(node --version), @nozbe/watermelondb $(node -p 'require("@nozbe/watermelondb/package.json").version') ready"
