#!/usr/bin/env bash
# CI (run by .ci/run as root in a fresh clone, before `make test`): install the contract
# gates' npm tools (Spectral) from tools/contract/package-lock.json, exactly as pinned.
# Developers get the same through `make contract-tools` (make check runs it when needed).
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v npm >/dev/null 2>&1; then
  echo "install-node-tools: installing nodejs and npm (Debian)"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

# Spectral needs Node ^18.18 or >= 20.17.
node -e 'const [a, b] = process.versions.node.split(".").map(Number);
  if (!(a > 20 || (a === 20 && b >= 17) || (a === 18 && b >= 18))) {
    console.error(`install-node-tools: Node ${process.versions.node} is too old for Spectral (needs 18.18+ or 20.17+)`);
    process.exit(1);
  }'

# --ignore-scripts: nothing in the tree needs an install script (and none may download).
(cd tools/contract && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
tools/contract/node_modules/.bin/spectral --version >/dev/null
echo "install-node-tools: Spectral $(tools/contract/node_modules/.bin/spectral --version) in tools/contract"
