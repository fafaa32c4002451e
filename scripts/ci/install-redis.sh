#!/usr/bin/env bash
# CI (run by .ci/run as root in a fresh clone, before `make test`): Debian's redis-server,
# for tests/jobs/, which start a private redis-server on a free port per test (the
# machine's Redis on 6379 is never used by tests). Does nothing when it is installed.
set -euo pipefail

if command -v redis-server >/dev/null 2>&1; then
  echo "install-redis: $(redis-server --version | cut -d' ' -f1-3) already installed"
  exit 0
fi

echo "install-redis: installing redis-server (Debian)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends redis-server >/dev/null
# Debian's package may start a service on 6379; the tests do not need it.
echo "install-redis: $(redis-server --version | cut -d' ' -f1-3)"
