"""The work order repository and its keysets. Every function takes a TenantSession: RLS
scopes it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, Literal, get_args

from sqlalchemy import func, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from maintrac.core.ids import new_id
from maintrac.core.work_orders import Priority, Status, WorkOrder
from maintrac.db.models import TenantCounterRow, WorkOrderRow
from maintrac.db.paging import (
    CURRENT_TENANT,
    KeyPart,
    Keyset,
    as_datetime,
    as_uuid,
    part,
)
from maintrac.db.repository import Positional, Repository
from maintrac.db.transaction import TenantSession

#: Work orders without a due date sort after every dated one (the index uses the same).
NO_DUE_DATE = datetime(9999, 12, 31, tzinfo=UTC)
_DUE = func.coalesce(WorkOrderRow.due_at, literal(NO_DUE_DATE))


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


#: A list builds its work orders by position: ``WorkOrder`` is the row, field for field.
work_orders: Final = Repository(
    WorkOrderRow,
    to_work_order,
    positional=Positional(WorkOrder, enums={"status": Status, "priority": Priority}),
)

#: The sorts of the work order list, as the API names them (the contract's ``sort``).
Sort = Literal["-createdAt", "createdAt", "dueAt", "updatedAt"]

_ID: KeyPart[WorkOrder] = part(WorkOrderRow.id, as_uuid)

#: Each sort's keyset (UUIDv7 ids sort by creation).
KEYSETS: Final[dict[Sort, Keyset[WorkOrder]]] = {
    "-createdAt": Keyset("-createdAt", (_ID,), descending=True),
    "createdAt": Keyset("createdAt", (_ID,)),
    "dueAt": Keyset("dueAt", (part(_DUE, as_datetime, lambda w: w.due_at or NO_DUE_DATE), _ID)),
    "updatedAt": Keyset("updatedAt", (part(WorkOrderRow.updated_at, as_datetime), _ID)),
}
if set(KEYSETS) != set(get_args(Sort)):
    raise RuntimeError("every work order sort needs exactly one keyset")


def next_counter_value(session: TenantSession, name: str) -> int:
    """The tenant's next value of counter ``name`` (1, 2, 3, ...), never reused.

    The upsert locks the counter row until commit, so concurrent creates in one tenant
    get distinct numbers; other tenants are not blocked.
    """
    statement = (
        pg_insert(TenantCounterRow)
        .values(tenant_id=CURRENT_TENANT, id=new_id(), name=name, value=1)
        .on_conflict_do_update(
            index_elements=[TenantCounterRow.tenant_id, TenantCounterRow.name],
            set_={"value": TenantCounterRow.value + 1},
        )
        .returning(TenantCounterRow.value)
    )
    return int(session.execute(statement).scalar_one())


@dataclass(frozen=True, slots=True)
class Filters:
    statuses: Sequence[str] = ()
    priorities: Sequence[str] = ()
    assignee_id: uuid.UUID | None = None
    asset_ids: Sequence[uuid.UUID] | None = None
    pm_plan_id: uuid.UUID | None = None
    due_before: datetime | None = None
    due_after: datetime | None = None
    updated_since: datetime | None = None


def list_work_orders(
    session: TenantSession,
    filters: Filters,
    *,
    sort: Sort,
    after: Sequence[Any] | None,
    limit: int,
) -> list[WorkOrder]:
    """Up to ``limit`` live work orders after ``after`` in ``sort`` order (keyset)."""
    where: list[Any] = []
    if filters.statuses:
        where.append(WorkOrderRow.status.in_(filters.statuses))
    if filters.priorities:
        where.append(WorkOrderRow.priority.in_(filters.priorities))
    if filters.assignee_id is not None:
        where.append(WorkOrderRow.assignee_id == filters.assignee_id)
    if filters.asset_ids is not None:
        where.append(WorkOrderRow.asset_id.in_(filters.asset_ids))
    if filters.pm_plan_id is not None:
        where.append(WorkOrderRow.pm_plan_id == filters.pm_plan_id)
    if filters.due_before is not None:
        where.append(WorkOrderRow.due_at < filters.due_before)
    if filters.due_after is not None:
        where.append(WorkOrderRow.due_at >= filters.due_after)
    if filters.updated_since is not None:
        where.append(WorkOrderRow.updated_at >= filters.updated_since)
    return work_orders.page(session, KEYSETS[sort], *where, after=after, limit=limit)


def occurrence_work_order(
    session: TenantSession, plan_id: uuid.UUID, occurrence: int
) -> tuple[WorkOrder, bool] | None:
    """The work order generated for one occurrence of a plan and whether it is deleted."""
    statement = select(WorkOrderRow).where(
        WorkOrderRow.pm_plan_id == plan_id, WorkOrderRow.pm_occurrence == occurrence
    )
    row = session.scalars(statement).one_or_none()
    return None if row is None else (to_work_order(row), row.deleted_at is not None)


def next_counter_values(session: TenantSession, name: str, count: int) -> list[int]:
    """The tenant's next ``count`` values of counter ``name`` at once (as many calls of
    ``next_counter_value``, in one statement and one lock)."""
    statement = (
        pg_insert(TenantCounterRow)
        .values(tenant_id=CURRENT_TENANT, id=new_id(), name=name, value=count)
        .on_conflict_do_update(
            index_elements=[TenantCounterRow.tenant_id, TenantCounterRow.name],
            set_={"value": TenantCounterRow.value + count},
        )
        .returning(TenantCounterRow.value)
    )
    last = int(session.execute(statement).scalar_one())
    return list(range(last - count + 1, last + 1))
