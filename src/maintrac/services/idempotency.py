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


def caller_key(subject: str, key: str) -> str:
    """The stored form of a caller's key: keys are per caller (and per tenant, by RLS), so
    one user's key never replays another user's response."""
    return hashlib.sha256(f"{subject}\x00{key}".encode()).hexdigest()


def request_hash(operation: str, path: str, body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{operation}\n{path}\n{canonical}".encode()).hexdigest()


def begin(
    session: TenantSession, key: str, operation: str, fingerprint: str
) -> StoredResponse | None:
    """Claim ``key``; a stored response when this is a replay of the same request.

    Raises IdempotencyKeyReused when the key was used for a different request.
    """
    now = datetime.now(UTC)
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
