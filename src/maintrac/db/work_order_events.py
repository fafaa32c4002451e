"""A work order's history: append-only events (the app role may only SELECT and INSERT)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from maintrac.core.ids import new_id
from maintrac.db.models import WorkOrderEventRow
from maintrac.db.paging import CURRENT_TENANT, after_key
from maintrac.db.transaction import TenantSession


def record_event(
    session: TenantSession,
    work_order_id: uuid.UUID,
    actor_id: uuid.UUID | None,
    type: str,  # the event's type, as the API names it
    changes: dict[str, Any],
    *,
    occurred_at: datetime | None = None,
    device_id: str | None = None,
) -> None:
    """``occurred_at``: when the change was made, when it is not now (an offline edit a
    device pushes later); last-write-wins compares it. ``device_id``: the device whose
    sync push made the change."""
    values: dict[str, Any] = {"device_id": device_id}
    if occurred_at is not None:
        values["occurred_at"] = occurred_at
    session.execute(
        insert(WorkOrderEventRow).values(
            tenant_id=CURRENT_TENANT,
            id=new_id(),
            work_order_id=work_order_id,
            actor_id=actor_id,
            type=type,
            changes=changes,
            **values,
        )
    )


def list_events(
    session: TenantSession, work_order_id: uuid.UUID, *, after: list[Any] | None, limit: int
) -> list[WorkOrderEventRow]:
    statement = select(WorkOrderEventRow).where(WorkOrderEventRow.work_order_id == work_order_id)
    statement = after_key(statement, [WorkOrderEventRow.id], after, descending=False)
    return list(session.scalars(statement.order_by(WorkOrderEventRow.id).limit(limit)))


def record_events(
    session: TenantSession,
    events: Sequence[tuple[uuid.UUID, uuid.UUID | None, str, dict[str, Any]]],
) -> None:
    """Many history events at once: ``(work_order_id, actor_id, type, changes)`` each."""
    if not events:
        return
    session.execute(
        insert(WorkOrderEventRow).values(tenant_id=CURRENT_TENANT, device_id=None),
        [
            {"id": new_id(), "work_order_id": w, "actor_id": a, "type": t, "changes": c}
            for w, a, t, c in events
        ],
    )
