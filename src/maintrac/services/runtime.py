"""Process-wide resources the service layer runs on (the database pool), built from settings."""

from __future__ import annotations

from dataclasses import dataclass

from maintrac.config import Settings
from maintrac.db.engine import make_engine
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
    )
    cache.configure(settings)  # the reference-data cache (off when CACHE_ENABLED=false)
    return Runtime(database=Database(engine))
