"""Queries on work orders. Every function takes a TenantSession: RLS scopes it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from maintrac.core.ids import new_id
from maintrac.db.models import TenantCounterRow, WorkOrderRow
from maintrac.db.transaction import TenantSession

_TENANT = func.nullif(func.current_setting("app.current_tenant", True), "").cast(
    WorkOrderRow.tenant_id.type
)


def next_counter_value(session: TenantSession, name: str) -> int:
    """The tenant's next value of counter ``name`` (1, 2, 3, ...), never reused.

    The upsert locks the counter row until commit, so concurrent creates in one tenant
    get distinct numbers; other tenants are not blocked.
    """
    statement = (
        pg_insert(TenantCounterRow)
        .values(tenant_id=_TENANT, id=new_id(), name=name, value=1)
        .on_conflict_do_update(
            index_elements=[TenantCounterRow.tenant_id, TenantCounterRow.name],
            set_={"value": TenantCounterRow.value + 1},
        )
        .returning(TenantCounterRow.value)
    )
    return int(session.execute(statement).scalar_one())


def insert_work_order(session: TenantSession, values: Mapping[str, Any]) -> WorkOrderRow:
    statement = insert(WorkOrderRow).values(tenant_id=_TENANT, **values).returning(WorkOrderRow)
    return session.scalars(statement).one()


def get_work_order(
    session: TenantSession, work_order_id: uuid.UUID, *, for_update: bool = False
) -> WorkOrderRow | None:
    statement = select(WorkOrderRow).where(
        WorkOrderRow.id == work_order_id, WorkOrderRow.deleted_at.is_(None)
    )
    if for_update:
        statement = statement.with_for_update()
    return session.scalars(statement).one_or_none()


def update_work_order(
    session: TenantSession, work_order_id: uuid.UUID, values: Mapping[str, Any]
) -> WorkOrderRow:
    statement = (
        update(WorkOrderRow)
        .where(WorkOrderRow.id == work_order_id, WorkOrderRow.deleted_at.is_(None))
        .values(**values)
        .returning(WorkOrderRow)
        # The row may already be in the session (read FOR UPDATE): take the values the
        # database returned, including the trigger-maintained updated_at.
        .execution_options(populate_existing=True)
    )
    return session.scalars(statement).one()


def soft_delete_work_order(session: TenantSession, work_order_id: uuid.UUID) -> bool:
    statement = (
        update(WorkOrderRow)
        .where(WorkOrderRow.id == work_order_id, WorkOrderRow.deleted_at.is_(None))
        .values(deleted_at=func.now())
        .returning(WorkOrderRow.id)
    )
    return session.execute(statement).first() is not None


def list_work_orders(
    session: TenantSession,
    *,
    statuses: Sequence[str] | None,
    assignee_id: uuid.UUID | None,
    descending: bool,
    after_id: uuid.UUID | None,
    limit: int,
) -> list[WorkOrderRow]:
    """Up to ``limit`` work orders after ``after_id`` in id order (keyset pagination)."""
    statement = select(WorkOrderRow).where(WorkOrderRow.deleted_at.is_(None))
    if statuses:
        statement = statement.where(WorkOrderRow.status.in_(statuses))
    if assignee_id is not None:
        statement = statement.where(WorkOrderRow.assignee_id == assignee_id)
    if after_id is not None:
        statement = statement.where(
            WorkOrderRow.id < after_id if descending else WorkOrderRow.id > after_id
        )
    order = WorkOrderRow.id.desc() if descending else WorkOrderRow.id.asc()
    return list(session.scalars(statement.order_by(order).limit(limit)))
