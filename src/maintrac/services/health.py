"""Readiness of the service's dependencies, for ``/readyz``.

The database is required: without it nothing can be served. Redis is not: it carries jobs
(which wait in the outbox while it is down) and the reference-data cache (which falls back
to PostgreSQL), so Redis down is *degraded*, not down.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import redis

from maintrac.db.transaction import Database


@dataclass(frozen=True, slots=True)
class Check:
    up: bool
    latency_ms: float
    error: str | None = None


def check_database(database: Database) -> Check:
    started = time.perf_counter()
    try:
        database.ping()
    except Exception as exc:  # noqa: BLE001 - any failure is "down"; its class is reported
        return Check(False, _ms(started), type(exc).__name__)
    return Check(True, _ms(started))


def check_redis(url: str, timeout: float) -> Check:
    started = time.perf_counter()
    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        client.ping()
    except (redis.RedisError, OSError) as exc:
        return Check(False, _ms(started), type(exc).__name__)
    finally:
        client.close()
    return Check(True, _ms(started))


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
