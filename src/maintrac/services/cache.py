"""The reference-data cache: asset categories, task codes and GL codes read through Redis.

Rules (the decision record's):

- Only reference data is cached. Work orders, work log entries, readings and anything
  else that changes with the work are always read from PostgreSQL.
- Keys are namespaced per tenant (``maintrac:ref:v1:{tenant}:{kind}:...``), and the tenant
  in the key is the one the transaction set for RLS, never a value from the request:
  one tenant's entries can never answer another's read.
- Entries live one hour (``CACHE_TTL_SECONDS``).
- Every write to reference data invalidates its kind for its tenant **after the
  transaction commits** (a rollback invalidates nothing, and a reader can never cache
  what is about to be rolled back). Invalidation bumps a per-(tenant, kind) generation
  number that is part of every key: a reader that loaded from the database before the
  commit stores its value under the old generation, which no later read looks at, so a
  write is visible in the next read even when a read and a write race.
- Redis is an optimisation, never a dependency: connect and read timeouts are short
  (``CACHE_SOCKET_TIMEOUT``), any Redis error makes the read go to PostgreSQL, and after
  an error the cache is bypassed for ``_BREAKER_SECONDS`` so a dead Redis costs one
  timeout, not one per request. A failed invalidation also deletes nothing it cannot
  reach; the TTL bounds how long such an entry can live, and the generation is bumped
  with an expiry so it is never older than the entries it guards.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Final, TypeVar

import redis

from maintrac.config import Settings
from maintrac.core.pagination import Page
from maintrac.core.reference_data import ReferenceItem, ReferenceKind
from maintrac.db.hooks import after_commit, session_tenant
from maintrac.db.transaction import TenantSession

log = logging.getLogger("maintrac.cache")

PREFIX: Final = "maintrac:ref:v1"
_BREAKER_SECONDS: Final = 5.0

T = TypeVar("T")


@dataclass
class ReferenceCache:
    """A read-through cache on one Redis (``None``: caching is off)."""

    client: redis.Redis | None
    ttl: int = 3600
    _down_until: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # ------------------------------------------------------------ plumbing

    def _usable(self) -> redis.Redis | None:
        if self.client is None or time.monotonic() < self._down_until:
            return None
        return self.client

    def _failed(self, exc: Exception) -> None:
        with self._lock:
            self._down_until = time.monotonic() + _BREAKER_SECONDS
        log.warning("cache bypassed for %.0f s: %s", _BREAKER_SECONDS, exc)

    @staticmethod
    def _generation_key(tenant: uuid.UUID, kind: ReferenceKind) -> str:
        return f"{PREFIX}:{tenant}:{kind.value}:gen"

    def read_through(
        self,
        session: TenantSession,
        kind: ReferenceKind,
        what: str,
        load: Callable[[], T],
        *,
        encode: Callable[[T], Any],
        decode: Callable[[Any], T],
    ) -> T:
        """``load()`` (from PostgreSQL) unless the tenant's cache holds ``what``."""
        client = self._usable()
        if client is None:
            return load()
        tenant = session_tenant(session)
        try:
            generation = int(client.get(self._generation_key(tenant, kind)) or 0)
            key = f"{PREFIX}:{tenant}:{kind.value}:{generation}:{what}"
            cached = client.get(key)
        except redis.RedisError as exc:
            self._failed(exc)
            return load()
        if cached is not None:
            return decode(json.loads(cached))
        value = load()
        try:
            client.set(key, json.dumps(encode(value), default=str), ex=self.ttl)
        except redis.RedisError as exc:
            self._failed(exc)
        return value

    def invalidate_after_commit(self, session: TenantSession, kind: ReferenceKind) -> None:
        """Invalidate the tenant's ``kind`` once this transaction commits."""
        if self.client is None:
            return
        tenant = session_tenant(session)
        key = self._generation_key(tenant, kind)

        def bump() -> None:
            client = self.client
            if client is None:
                return
            try:
                with client.pipeline(transaction=True) as pipe:
                    pipe.incr(key)
                    pipe.expire(key, self.ttl * 2)
                    pipe.execute()
            except redis.RedisError as exc:
                # Redis unreachable now: entries it holds expire within the TTL.
                self._failed(exc)

        after_commit(session, bump)


# ------------------------------------------------------------ the process's cache

_cache = ReferenceCache(None)
_cache_lock = threading.Lock()


def configure(settings: Settings) -> ReferenceCache:
    """Build this process's cache from the settings (``CACHE_ENABLED``, ``REDIS_URL``,
    ``CACHE_TTL_SECONDS``, ``CACHE_SOCKET_TIMEOUT``); ``open_runtime`` calls it. Until then
    caching is off."""
    client = None
    if settings.cache_enabled:
        client = redis.Redis.from_url(
            settings.redis_url,
            socket_connect_timeout=settings.cache_socket_timeout,
            socket_timeout=settings.cache_socket_timeout,
            retry_on_timeout=False,
        )
    cache = ReferenceCache(client, ttl=settings.cache_ttl_seconds)
    use_cache(cache)
    return cache


def reference_cache() -> ReferenceCache:
    """This process's cache."""
    return _cache


def use_cache(cache: ReferenceCache) -> None:
    """Replace this process's cache (tests and benchmarks point it at their own Redis)."""
    global _cache  # noqa: PLW0603  # one client (one connection pool) per process
    with _cache_lock:
        _cache = cache


# ------------------------------------------------------------ reference items as JSON


def encode_item(item: ReferenceItem) -> dict[str, Any]:
    return asdict(item)


def decode_item(data: dict[str, Any]) -> ReferenceItem:
    return ReferenceItem(
        id=uuid.UUID(data["id"]),
        code=data["code"],
        name=data["name"],
        description=data["description"],
        version=int(data["version"]),
        created_at=datetime.fromisoformat(data["created_at"]),
        updated_at=datetime.fromisoformat(data["updated_at"]),
    )


def encode_page(page: Page[ReferenceItem]) -> dict[str, Any]:
    return {"items": [encode_item(i) for i in page.items], "next_cursor": page.next_cursor}


def decode_page(data: dict[str, Any]) -> Page[ReferenceItem]:
    return Page([decode_item(i) for i in data["items"]], data["next_cursor"])
