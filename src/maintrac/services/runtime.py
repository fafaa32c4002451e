"""Process-wide resources the service layer runs on (the database pool), built from settings."""

from __future__ import annotations

from dataclasses import dataclass

from maintrac.config import Settings
from maintrac.db.engine import Waits, make_engine
from maintrac.db.transaction import Database
from maintrac.services import cache


@dataclass
class Runtime:
    database: Database

    def close(self) -> None:
        self.database.dispose()


def open_runtime(settings: Settings) -> Runtime:
    engine = make_engine(
        settings.database_url,
        pool_size=settings.database_pool_size,
        pgbouncer=settings.database_pgbouncer,
        waits=waits(settings),
    )
    cache.configure(settings)  # the reference-data cache (off when CACHE_ENABLED=false)
    return Runtime(database=Database(engine))


def waits(settings: Settings) -> Waits:
    """The database waits configured in ``settings``."""
    return Waits(
        connect=settings.database_connect_timeout_seconds,
        pool=settings.database_pool_timeout_seconds,
        statement_ms=settings.database_statement_timeout_ms,
        lock_ms=settings.database_lock_timeout_ms,
        grace=settings.database_deadline_grace_seconds,
        keepalives_idle=settings.database_keepalives_idle_seconds,
        keepalives_interval=settings.database_keepalives_interval_seconds,
        keepalives_count=settings.database_keepalives_count,
        max_overflow=settings.database_max_overflow,
    )
