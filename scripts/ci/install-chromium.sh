#!/usr/bin/env bash
# CI (run by .ci/run as root in a fresh clone, before `make test`): Debian's Chromium, for
# tests/docs/test_docs_page.py, which drives it headless over the DevTools protocol (no
# chromedriver, no npm or pip package). Does nothing when a Chromium is already installed.
set -euo pipefail

for name in chromium chromium-browser; do
  if command -v "$name" >/dev/null 2>&1; then
    echo "install-chromium: $("$name" --version 2>/dev/null || echo "$name") already installed"
    exit 0
  fi
done

echo "install-chromium: installing chromium (Debian)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
echo "install-chromium: $(chromium --version 2>/dev/null)"
