"""Engine factory: one pool per process, psycopg 3."""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine

from maintrac.db.deadline import RoundTripWatchdog


@dataclass(frozen=True, slots=True)
class Waits:
    """Every bound on waiting for the database (seconds unless named ``_ms``).

    ``statement_ms``/``lock_ms`` are set per transaction (``set_config(..., true)``, safe
    behind PgBouncer); the others are connection options and the round-trip watchdog
    (``db/deadline.py``), whose limit is the statement timeout plus ``grace``.
    """

    connect: int = 3
    pool: float = 3.0
    statement_ms: int = 5000
    lock_ms: int = 2000
    grace: float = 1.0
    keepalives_idle: int = 10
    keepalives_interval: int = 5
    keepalives_count: int = 3
    max_overflow: int = 0

    @property
    def round_trip(self) -> float:
        return self.statement_ms / 1000 + self.grace


def make_engine(
    url: str, *, pool_size: int = 10, pgbouncer: bool = False, waits: Waits | None = None
) -> Engine:
    """An engine for ``url``.

    ``pgbouncer``: PgBouncer 1.18 in transaction mode cannot keep server-side prepared
    statements, so psycopg must never prepare (``prepare_threshold=None``). Nothing else
    changes: the tenant is set per transaction with ``set_config(..., true)``.

    Sizing rule: processes x (``pool_size`` + ``max_overflow``) must stay within what the
    server (``max_connections`` minus reserved and other clients) or PgBouncer's pool
    allows; overflow is 0 unless configured, so the bound is exact.
    """
    waits = waits or Waits()
    connect_args: dict[str, Any] = {
        "application_name": "maintrac",
        "connect_timeout": waits.connect,
        "keepalives": 1,
        "keepalives_idle": waits.keepalives_idle,
        "keepalives_interval": waits.keepalives_interval,
        "keepalives_count": waits.keepalives_count,
        # Unacknowledged sent data (a partitioned network) fails after this long.
        "tcp_user_timeout": int(waits.round_trip * 1000) + 1000,
    }
    if pgbouncer:
        connect_args["prepare_threshold"] = None
    engine = create_engine(
        url,
        # Bound values never appear in error texts (logs, Sentry, spans, job_failures).
        hide_parameters=True,
        pool_size=pool_size,
        max_overflow=waits.max_overflow,
        pool_timeout=waits.pool,
        pool_recycle=1800,
        connect_args=connect_args,
    )
    _WAITS[engine] = waits
    RoundTripWatchdog(waits.round_trip).install(engine)
    return engine


_WAITS: weakref.WeakKeyDictionary[Engine, Waits] = weakref.WeakKeyDictionary()


def waits_of(engine: Engine) -> Waits:
    """The bounds ``engine`` was made with (the defaults for an engine made elsewhere)."""
    return _WAITS.get(engine) or Waits()
