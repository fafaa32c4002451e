"""Queries on work orders. Every function takes a TenantSession: RLS scopes it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from maintrac.core.ids import new_id
from maintrac.db.bulk import execute_columns
from maintrac.db.models import TenantCounterRow, WorkOrderRow
from maintrac.db.paging import CURRENT_TENANT, after_key
from maintrac.db.transaction import TenantSession

#: Work orders without a due date sort after every dated one (the index uses the same).
NO_DUE_DATE = datetime(9999, 12, 31, tzinfo=UTC)
_DUE = func.coalesce(WorkOrderRow.due_at, literal(NO_DUE_DATE))

#: Sort name -> (columns of the key, descending).
SORTS: dict[str, tuple[Sequence[Any], bool]] = {
    "-createdAt": ((WorkOrderRow.id,), True),
    "createdAt": ((WorkOrderRow.id,), False),
    "dueAt": ((_DUE, WorkOrderRow.id), False),
    "updatedAt": ((WorkOrderRow.updated_at, WorkOrderRow.id), False),
}


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


def sort_key(row: WorkOrderRow, sort: str) -> list[Any]:
    """The values of ``row`` that a cursor for ``sort`` stores."""
    if sort == "dueAt":
        return [row.due_at or NO_DUE_DATE, row.id]
    if sort == "updatedAt":
        return [row.updated_at, row.id]
    return [row.id]


def list_work_orders(
    session: TenantSession, filters: Filters, *, sort: str, after: list[Any] | None, limit: int
) -> list[WorkOrderRow]:
    """Up to ``limit`` live work orders after ``after`` in ``sort`` order (keyset)."""
    statement = select(WorkOrderRow).where(WorkOrderRow.deleted_at.is_(None))
    if filters.statuses:
        statement = statement.where(WorkOrderRow.status.in_(filters.statuses))
    if filters.priorities:
        statement = statement.where(WorkOrderRow.priority.in_(filters.priorities))
    if filters.assignee_id is not None:
        statement = statement.where(WorkOrderRow.assignee_id == filters.assignee_id)
    if filters.asset_ids is not None:
        statement = statement.where(WorkOrderRow.asset_id.in_(filters.asset_ids))
    if filters.pm_plan_id is not None:
        statement = statement.where(WorkOrderRow.pm_plan_id == filters.pm_plan_id)
    if filters.due_before is not None:
        statement = statement.where(WorkOrderRow.due_at < filters.due_before)
    if filters.due_after is not None:
        statement = statement.where(WorkOrderRow.due_at >= filters.due_after)
    if filters.updated_since is not None:
        statement = statement.where(WorkOrderRow.updated_at >= filters.updated_since)
    columns, descending = SORTS[sort]
    statement = after_key(statement, columns, after, descending=descending)
    order = [c.desc() if descending else c.asc() for c in columns]
    return list(session.scalars(statement.order_by(*order).limit(limit)))


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


#: Columns ``insert_work_orders`` writes, with their SQL types (one array each).
_BULK_COLUMNS: dict[str, str] = {
    "id": "uuid",
    "number": "bigint",
    "title": "text",
    "description": "text",
    "status": "text",
    "priority": "text",
    "asset_id": "uuid",
    "assignee_id": "uuid",
    "task_code_id": "uuid",
    "gl_code_id": "uuid",
    "estimated_hours": "numeric",
    "due_at": "timestamptz",
    "pm_plan_id": "uuid",
    "pm_occurrence": "integer",
}
_BULK_INSERT = (
    "INSERT INTO work_orders (tenant_id, "  # noqa: S608  # fixed column names, no input
    + ", ".join(_BULK_COLUMNS)
    + ") SELECT NULLIF(current_setting('app.current_tenant', true), '')::uuid, v.* FROM unnest("
    + ", ".join(f"CAST(%({c})b AS {t}[])" for c, t in _BULK_COLUMNS.items())
    + ") AS v"
)


def insert_work_orders(session: TenantSession, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many work orders for the current tenant in one statement (``db.bulk``);
    each dict holds the keys of ``_BULK_COLUMNS``."""
    if rows:
        execute_columns(session, _BULK_INSERT, {c: [r[c] for r in rows] for c in _BULK_COLUMNS})
