"""Work order use cases."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from maintrac.core.errors import InvalidCursor, NotFound
from maintrac.core.ids import new_id
from maintrac.core.pagination import CursorCodec, Page
from maintrac.core.work_orders import (
    NewWorkOrder,
    Priority,
    Status,
    WorkOrder,
    WorkOrderChanges,
    normalize_utc,
    plan_update,
)
from maintrac.db import work_orders as repo
from maintrac.db.models import WorkOrderRow
from maintrac.db.transaction import TenantSession

Sort = Literal["-createdAt", "createdAt"]


@dataclass(frozen=True, slots=True)
class WorkOrderQuery:
    statuses: Sequence[Status] = ()
    assignee_id: uuid.UUID | None = None
    sort: Sort = "-createdAt"
    limit: int = 50
    cursor: str | None = None


def _to_domain(row: WorkOrderRow) -> WorkOrder:
    return WorkOrder(
        id=row.id,
        number=row.number,
        title=row.title,
        description=row.description,
        status=Status(row.status),
        priority=Priority(row.priority),
        asset_id=row.asset_id,
        assignee_id=row.assignee_id,
        due_at=row.due_at,
        completed_at=row.completed_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _not_found(work_order_id: uuid.UUID) -> NotFound:
    return NotFound(f"No work order {work_order_id}.", resource="work_order")


def create_work_order(session: TenantSession, new: NewWorkOrder) -> WorkOrder:
    number = repo.next_counter_value(session, "work_orders")
    row = repo.insert_work_order(
        session,
        {
            "id": new_id(),
            "number": number,
            "title": new.title.strip(),
            "description": new.description,
            "status": Status.OPEN.value,
            "priority": new.priority.value,
            "asset_id": new.asset_id,
            "assignee_id": new.assignee_id,
            "due_at": normalize_utc(new.due_at),
        },
    )
    return _to_domain(row)


def get_work_order(session: TenantSession, work_order_id: uuid.UUID) -> WorkOrder:
    row = repo.get_work_order(session, work_order_id)
    if row is None:
        raise _not_found(work_order_id)
    return _to_domain(row)


def update_work_order(
    session: TenantSession, work_order_id: uuid.UUID, changes: WorkOrderChanges
) -> WorkOrder:
    row = repo.get_work_order(session, work_order_id, for_update=True)
    if row is None:
        raise _not_found(work_order_id)
    current = _to_domain(row)
    if "due_at" in changes:
        changes["due_at"] = normalize_utc(changes["due_at"])
    if "title" in changes:
        changes["title"] = changes["title"].strip()
    values = plan_update(current, changes, datetime.now(UTC))
    if not values:
        return current
    return _to_domain(repo.update_work_order(session, work_order_id, values))


def delete_work_order(session: TenantSession, work_order_id: uuid.UUID) -> None:
    if not repo.soft_delete_work_order(session, work_order_id):
        raise _not_found(work_order_id)


def list_work_orders(
    session: TenantSession, query: WorkOrderQuery, codec: CursorCodec
) -> Page[WorkOrder]:
    after_id: uuid.UUID | None = None
    if query.cursor is not None:
        key = codec.decode(query.cursor, query.sort)
        try:
            after_id = uuid.UUID(str(key[0]))
        except (IndexError, ValueError) as exc:
            raise InvalidCursor("The cursor is not one this API issued.") from exc
    rows = repo.list_work_orders(
        session,
        statuses=[s.value for s in query.statuses] or None,
        assignee_id=query.assignee_id,
        descending=query.sort == "-createdAt",
        after_id=after_id,
        limit=query.limit + 1,
    )
    items = [_to_domain(row) for row in rows[: query.limit]]
    next_cursor = codec.encode(query.sort, [str(items[-1].id)]) if len(rows) > query.limit else None
    return Page(items=items, next_cursor=next_cursor)
