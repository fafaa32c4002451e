"""Stored responses of POSTs sent with an Idempotency-Key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from maintrac.core.ids import new_id
from maintrac.db.models import IdempotencyKeyRow
from maintrac.db.paging import CURRENT_TENANT
from maintrac.db.transaction import TenantSession


@dataclass(frozen=True, slots=True)
class ClaimedKey:
    """An idempotency key as stored: the request it was claimed for, and the response
    once that request finished (None while it runs)."""

    operation: str
    request_hash: str
    expires_at: datetime
    status_code: int | None
    response_headers: dict[str, Any] | None
    response_body: bytes | None


def _claimed(row: IdempotencyKeyRow) -> ClaimedKey:
    return ClaimedKey(
        row.operation,
        row.request_hash,
        row.expires_at,
        row.status_code,
        row.response_headers,
        row.response_body,
    )


def claim(
    session: TenantSession, key: str, operation: str, request_hash: str, expires_at: datetime
) -> bool:
    """Insert the key as in-flight; False when it already exists.

    A concurrent request with the same key blocks here until the first one commits (or
    rolls back), and then sees its stored response.
    """
    statement = (
        pg_insert(IdempotencyKeyRow)
        .values(
            tenant_id=CURRENT_TENANT,
            id=new_id(),
            key=key,
            operation=operation,
            request_hash=request_hash,
            expires_at=expires_at,
        )
        .on_conflict_do_nothing(index_elements=[IdempotencyKeyRow.tenant_id, IdempotencyKeyRow.key])
        .returning(IdempotencyKeyRow.id)
    )
    return session.execute(statement).first() is not None


def get_for_update(session: TenantSession, key: str) -> ClaimedKey | None:
    statement = select(IdempotencyKeyRow).where(IdempotencyKeyRow.key == key).with_for_update()
    row = session.scalars(statement).one_or_none()
    return None if row is None else _claimed(row)


def restart(
    session: TenantSession, key: str, operation: str, request_hash: str, expires_at: datetime
) -> None:
    """Reuse an expired key for a new request."""
    session.execute(
        update(IdempotencyKeyRow)
        .where(IdempotencyKeyRow.key == key)
        .values(
            operation=operation,
            request_hash=request_hash,
            expires_at=expires_at,
            status_code=None,
            response_headers=None,
            response_body=None,
        )
    )


def store(
    session: TenantSession, key: str, status: int, headers: dict[str, Any], body: bytes
) -> None:
    session.execute(
        update(IdempotencyKeyRow)
        .where(IdempotencyKeyRow.key == key)
        .values(status_code=status, response_headers=headers, response_body=body)
    )
