"""Alembic environment: runs every migration as the schema owner, in one transaction."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from maintrac.config import get_settings

config = context.config
url = config.attributes.get("url") or get_settings().migration_database_url


def run_migrations_online() -> None:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, transaction_per_migration=False)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    context.configure(url=url, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
