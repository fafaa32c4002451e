"""Queries on PM plans, and what the due computation reads besides the plan."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from maintrac.db.models import PmPlanRow, TenantRow, WorkOrderRow
from maintrac.db.paging import CURRENT_TENANT, after_key
from maintrac.db.transaction import TenantSession


def tenant_time_zone(session: TenantSession) -> str:
    """The current tenant's IANA time zone (the app role may read its own tenant row)."""
    statement = select(TenantRow.time_zone).where(TenantRow.id == CURRENT_TENANT)
    return session.scalars(statement).one()


def list_pm_plans(
    session: TenantSession,
    *,
    asset_id: uuid.UUID | None,
    active: bool | None,
    after: list[Any] | None,
    limit: int,
) -> list[PmPlanRow]:
    """Live plans, newest first (ids are UUIDv7, so id order is creation order)."""
    statement = select(PmPlanRow).where(PmPlanRow.deleted_at.is_(None))
    if asset_id is not None:
        statement = statement.where(PmPlanRow.asset_id == asset_id)
    if active is not None:
        statement = statement.where(PmPlanRow.active.is_(active))
    statement = after_key(statement, [PmPlanRow.id], after, descending=True)
    return list(session.scalars(statement.order_by(PmPlanRow.id.desc()).limit(limit)))


def occurrence_work_order(
    session: TenantSession, plan_id: uuid.UUID, occurrence: int
) -> WorkOrderRow | None:
    """The work order generated for one occurrence of a plan, deleted or not."""
    statement = select(WorkOrderRow).where(
        WorkOrderRow.pm_plan_id == plan_id, WorkOrderRow.pm_occurrence == occurrence
    )
    return session.scalars(statement).one_or_none()
