#!/usr/bin/env bash
# The SDK tools CI needs beyond the venv: Node.js 20+ and clients/typescript's pinned npm
# packages (openapi-typescript, openapi-fetch, typescript), used by `make check`
# (sdk-fresh, sdk-typecheck) and tests/sdk/test_typescript_sdk.py. The Python generator
# (openapi-python-client) goes into the venv through make.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "sdk: installing nodejs and npm"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "sdk: Node.js 20 or newer is needed, found $(node --version)" >&2
  exit 1
fi

cd clients/typescript
npm ci --no-audit --no-fund --loglevel=error
echo "sdk: node $(node --version), npm $(npm --version), clients/typescript ready"
