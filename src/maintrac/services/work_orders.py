"""Work order use cases: every change is checked by core rules and recorded as history."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from maintrac.core.concurrency import ExpectedVersion, check_version
from maintrac.core.errors import NotFound
from maintrac.core.ids import new_id
from maintrac.core.pagination import CursorCodec, Page
from maintrac.core.text import tidy
from maintrac.core.work_orders import (
    Event,
    NewWorkOrder,
    Priority,
    Status,
    WorkOrder,
    WorkOrderChanges,
    change_events,
    creation_event,
    normalize_utc,
    plan_update,
)
from maintrac.db import crud
from maintrac.db import work_orders as repo
from maintrac.db.assets import descendant_ids
from maintrac.db.models import WorkOrderEventRow, WorkOrderRow
from maintrac.db.transaction import TenantSession
from maintrac.db.work_order_events import list_events, record_event
from maintrac.services import events
from maintrac.services.paging import Parser, as_datetime, as_uuid, decode_after, make_page

Sort = Literal["-createdAt", "createdAt", "dueAt", "updatedAt"]

_KEY_PARSERS: dict[str, list[Parser]] = {
    "-createdAt": [as_uuid],
    "createdAt": [as_uuid],
    "dueAt": [as_datetime, as_uuid],
    "updatedAt": [as_datetime, as_uuid],
}


@dataclass(frozen=True, slots=True)
class WorkOrderQuery:
    statuses: Sequence[Status] = ()
    priorities: Sequence[Priority] = ()
    assignee_id: uuid.UUID | None = None
    asset_id: uuid.UUID | None = None
    include_sub_assets: bool = True
    pm_plan_id: uuid.UUID | None = None
    due_before: datetime | None = None
    due_after: datetime | None = None
    updated_since: datetime | None = None
    sort: Sort = "-createdAt"
    limit: int = 50
    cursor: str | None = None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    id: uuid.UUID
    work_order_id: uuid.UUID
    actor_id: uuid.UUID | None
    type: str
    changes: dict[str, dict[str, object]]
    occurred_at: datetime


def to_work_order(row: WorkOrderRow) -> WorkOrder:
    return WorkOrder(
        id=row.id,
        number=row.number,
        title=row.title,
        description=row.description,
        status=Status(row.status),
        priority=Priority(row.priority),
        asset_id=row.asset_id,
        assignee_id=row.assignee_id,
        task_code_id=row.task_code_id,
        gl_code_id=row.gl_code_id,
        pm_plan_id=row.pm_plan_id,
        pm_occurrence=row.pm_occurrence,
        estimated_hours=row.estimated_hours,
        actual_minutes=row.actual_minutes,
        due_at=row.due_at,
        completed_at=row.completed_at,
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def hours(value: Decimal) -> Decimal:
    """Hours as stored (numeric(8, 2)): to the hundredth, half up, so that sending the
    same value again is no change."""
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _not_found(work_order_id: uuid.UUID) -> NotFound:
    return NotFound(f"No work order {work_order_id}.", resource="work_order")


def _record(  # noqa: PLR0917  # one event, its context
    session: TenantSession,
    work_order_id: uuid.UUID,
    actor_id: uuid.UUID | None,
    event: Event,
    occurred_at: datetime | None = None,
    device_id: str | None = None,
) -> None:
    record_event(
        session,
        work_order_id,
        actor_id,
        event.type,
        dict(event.changes),
        occurred_at=occurred_at,
        device_id=device_id,
    )


def create_work_order(
    session: TenantSession, new: NewWorkOrder, actor_id: uuid.UUID | None
) -> WorkOrder:
    """Create in status ``open`` with the tenant's next number; references must exist."""
    number = repo.next_counter_value(session, "work_orders")
    row = crud.insert_row(
        session,
        WorkOrderRow,
        {
            "id": new.id or new_id(),
            "number": number,
            "title": tidy(new.title),
            "description": new.description,
            "status": Status.OPEN.value,
            "priority": new.priority.value,
            "asset_id": new.asset_id,
            "assignee_id": new.assignee_id,
            "task_code_id": new.task_code_id,
            "gl_code_id": new.gl_code_id,
            "estimated_hours": None if new.estimated_hours is None else hours(new.estimated_hours),
            "due_at": normalize_utc(new.due_at),
            "pm_plan_id": new.pm_plan_id,
            "pm_occurrence": new.pm_occurrence,
        },
    )
    _record(session, row.id, actor_id, creation_event(new))
    events.work_order_changed(session, to_work_order(row), creation_event(new), actor_id)
    return to_work_order(row)


