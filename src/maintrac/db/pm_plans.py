"""The PM plan repository, and what the due computation reads besides the plan.

A plan is stored flat (the work order template as ``wo_*`` columns, the trigger as
``trigger_type``/``interval_*``/``meter_*``); the mapping both ways is written here once.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any, Final

from sqlalchemy import select

from maintrac.core import pm
from maintrac.core.work_orders import Priority
from maintrac.db.models import PmPlanRow, TenantRow
from maintrac.db.paging import CURRENT_TENANT, Keyset, as_uuid, part
from maintrac.db.repository import Repository
from maintrac.db.transaction import TenantSession


@dataclass(frozen=True, slots=True)
class PlanRecord:
    """A plan as stored: the domain plan, and where its current trigger's series began
    (``series_origin``, which the API does not show)."""

    plan: pm.PmPlan
    series_origin: int


def _schedule(row: PmPlanRow) -> pm.Schedule:
    return pm.Schedule(
        type=pm.TriggerType(row.trigger_type),
        interval_count=row.interval_count,
        interval_unit=pm.IntervalUnit(row.interval_unit) if row.interval_unit else None,
        anchor_at=row.anchor_at,
        meter_id=row.meter_id,
        meter_interval=row.meter_interval,
        meter_anchor=row.meter_anchor,
    )


def to_record(row: PmPlanRow) -> PlanRecord:
    plan = pm.PmPlan(
        id=row.id,
        name=row.name,
        description=row.description,
        asset_id=row.asset_id,
        asset_category_id=row.asset_category_id,
        template=pm.WorkOrderTemplate(
            title=row.wo_title,
            description=row.wo_description,
            task_code_id=row.task_code_id,
            priority=Priority(row.priority),
            assignee_id=row.assignee_id,
            estimated_hours=row.estimated_hours,
            gl_code_id=row.gl_code_id,
        ),
        schedule=_schedule(row),
        active=row.active,
        next_occurrence=row.next_occurrence,
        next_due_at=row.next_due_at,
        next_due_meter=row.next_due_meter,
        last_completed_at=row.last_completed_at,
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
        lead_time_days=row.lead_time_days,
        last_generated_occurrence=row.last_generated_occurrence,
        last_generated_at=row.last_generated_at,
    )
    return PlanRecord(plan, row.series_origin)


def _columns(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Plan fields (``template`` and ``schedule`` as domain objects) as column values."""
    values = {k: v for k, v in fields.items() if k not in ("template", "schedule")}
    template: pm.WorkOrderTemplate | None = fields.get("template")
    if template is not None:
        values.update(
            wo_title=template.title,
            wo_description=template.description,
            task_code_id=template.task_code_id,
            priority=template.priority,
            assignee_id=template.assignee_id,
            estimated_hours=template.estimated_hours,
            gl_code_id=template.gl_code_id,
        )
    schedule: pm.Schedule | None = fields.get("schedule")
    if schedule is not None:
        values.update(
            trigger_type=schedule.type,
            interval_count=schedule.interval_count,
            interval_unit=schedule.interval_unit,
            anchor_at=schedule.anchor_at.astimezone(UTC) if schedule.anchor_at else None,
            meter_id=schedule.meter_id,
            meter_interval=schedule.meter_interval,
            meter_anchor=schedule.meter_anchor,
        )
    return values


class PlanRepository(Repository[PmPlanRow, PlanRecord]):
    """Inserts and updates take plan fields: ``template`` and ``schedule`` whole."""

    def insert(self, session: TenantSession, values: Mapping[str, Any]) -> PlanRecord:
        return super().insert(session, _columns(values))

    def update(
        self, session: TenantSession, row_id: uuid.UUID, values: Mapping[str, Any]
    ) -> PlanRecord:
        return super().update(session, row_id, _columns(values))


plans: Final = PlanRepository(PmPlanRow, to_record)

#: Newest first (ids are UUIDv7, so id order is creation order).
NEWEST_FIRST: Final[Keyset[PlanRecord]] = Keyset(
    "-createdAt", (part(PmPlanRow.id, as_uuid, lambda r: r.plan.id),), descending=True
)


def tenant_time_zone(session: TenantSession) -> str:
    """The current tenant's IANA time zone (the app role may read its own tenant row)."""
    statement = select(TenantRow.time_zone).where(TenantRow.id == CURRENT_TENANT)
    return session.scalars(statement).one()


def list_pm_plans(
    session: TenantSession,
    *,
    asset_id: uuid.UUID | None,
    active: bool | None,
    after: Sequence[Any] | None,
    limit: int,
) -> list[PlanRecord]:
    """Live plans in keyset order."""
    where: list[Any] = []
    if asset_id is not None:
        where.append(PmPlanRow.asset_id == asset_id)
    if active is not None:
        where.append(PmPlanRow.active.is_(active))
    return plans.page(session, NEWEST_FIRST, *where, after=after, limit=limit)
