"""Idempotency keys: a retried POST replays the first response instead of acting twice.

The key is claimed, the operation runs and its response is stored, all in the request's
one transaction: either the effect and the stored response both commit, or neither does.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from maintrac.core.errors import IdempotencyKeyReused
from maintrac.db import idempotency as repo
from maintrac.db.transaction import TenantSession

TTL = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status: int
    headers: dict[str, str]
    body: bytes


def caller_key(subject: str, key: str, operation: str) -> str:
    """The stored form of a caller's key: keys are per caller (and per tenant, by RLS), so
    one user's key never replays another user's response; and per operation, because a
    key makes a retry safe and a retry is always of the same operation (AWS scopes its
    client tokens the same way, per API action). The same key sent to another operation
    is a new request there; sent again to the same operation with another body or path,
    it is still a 422 idempotency-key-reused."""
    return hashlib.sha256(f"{subject}\x00{operation}\x00{key}".encode()).hexdigest()


def legacy_caller_key(subject: str, key: str) -> str:
    """The stored form before keys were per operation. Read (never written) so that a
    retry of a request made before that change still replays; keys live 24 hours, so
    this goes once every such key has expired."""
    return hashlib.sha256(f"{subject}\x00{key}".encode()).hexdigest()


def request_hash(operation: str, path: str, body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{operation}\n{path}\n{canonical}".encode()).hexdigest()


def begin(
    session: TenantSession,
    key: str,
    operation: str,
    fingerprint: str,
    legacy_key: str | None = None,
) -> StoredResponse | None:
    """Claim ``key``; a stored response when this is a replay of the same request.

    Raises IdempotencyKeyReused when the key was used for a different request of the
    operation. ``legacy_key`` (the key's stored form before keys were per operation) is
    looked at first, before anything is claimed, and counts only for its own operation.
    """
    now = datetime.now(UTC)
    if legacy_key is not None:
        old = repo.get_for_update(session, legacy_key)
        if old is not None and old.expires_at > now and old.operation == operation:
            if old.request_hash != fingerprint:
                raise IdempotencyKeyReused(
                    "This Idempotency-Key was already used for a different request.",
                )
            if old.status_code is not None and old.response_body is not None:
                return StoredResponse(
                    old.status_code, dict(old.response_headers or {}), old.response_body
                )
    if repo.claim(session, key, operation, fingerprint, now + TTL):
        return None
    row = repo.get_for_update(session, key)
    if row is None:  # the other request rolled back and its claim vanished: start over
        if not repo.claim(session, key, operation, fingerprint, now + TTL):
            raise IdempotencyKeyReused("This Idempotency-Key is in use by another request.")
        return None
    if row.expires_at <= now:
        repo.restart(session, key, operation, fingerprint, now + TTL)
        return None
    if row.request_hash != fingerprint or row.operation != operation:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was already used for a different request.",
        )
    if row.status_code is None or row.response_body is None:
        # Claimed but not finished can only be seen by the same transaction; treat as new.
        return None
    return StoredResponse(row.status_code, dict(row.response_headers or {}), row.response_body)


def finish(session: TenantSession, key: str, response: StoredResponse) -> None:
    repo.store(session, key, response.status, response.headers, response.body)