def get_work_order(session: TenantSession, work_order_id: uuid.UUID) -> WorkOrder:
    row = crud.get_live(session, WorkOrderRow, work_order_id)
    if row is None:
        raise _not_found(work_order_id)
    return to_work_order(row)


def update_work_order(
    session: TenantSession,
    work_order_id: uuid.UUID,
    changes: WorkOrderChanges,
    actor_id: uuid.UUID | None,
    expected_version: ExpectedVersion = None,
    *,
    written_at: datetime | None = None,
    device_id: str | None = None,
) -> WorkOrder:
    """Apply ``changes`` if the status machine allows them; record what changed (at
    ``written_at`` when the change was made earlier, offline)."""
    row = crud.get_live(session, WorkOrderRow, work_order_id, for_update=True)
    if row is None:
        raise _not_found(work_order_id)
    check_version("work order", row.version, expected_version)
    current = to_work_order(row)
    normalized: WorkOrderChanges = dict(changes)  # type: ignore[assignment]
    if "due_at" in normalized:
        normalized["due_at"] = normalize_utc(normalized["due_at"])
    if "title" in normalized:
        normalized["title"] = tidy(normalized["title"])
    estimated = normalized.get("estimated_hours")
    if estimated is not None:
        normalized["estimated_hours"] = hours(estimated)
    values = plan_update(current, normalized, datetime.now(UTC))
    if not values:
        return current
    stored = {k: v.value if isinstance(v, Status | Priority) else v for k, v in values.items()}
    updated = crud.update_row(session, WorkOrderRow, work_order_id, stored)
    for event in change_events(current, values):
        _record(session, work_order_id, actor_id, event, written_at, device_id)
        events.work_order_changed(session, to_work_order(updated), event, actor_id)
    return to_work_order(updated)


def delete_work_order(
    session: TenantSession,
    work_order_id: uuid.UUID,
    actor_id: uuid.UUID | None,
    expected_version: ExpectedVersion = None,
) -> None:
    row = crud.get_live(session, WorkOrderRow, work_order_id, for_update=True)
    if row is None:
        raise _not_found(work_order_id)
    check_version("work order", row.version, expected_version)
    crud.soft_delete(session, WorkOrderRow, work_order_id)
    _record(session, work_order_id, actor_id, Event("deleted", {}))


def list_work_orders(
    session: TenantSession, query: WorkOrderQuery, codec: CursorCodec
) -> Page[WorkOrder]:
    after = decode_after(codec, query.cursor, query.sort, _KEY_PARSERS[query.sort])
    asset_ids: Sequence[uuid.UUID] | None = None
    if query.asset_id is not None:
        asset_ids = (
            descendant_ids(session, query.asset_id)
            if query.include_sub_assets
            else [query.asset_id]
        )
    filters = repo.Filters(
        statuses=[s.value for s in query.statuses],
        priorities=[p.value for p in query.priorities],
        assignee_id=query.assignee_id,
        asset_ids=asset_ids,
        pm_plan_id=query.pm_plan_id,
        due_before=query.due_before,
        due_after=query.due_after,
        updated_since=query.updated_since,
    )
    rows = repo.list_work_orders(
        session, filters, sort=query.sort, after=after, limit=query.limit + 1
    )
    return make_page(
        rows,
        query.limit,
        codec=codec,
        sort=query.sort,
        key=lambda r: repo.sort_key(r, query.sort),
        convert=to_work_order,
    )


def _to_entry(row: WorkOrderEventRow) -> HistoryEntry:
    return HistoryEntry(
        id=row.id,
        work_order_id=row.work_order_id,
        actor_id=row.actor_id,
        type=row.type,
        changes=dict(row.changes),
        occurred_at=row.occurred_at,
    )


def list_history(
    session: TenantSession,
    work_order_id: uuid.UUID,
    *,
    limit: int,
    cursor: str | None,
    codec: CursorCodec,
) -> Page[HistoryEntry]:
    """The work order's events, oldest first (a deleted work order's history is 404 too)."""
    if crud.get_live(session, WorkOrderRow, work_order_id) is None:
        raise _not_found(work_order_id)
    sort = "events"
    after = decode_after(codec, cursor, sort, [as_uuid])
    rows = list_events(session, work_order_id, after=after, limit=limit + 1)
    return make_page(rows, limit, codec=codec, sort=sort, key=lambda r: [r.id], convert=_to_entry)
