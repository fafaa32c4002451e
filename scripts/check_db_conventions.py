"""`make check` gate: build a scratch database with the real migrations and lint its catalog.

Uses the server at ADMIN_DATABASE_URL (default postgres@127.0.0.1:5432), or an embedded
cluster in .data/check when none is reachable; the scratch database is dropped afterwards.
"""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

from maintrac.cli.devenv import find_or_start
from maintrac.db.bootstrap import drop_database, ensure_roles_and_database, migrate, role_urls
from maintrac.db.conventions import main as lint


def run() -> int:
    admin = os.environ.get(
        "ADMIN_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    server = find_or_start(admin, Path(__file__).resolve().parents[1] / ".data" / "check")
    name = f"maintrac_lint_{uuid.uuid4().hex[:12]}"
    ensure_roles_and_database(server.admin_url, name)
    try:
        owner, _ = role_urls(server.admin_url, name)
        owner_url = owner.render_as_string(hide_password=False)
        migrate(owner_url)
        return lint(["--database-url", owner_url])
    finally:
        drop_database(server.admin_url, name)


if __name__ == "__main__":
    sys.exit(run())
