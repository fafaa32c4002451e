"""A work order's history: append-only events (the app role may only SELECT and INSERT)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from maintrac.core.ids import new_id
from maintrac.db.bulk import execute_columns
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


_BULK_EVENTS = """
    INSERT INTO work_order_events (tenant_id, id, work_order_id, actor_id, type, changes)
    SELECT NULLIF(current_setting('app.current_tenant', true), '')::uuid, v.id,
           v.work_order_id, v.actor_id, v.type, v.changes::jsonb
    FROM unnest(CAST(%(ids)b AS uuid[]), CAST(%(work_order_ids)b AS uuid[]),
                CAST(%(actor_ids)b AS uuid[]), CAST(%(types)b AS text[]),
                CAST(%(changes)b AS text[]))
         AS v(id, work_order_id, actor_id, type, changes)
"""


def record_events(
    session: TenantSession,
    events: Sequence[tuple[uuid.UUID, uuid.UUID | None, str, dict[str, Any]]],
) -> None:
    """Many history events in one statement: ``(work_order_id, actor_id, type, changes)``
    each, recorded now."""
    if not events:
        return
    execute_columns(
        session,
        _BULK_EVENTS,
        {
            "ids": [new_id() for _ in events],
            "work_order_ids": [e[0] for e in events],
            "actor_ids": [e[1] for e in events],
            "types": [e[2] for e in events],
            "changes": [json.dumps(e[3]) for e in events],
        },
    )
