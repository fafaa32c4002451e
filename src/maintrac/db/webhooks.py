# ruff: noqa: S608 - SQL text interpolates only this module's constants and column names
"""Webhook endpoints and deliveries, and the per-work-order event sequence.

Tables of migration 0006 (``webhook_endpoints``, ``webhook_deliveries``), written as the
app role under RLS: every statement sees its own tenant's rows only.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import column, text

from maintrac.core.ids import new_id
from maintrac.core.webhooks import Attempt, DeliveryStatus, WebhookDelivery, WebhookEndpoint
from maintrac.db.ddl import CURRENT_TENANT
from maintrac.db.paging import Keyset, as_uuid, part
from maintrac.db.transaction import TenantSession


def work_order_sequence(session: TenantSession, work_order_id: uuid.UUID) -> int:
    """How many history entries the work order has, this transaction's included.

    Every change of a work order takes its row lock first (``FOR UPDATE``), so two
    transactions never count the same number: the count orders the work order's events
    as they committed. Entries are never deleted (the table is append-only).
    """
    return int(
        session.execute(
            text("SELECT count(*) FROM work_order_events WHERE work_order_id = :id"),
            {"id": work_order_id},
        ).scalar_one()
    )


def current_tenant(session: TenantSession) -> uuid.UUID:
    """The tenant the transaction is scoped to."""
    return uuid.UUID(
        str(session.execute(text("SELECT current_setting('app.current_tenant')")).scalar_one())
    )


# ---------------------------------------------------------------- endpoints

#: Endpoints and deliveries, newest first (ids are UUIDv7: id order is creation order).
ENDPOINTS_NEWEST_FIRST: Final[Keyset[WebhookEndpoint]] = Keyset(
    "-createdAt", (part(column("id"), as_uuid, lambda e: e.id),), descending=True
)
DELIVERIES_NEWEST_FIRST: Final[Keyset[WebhookDelivery]] = Keyset(
    "-createdAt", (part(column("id"), as_uuid, lambda d: d.id),), descending=True
)

_ENDPOINT_COLUMNS = (
    "id, url, event_types, enabled, description, disabled_reason, disabled_at, "
    "secret_rotated_at, version, created_at, updated_at"
)


def _endpoint(row: Any, secret: str | None = None) -> WebhookEndpoint:
    return WebhookEndpoint(
        id=row.id,
        url=row.url,
        event_types=tuple(row.event_types),
        enabled=row.enabled,
        description=row.description,
        disabled_reason=row.disabled_reason,
        disabled_at=row.disabled_at,
        secret_rotated_at=row.secret_rotated_at,
        version=int(row.version),
        created_at=row.created_at,
        updated_at=row.updated_at,
        secret=secret,
    )


def insert_endpoint(
    session: TenantSession,
    *,
    url: str,
    event_types: Sequence[str],
    enabled: bool,
    description: str | None,
    secret: str,
) -> WebhookEndpoint:
    row = session.execute(
        text(
            "INSERT INTO webhook_endpoints (tenant_id, id, url, event_types, enabled, "
            f"description, secret) VALUES ({CURRENT_TENANT}, :id, :url, :types, :enabled, "
            f":description, :secret) RETURNING {_ENDPOINT_COLUMNS}"
        ),
        {
            "id": new_id(),
            "url": url,
            "types": list(event_types),
            "enabled": enabled,
            "description": description,
            "secret": secret,
        },
    ).one()
    return _endpoint(row, secret)


def get_endpoint(
    session: TenantSession, endpoint_id: uuid.UUID, *, for_update: bool = False
) -> WebhookEndpoint | None:
    lock = " FOR UPDATE" if for_update else ""
    row = session.execute(
        text(
            f"SELECT {_ENDPOINT_COLUMNS} FROM webhook_endpoints "
            f"WHERE id = :id AND deleted_at IS NULL{lock}"
        ),
        {"id": endpoint_id},
    ).one_or_none()
    return None if row is None else _endpoint(row)


def list_endpoints(
    session: TenantSession, *, after: uuid.UUID | None, limit: int
) -> list[WebhookEndpoint]:
    rows = session.execute(
        text(
            f"SELECT {_ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE deleted_at IS NULL "
            "AND (CAST(:after AS uuid) IS NULL OR id < CAST(:after AS uuid)) "
            "ORDER BY id DESC LIMIT :limit"
        ),
        {"after": after, "limit": limit},
    )
    return [_endpoint(row) for row in rows]


def update_endpoint(
    session: TenantSession, endpoint_id: uuid.UUID, values: dict[str, Any]
) -> WebhookEndpoint:
    """``values``: column -> new value (column names are the caller's, never the user's)."""
    assignments = ", ".join(f"{column} = :{column}" for column in values)
    row = session.execute(
        text(
            f"UPDATE webhook_endpoints SET {assignments} WHERE id = :id AND deleted_at IS NULL "
            f"RETURNING {_ENDPOINT_COLUMNS}"
        ),
        {**values, "id": endpoint_id},
    ).one()
    return _endpoint(row)


def rotate_secret(
    session: TenantSession, endpoint_id: uuid.UUID, secret: str, keep_previous: timedelta
) -> WebhookEndpoint:
    row = session.execute(
        text(
            "UPDATE webhook_endpoints SET previous_secret = secret, "
            "previous_secret_expires_at = now() + :keep, secret = :secret, "
            "secret_rotated_at = now() WHERE id = :id AND deleted_at IS NULL "
            f"RETURNING {_ENDPOINT_COLUMNS}"
        ),
        {"id": endpoint_id, "secret": secret, "keep": keep_previous},
    ).one()
    return _endpoint(row, secret)


def subscribed_endpoint_ids(session: TenantSession, event_type: str) -> list[uuid.UUID]:
    """Enabled live endpoints that want ``event_type``."""
    rows = session.execute(
        text(
            "SELECT id FROM webhook_endpoints WHERE deleted_at IS NULL AND enabled "
            "AND :type = ANY (event_types) ORDER BY id"
        ),
        {"type": event_type},
    )
    return [row.id for row in rows]


@dataclass(frozen=True, slots=True)
class Target:
    """What an attempt needs of its endpoint."""

    url: str
    enabled: bool
    deleted: bool
    secrets: tuple[str, ...]


def target(session: TenantSession, endpoint_id: uuid.UUID) -> Target:
    row = session.execute(
        text(
            "SELECT url, enabled, deleted_at IS NOT NULL AS deleted, secret, "
            "CASE WHEN previous_secret_expires_at > now() THEN previous_secret END AS previous "
            "FROM webhook_endpoints WHERE id = :id"
        ),
        {"id": endpoint_id},
    ).one()
    secrets = (row.secret,) if row.previous is None else (row.secret, row.previous)
    return Target(row.url, row.enabled, row.deleted, secrets)


def record_endpoint_result(
    session: TenantSession,
    endpoint_id: uuid.UUID,
    *,
    error: str | None,
    disable_after: timedelta,
) -> bool:
    """Track continuous failure; disable the endpoint once it lasted ``disable_after``.
    Returns True when this call disabled it."""
    if error is None:
        session.execute(
            text(
                "UPDATE webhook_endpoints SET failing_since = NULL "
                "WHERE id = :id AND failing_since IS NOT NULL"
            ),
            {"id": endpoint_id},
        )
        return False
    row = session.execute(
        text(
            "UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, now()), "
            "enabled = CASE WHEN enabled AND failing_since < now() - :after THEN false "
            "ELSE enabled END, "
            "disabled_at = CASE WHEN enabled AND failing_since < now() - :after THEN now() "
            "ELSE disabled_at END, "
            "disabled_reason = CASE WHEN enabled AND failing_since < now() - :after THEN "
            "'Every delivery failed since ' || to_char(failing_since AT TIME ZONE 'UTC', "
            "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') || ' (longer than ' || :after_text || "
            "'); the last error: ' || :error ELSE disabled_reason END "
            "WHERE id = :id RETURNING enabled, disabled_at = now() AS just_disabled"
        ),
        {
            "id": endpoint_id,
            "after": disable_after,
            "after_text": _duration(disable_after),
            "error": error[:500],
        },
    ).one()
    return bool(row.just_disabled)


def _duration(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    if seconds % 86400 == 0:
        return f"{seconds // 86400} d"
    if seconds % 3600 == 0:
        return f"{seconds // 3600} h"
    return f"{seconds} s"


# ---------------------------------------------------------------- deliveries

_DELIVERY_COLUMNS = (
    "id, endpoint_id, event_id, event_type, status, attempts, next_retry_at, last_error, "
    "created_at, updated_at"
)


def _delivery(row: Any) -> WebhookDelivery:
    return WebhookDelivery(
        id=row.id,
        endpoint_id=row.endpoint_id,
        event_id=row.event_id,
        event_type=row.event_type,
        status=DeliveryStatus(row.status),
        attempts=tuple(
            Attempt(
                attempted_at=datetime.fromisoformat(a["attemptedAt"]),
                status_code=a.get("statusCode"),
                duration_ms=int(a.get("durationMs", 0)),
                error=a.get("error"),
            )
            for a in row.attempts
        ),
        next_retry_at=row.next_retry_at,
        last_error=row.last_error,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def insert_delivery(
    session: TenantSession,
    *,
    delivery_id: uuid.UUID,
    endpoint_id: uuid.UUID,
    event: dict[str, Any],
    attempt_id: uuid.UUID,
) -> WebhookDelivery | None:
    """A new pending delivery whose first attempt is ``attempt_id``; None when the event
    was already owed to that endpoint."""
    row = session.execute(
        text(
            "INSERT INTO webhook_deliveries (tenant_id, id, endpoint_id, event_id, event_type, "
            f"payload, next_attempt_id, next_retry_at) VALUES ({CURRENT_TENANT}, :id, "
            ":endpoint, :event_id, :type, CAST(:payload AS jsonb), :attempt, now()) "
            "ON CONFLICT (tenant_id, event_id, endpoint_id) DO NOTHING "
            f"RETURNING {_DELIVERY_COLUMNS}"
        ),
        {
            "id": delivery_id,
            "endpoint": endpoint_id,
            "event_id": uuid.UUID(str(event["id"])),
            "type": event["type"],
            "payload": json.dumps(event, separators=(",", ":")),
            "attempt": attempt_id,
        },
    ).one_or_none()
    return None if row is None else _delivery(row)


def get_delivery(
    session: TenantSession, endpoint_id: uuid.UUID, delivery_id: uuid.UUID
) -> WebhookDelivery | None:
    row = session.execute(
        text(
            f"SELECT {_DELIVERY_COLUMNS} FROM webhook_deliveries "
            "WHERE id = :id AND endpoint_id = :endpoint"
        ),
        {"id": delivery_id, "endpoint": endpoint_id},
    ).one_or_none()
    return None if row is None else _delivery(row)


def list_deliveries(
    session: TenantSession, endpoint_id: uuid.UUID, *, after: uuid.UUID | None, limit: int
) -> list[WebhookDelivery]:
    rows = session.execute(
        text(
            f"SELECT {_DELIVERY_COLUMNS} FROM webhook_deliveries WHERE endpoint_id = :endpoint "
            "AND (CAST(:after AS uuid) IS NULL OR id < CAST(:after AS uuid)) "
            "ORDER BY id DESC LIMIT :limit"
        ),
        {"endpoint": endpoint_id, "after": after, "limit": limit},
    )
    return [_delivery(row) for row in rows]


@dataclass(frozen=True, slots=True)
class Claimed:
    """A delivery whose attempt may run now."""

    id: uuid.UUID
    endpoint_id: uuid.UUID
    payload: dict[str, Any]
    attempt_count: int
    window_started_at: datetime


def claim_attempt(
    session: TenantSession, delivery_id: uuid.UUID, attempt_id: uuid.UUID
) -> Claimed | None:
    """The pending delivery, locked, if ``attempt_id`` is its scheduled attempt."""
    row = session.execute(
        text(
            "SELECT id, endpoint_id, payload, attempt_count, window_started_at "
            "FROM webhook_deliveries WHERE id = :id AND status = 'pending' "
            "AND next_attempt_id = :attempt FOR UPDATE"
        ),
        {"id": delivery_id, "attempt": attempt_id},
    ).one_or_none()
    if row is None:
        return None
    return Claimed(
        row.id, row.endpoint_id, dict(row.payload), int(row.attempt_count), row.window_started_at
    )


def schedule_attempt(
    session: TenantSession,
    delivery_id: uuid.UUID,
    attempt_id: uuid.UUID,
    at: datetime,
    *,
    restart_window: bool = False,
) -> WebhookDelivery:
    row = session.execute(
        text(
            "UPDATE webhook_deliveries SET next_attempt_id = :attempt, next_retry_at = :at, "
            "status = 'pending', window_started_at = CASE WHEN :restart THEN now() "
            "ELSE window_started_at END WHERE id = :id "
            f"RETURNING {_DELIVERY_COLUMNS}"
        ),
        {"id": delivery_id, "attempt": attempt_id, "at": at, "restart": restart_window},
    ).one()
    return _delivery(row)


def record_attempt(
    session: TenantSession,
    delivery_id: uuid.UUID,
    attempt: Attempt,
    status: DeliveryStatus,
) -> None:
    """Append ``attempt``; a final ``status`` (succeeded, failed) clears the next attempt.

    A delivery already final (a manual retry raced it) keeps its status."""
    entry = {
        "attemptedAt": attempt.attempted_at.isoformat(),
        "statusCode": attempt.status_code,
        "durationMs": attempt.duration_ms,
        "error": attempt.error,
    }
    session.execute(
        text(
            "UPDATE webhook_deliveries SET attempts = attempts || CAST(:entry AS jsonb), "
            "attempt_count = attempt_count + 1, last_error = :error, "
            "status = CASE WHEN status = 'pending' THEN :status ELSE status END, "
            "next_attempt_id = CASE WHEN :final THEN NULL ELSE next_attempt_id END, "
            "next_retry_at = CASE WHEN :final THEN NULL ELSE next_retry_at END "
            "WHERE id = :id"
        ),
        {
            "id": delivery_id,
            "entry": json.dumps([entry]),
            "error": attempt.error,
            "status": status.value,
            "final": status is not DeliveryStatus.PENDING,
        },
    )


def fail_delivery(session: TenantSession, delivery_id: uuid.UUID, reason: str) -> None:
    session.execute(
        text(
            "UPDATE webhook_deliveries SET status = 'failed', last_error = :reason, "
            "next_attempt_id = NULL, next_retry_at = NULL WHERE id = :id AND status = 'pending'"
        ),
        {"id": delivery_id, "reason": reason},
    )
