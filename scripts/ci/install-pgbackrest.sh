#!/usr/bin/env bash
# CI (run as root in a fresh clone, before `make test`): install pgBackRest, Debian's
# package (2.45 on bookworm), for the restore drill (tests/ops/test_restore_drill.py,
# `make drill-restore`). The drill also needs PostgreSQL's server binaries (initdb,
# pg_ctl: Debian's postgresql package) and, as root, the 'postgres' OS user they bring.
set -euo pipefail

if ! command -v pgbackrest >/dev/null 2>&1; then
  echo "install-pgbackrest: installing pgbackrest (Debian)"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends pgbackrest >/dev/null
fi

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "install-pgbackrest: installing the PostgreSQL server binaries (Debian)"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi

echo "install-pgbackrest: $(pgbackrest version)"
