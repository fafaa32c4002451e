"""Cluster-level set-up a DBA does once: the two roles and the database.

Used by ``maintrac dev`` and the tests with a superuser URL. In production the same
statements are run by whoever administers the cluster (see README, "Production").
"""

from __future__ import annotations

import re
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import URL

from maintrac.db.ddl import APP_ROLE, OWNER_ROLE

_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
MIGRATIONS_DIR = Path(__file__).resolve().parents[3] / "migrations"


def _ident(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"not a safe SQL identifier: {name!r}")
    return name


def role_urls(admin_url: str, database: str) -> tuple[URL, URL]:
    """(owner URL, app URL) for ``database`` on the admin URL's server."""
    base = make_url(admin_url).set(database=database, password=None)
    return base.set(username=OWNER_ROLE), base.set(username=APP_ROLE)


def ensure_roles_and_database(admin_url: str, database: str) -> None:
    """Create the owner and app roles and ``database`` when missing (idempotent)."""
    database = _ident(database)
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            roles = set(conn.scalars(text("SELECT rolname FROM pg_roles")))
            if OWNER_ROLE not in roles:
                conn.execute(text(f"CREATE ROLE {OWNER_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS"))
            if APP_ROLE not in roles:
                conn.execute(
                    text(
                        f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS "
                        "NOCREATEDB NOCREATEROLE"
                    )
                )
            # A runaway query must not hold a pooled connection forever.
            conn.execute(text(f"ALTER ROLE {APP_ROLE} SET statement_timeout = '15s'"))
            exists = conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": database}
            )
            if not exists:
                conn.execute(text(f"CREATE DATABASE {database} OWNER {OWNER_ROLE}"))
    finally:
        engine.dispose()
    db_engine = create_engine(
        make_url(admin_url).set(database=database), isolation_level="AUTOCOMMIT"
    )
    try:
        with db_engine.connect() as conn:
            conn.execute(text("REVOKE ALL ON SCHEMA public FROM PUBLIC"))
            # No temporary objects: nothing the service creates can shadow a table.
            conn.execute(text(f"REVOKE TEMPORARY ON DATABASE {database} FROM PUBLIC"))
            conn.execute(text(f"GRANT ALL ON SCHEMA public TO {OWNER_ROLE}"))
            conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}"))
    finally:
        db_engine.dispose()


def drop_database(admin_url: str, database: str) -> None:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {_ident(database)} WITH (FORCE)"))
    finally:
        engine.dispose()


def alembic_config(owner_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["url"] = owner_url
    return config


def migrate(owner_url: str, revision: str = "head") -> None:
    """Upgrade the schema to ``revision`` as the owner role."""
    command.upgrade(alembic_config(owner_url), revision)
