"""Migrations run forwards and backwards on an empty database, as the owner role."""

from __future__ import annotations

import uuid

import psycopg
from alembic import command

from maintrac.db.bootstrap import (
    alembic_config,
    drop_database,
    ensure_roles_and_database,
    role_urls,
)
from tests.conftest import DatabaseUrls


def _tables(url: str) -> set[str]:
    with psycopg.connect(url.replace("+psycopg", "")) as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
    return {r[0] for r in rows}


def test_upgrade_downgrade_upgrade(database_urls: DatabaseUrls) -> None:
    admin = database_urls.admin.rsplit("/", 1)[0] + "/postgres"
    name = f"maintrac_mig_{uuid.uuid4().hex[:10]}"
    ensure_roles_and_database(admin, name)
    try:
        owner, _ = role_urls(admin, name)
        url = owner.render_as_string(hide_password=False)
        config = alembic_config(url)
        command.upgrade(config, "head")
        assert {"tenants", "tenant_counters", "work_orders"} <= _tables(url)
        command.downgrade(config, "base")
        assert _tables(url) == {"alembic_version"}
        command.upgrade(config, "head")
        assert "work_orders" in _tables(url)
    finally:
        drop_database(admin, name)
