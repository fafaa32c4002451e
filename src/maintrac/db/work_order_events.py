"""A work order's history: append-only events (the app role may only SELECT and INSERT)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final

import orjson
from sqlalchemy import insert

from maintrac.core.ids import new_id
from maintrac.core.work_orders import HistoryEntry
from maintrac.db.bulk import execute_columns
from maintrac.db.models import WorkOrderEventRow
from maintrac.db.paging import CURRENT_TENANT, Keyset, as_uuid, part
from maintrac.db.repository import Repository
from maintrac.db.transaction import TenantSession


def to_history_entry(row: WorkOrderEventRow) -> HistoryEntry:
    return HistoryEntry(
        id=row.id,
        work_order_id=row.work_order_id,
        actor_id=row.actor_id,
        type=row.type,
        changes=dict(row.changes),
        occurred_at=row.occurred_at,
    )


events: Final = Repository(WorkOrderEventRow, to_history_entry)

#: A work order's history, oldest first.
HISTORY: Final[Keyset[HistoryEntry]] = Keyset("events", (part(WorkOrderEventRow.id, as_uuid),))


def record_event(  # one event and its context
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


#: One history event as ``record_event`` takes it, with its id made by the caller:
#: ``(id, work_order_id, actor_id, type, changes, occurred_at, device_id)``.
EventRow = tuple[
    uuid.UUID, uuid.UUID, uuid.UUID | None, str, dict[str, Any], datetime | None, str | None
]

_EVENT_ROWS = """
    INSERT INTO work_order_events (tenant_id, id, work_order_id, actor_id, type, changes,
                                   occurred_at, device_id)
    SELECT NULLIF(current_setting('app.current_tenant', true), '')::uuid, v.id,
           v.work_order_id, v.actor_id, v.type, v.changes::jsonb,
           coalesce(v.occurred_at, now()), v.device_id
    FROM unnest(CAST(%(ids)b AS uuid[]), CAST(%(work_order_ids)b AS uuid[]),
                CAST(%(actor_ids)b AS uuid[]), CAST(%(types)b AS text[]),
                CAST(%(changes)b AS text[]), CAST(%(occurred_at)b AS timestamptz[]),
                CAST(%(device_ids)b AS text[]))
         AS v(id, work_order_id, actor_id, type, changes, occurred_at, device_id)
"""


def record_event_rows(session: TenantSession, rows: Sequence[EventRow]) -> None:
    """``record_event`` of many events in one statement (a sync push), ids made by the
    caller in the order the events happened (the history lists them by id)."""
    if not rows:
        return
    execute_columns(
        session,
        _EVENT_ROWS,
        {
            "ids": [r[0] for r in rows],
            "work_order_ids": [r[1] for r in rows],
            "actor_ids": [r[2] for r in rows],
            "types": [r[3] for r in rows],
            "changes": [orjson.dumps(r[4]).decode() for r in rows],
            "occurred_at": [r[5] for r in rows],
            "device_ids": [r[6] for r in rows],
        },
    )


def list_events(
    session: TenantSession, work_order_id: uuid.UUID, *, after: Sequence[Any] | None, limit: int
) -> list[HistoryEntry]:
    where = WorkOrderEventRow.work_order_id == work_order_id
    return events.page(session, HISTORY, where, after=after, limit=limit)
