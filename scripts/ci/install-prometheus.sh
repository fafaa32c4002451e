#!/usr/bin/env bash
# CI (run by .ci/run as root before `make test`): Debian's prometheus package, for promtool
# (rule checks in `make check`) and the real Prometheus that tests/observability scrapes
# the API with. Does nothing when both are already installed.
set -euo pipefail

if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
  echo "install-prometheus: $(prometheus --version 2>&1 | head -1) already installed"
  exit 0
fi
echo "install-prometheus: installing prometheus (Debian)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends prometheus >/dev/null
# The package starts a server of its own where an init system runs; tests start theirs.
if command -v service >/dev/null 2>&1; then service prometheus stop >/dev/null 2>&1 || true; fi
echo "install-prometheus: $(prometheus --version 2>&1 | head -1)"
