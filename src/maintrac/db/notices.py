"""Queries for e-mail notices: notification records, recipients, what a mail shows.

Everything runs as the app role under RLS in the current tenant's transaction.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, text

from maintrac.core.ids import new_id
from maintrac.core.notices import (
    Kind,
    Notification,
    NotificationPreferences,
    Person,
    Status,
    TenantFacts,
    WorkOrderFacts,
)
from maintrac.db.transaction import TenantSession


def insert(
    session: TenantSession,
    *,
    event_id: uuid.UUID,
    kind: Kind,
    recipient_id: uuid.UUID,
    work_order_id: uuid.UUID | None,
    payload: dict[str, Any],
    status: Status = Status.QUEUED,
    last_error: str | None = None,
) -> uuid.UUID | None:
    """A new record, or None when (event, recipient) already has one."""
    return session.execute(
        text(
            "INSERT INTO notifications (tenant_id, id, event_id, kind, recipient_id, "
            "work_order_id, payload, status, last_error) VALUES "
            "(NULLIF(current_setting('app.current_tenant', true), '')::uuid, :id, :event, "
            ":kind, :recipient, :work_order, CAST(:payload AS jsonb), :status, :error) "
            "ON CONFLICT ON CONSTRAINT uq_notifications_event_recipient DO NOTHING RETURNING id"
        ),
        {
            "id": new_id(),
            "event": event_id,
            "kind": kind.value,
            "recipient": recipient_id,
            "work_order": work_order_id,
            "payload": json.dumps(payload, default=str, sort_keys=True),
            "status": status.value,
            "error": last_error,
        },
    ).scalar_one_or_none()


def people(session: TenantSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Person]:
    """The users among ``ids`` (a deleted user counts as deactivated)."""
    if not ids:
        return {}
    rows = session.execute(
        text(
            "SELECT id, display_name, email, active AND deleted_at IS NULL AS active, "
            "notification_preferences FROM users WHERE id = ANY(CAST(:ids AS uuid[]))"
        ),
        {"ids": list(ids)},
    )
    return {row.id: _person(row) for row in rows}


def _person(row: Row[Any]) -> Person:
    return Person(
        id=row.id,
        display_name=row.display_name,
        email=row.email,
        active=bool(row.active),
        preferences=NotificationPreferences.from_stored(row.notification_preferences),
    )


def creator_of(session: TenantSession, work_order_id: uuid.UUID) -> uuid.UUID | None:
    """Who created the work order (the actor of its ``created`` history entry)."""
    value = session.execute(
        text(
            "SELECT actor_id FROM work_order_events WHERE work_order_id = :id "
            "AND type = 'created' ORDER BY occurred_at LIMIT 1"
        ),
        {"id": work_order_id},
    ).scalar_one_or_none()
    return value if isinstance(value, uuid.UUID) else None


def get(
    session: TenantSession, notification_id: uuid.UUID, *, lock: bool = False
) -> Notification | None:
    row = session.execute(
        text(
            "SELECT * FROM notifications WHERE id = :id AND deleted_at IS NULL FOR UPDATE"
            if lock
            else "SELECT * FROM notifications WHERE id = :id AND deleted_at IS NULL"
        ),
        {"id": notification_id},
    ).first()
    return None if row is None else _notification(row)


def for_event(session: TenantSession, event_id: uuid.UUID) -> list[Notification]:
    rows = session.execute(
        text("SELECT * FROM notifications WHERE event_id = :e ORDER BY id"), {"e": event_id}
    )
    return [_notification(row) for row in rows]


def _notification(row: Row[Any]) -> Notification:
    return Notification(
        id=row.id,
        event_id=row.event_id,
        kind=Kind(row.kind),
        recipient_id=row.recipient_id,
        work_order_id=row.work_order_id,
        payload=dict(row.payload),
        status=Status(row.status),
        attempts=int(row.attempts),
        last_error=row.last_error,
        message_id=row.message_id,
        sending_at=row.sending_at,
        sent_at=row.sent_at,
        created_at=row.created_at,
    )


def mark_sending(session: TenantSession, notification_id: uuid.UUID, message_id: str) -> None:
    session.execute(
        text(
            "UPDATE notifications SET status = 'sending', sending_at = now(), "
            "message_id = :mid WHERE id = :id"
        ),
        {"id": notification_id, "mid": message_id},
    )


def mark(
    session: TenantSession,
    notification_id: uuid.UUID,
    status: Status,
    *,
    error: str | None = None,
    attempted: bool = True,
) -> None:
    """Record the outcome of a try (``attempted``) or a decision not to try."""
    session.execute(
        text(
            "UPDATE notifications SET status = :status, last_error = left(:error, 2000), "
            "attempts = attempts + :tried, "
            "sent_at = CASE WHEN :status = 'sent' THEN now() ELSE sent_at END "
            "WHERE id = :id"
        ),
        {
            "id": notification_id,
            "status": status.value,
            "error": error,
            "tried": 1 if attempted else 0,
        },
    )


def tenant(session: TenantSession) -> TenantFacts:
    row = session.execute(
        text(
            "SELECT id, name, time_zone FROM tenants "
            "WHERE id = NULLIF(current_setting('app.current_tenant', true), '')::uuid"
        )
    ).one()
    return TenantFacts(row.id, row.name, row.time_zone)


def work_order(session: TenantSession, work_order_id: uuid.UUID) -> WorkOrderFacts | None:
    row = session.execute(
        text(
            "SELECT w.id, w.number, w.title, w.status, w.priority, w.due_at, w.assignee_id, "
            "a.name AS asset_name FROM work_orders w LEFT JOIN assets a "
            "ON a.tenant_id = w.tenant_id AND a.id = w.asset_id "
            "WHERE w.id = :id AND w.deleted_at IS NULL"
        ),
        {"id": work_order_id},
    ).first()
    return None if row is None else _facts(row)


def _facts(row: Row[Any]) -> WorkOrderFacts:
    return WorkOrderFacts(
        id=row.id,
        number=int(row.number),
        title=row.title,
        status=row.status,
        priority=row.priority,
        asset_name=row.asset_name,
        due_at=row.due_at,
    )


def overdue_by_assignee(
    session: TenantSession, now: datetime, *, limit_each: int
) -> dict[uuid.UUID, list[WorkOrderFacts]]:
    """Open work due before ``now``, per assignee, most overdue first (``limit_each`` at
    most per person)."""
    rows = session.execute(
        text(
            "SELECT * FROM (SELECT w.id, w.number, w.title, w.status, w.priority, w.due_at, "
            "w.assignee_id, a.name AS asset_name, row_number() OVER (PARTITION BY "
            "w.assignee_id ORDER BY w.due_at, w.number) AS n FROM work_orders w "
            "LEFT JOIN assets a ON a.tenant_id = w.tenant_id AND a.id = w.asset_id "
            "WHERE w.deleted_at IS NULL AND w.assignee_id IS NOT NULL AND w.due_at < :now "
            "AND w.status NOT IN ('complete', 'cancelled')) o WHERE o.n <= :limit "
            "ORDER BY o.assignee_id, o.n"
        ),
        {"now": now, "limit": limit_each},
    )
    found: dict[uuid.UUID, list[WorkOrderFacts]] = {}
    for row in rows:
        found.setdefault(row.assignee_id, []).append(_facts(row))
    return found
