"""PM plans: the resource, its next due point, and the preview of what is due.

Every create and update stores the plan's next due point (``next_due_at`` /
``next_due_meter``), computed by ``core.pm`` in the tenant's time zone. References are
checked here, so that each failure names its field (``/workOrderTemplate/taskCodeId``);
the composite foreign keys remain the last line of defence.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from maintrac.core import pm
from maintrac.core.concurrency import ExpectedVersion, check_version
from maintrac.core.errors import InvalidFields, NotFound
from maintrac.core.ids import new_id
from maintrac.core.pagination import CursorCodec, Page
from maintrac.core.text import tidy
from maintrac.core.work_orders import TERMINAL, Priority, Status
from maintrac.db import crud
from maintrac.db import pm_plans as repo
from maintrac.db.models import (
    AssetCategoryRow,
    AssetRow,
    Base,
    GlCodeRow,
    MeterRow,
    PmPlanRow,
    TaskCodeRow,
    UserRow,
)
from maintrac.db.transaction import TenantSession
from maintrac.services.paging import as_uuid, decode_after, make_page


def to_schedule(row: PmPlanRow) -> pm.Schedule:
    return pm.Schedule(
        type=pm.TriggerType(row.trigger_type),
        interval_count=row.interval_count,
        interval_unit=pm.IntervalUnit(row.interval_unit) if row.interval_unit else None,
        anchor_at=row.anchor_at,
        meter_id=row.meter_id,
        meter_interval=row.meter_interval,
        meter_anchor=row.meter_anchor,
    )


def to_pm_plan(row: PmPlanRow) -> pm.PmPlan:
    return pm.PmPlan(
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
        schedule=to_schedule(row),
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


def _template_values(template: pm.WorkOrderTemplate) -> dict[str, Any]:
    return {
        "wo_title": tidy(template.title),
        "wo_description": template.description,
        "task_code_id": template.task_code_id,
        "priority": template.priority.value,
        "assignee_id": template.assignee_id,
        "estimated_hours": template.estimated_hours,
        "gl_code_id": template.gl_code_id,
    }


def _schedule_values(schedule: pm.Schedule) -> dict[str, Any]:
    return {
        "trigger_type": schedule.type.value,
        "interval_count": schedule.interval_count,
        "interval_unit": schedule.interval_unit.value if schedule.interval_unit else None,
        "anchor_at": schedule.anchor_at.astimezone(UTC) if schedule.anchor_at else None,
        "meter_id": schedule.meter_id,
        "meter_interval": schedule.meter_interval,
        "meter_anchor": schedule.meter_anchor,
    }


def _not_found(plan_id: uuid.UUID) -> NotFound:
    return NotFound(f"No PM plan {plan_id}.", resource="pm_plan")


def _time_zone(session: TenantSession) -> ZoneInfo:
    return ZoneInfo(repo.tenant_time_zone(session))


def _state(session: TenantSession, row: PmPlanRow) -> pm.PlanState:
    """The plan's series state. For a floating plan, the work order of the newest
    occurrence says whether it is still open, and its completion counts even before the
    plan's own ``last_completed_at`` was updated."""
    last_completed_at = row.last_completed_at
    awaiting = False
    if row.trigger_type == pm.TriggerType.CALENDAR_FLOATING and row.next_occurrence > 0:
        work_order = repo.occurrence_work_order(session, row.id, row.next_occurrence - 1)
        if work_order is not None:
            status = Status(work_order.status)
            awaiting = work_order.deleted_at is None and status not in TERMINAL
            completed = work_order.completed_at
            if (
                status is Status.COMPLETE
                and completed is not None
                and (last_completed_at is None or completed > last_completed_at)
            ):
                last_completed_at = completed
    return pm.PlanState(row.next_occurrence, last_completed_at, awaiting, row.series_origin)


def _meter(session: TenantSession, schedule: pm.Schedule) -> pm.MeterState | None:
    if schedule.meter_id is None:
        return None
    row = crud.get_live(session, MeterRow, schedule.meter_id)
    if row is None or row.last_reading_value is None:
        return None
    return pm.MeterState(row.last_reading_value, row.last_reading_at)


def _check_references(
    session: TenantSession,
    asset_id: uuid.UUID | None,
    references: Mapping[str, tuple[type[Base], uuid.UUID | None]],
    schedule: pm.Schedule | None,
) -> None:
    """Each named item must be live in this tenant (RLS hides other tenants' rows); the
    trigger's meter must be a cumulative meter of the plan's asset."""
    missing = [
        pointer
        for pointer, (model, ref) in references.items()
        if ref is not None and crud.get_live(session, model, ref) is None
    ]
    errors: pm.FieldErrors = []
    if schedule is not None and schedule.meter_id is not None:
        meter = crud.get_live(session, MeterRow, schedule.meter_id)
        if meter is None:
            missing.append("/trigger/meterId")
        else:
            errors = pm.meter_errors(asset_id, meter.asset_id, meter.kind)
    if missing:
        raise pm.missing_references(missing)
    if errors:
        raise InvalidFields(errors)


def _template_references(
    template: pm.WorkOrderTemplate,
) -> dict[str, tuple[type[Base], uuid.UUID | None]]:
    return {
        "/workOrderTemplate/taskCodeId": (TaskCodeRow, template.task_code_id),
        "/workOrderTemplate/assigneeId": (UserRow, template.assignee_id),
        "/workOrderTemplate/glCodeId": (GlCodeRow, template.gl_code_id),
    }


def get_pm_plan(session: TenantSession, plan_id: uuid.UUID) -> pm.PmPlan:
    row = crud.get_live(session, PmPlanRow, plan_id)
    if row is None:
        raise _not_found(plan_id)
    return to_pm_plan(row)


def create_pm_plan(session: TenantSession, new: pm.NewPmPlan) -> pm.PmPlan:
    """Validate the target and trigger, check every reference, store the next due point.

    Trigger fields its type does not use are dropped, not stored."""
    schedule = pm.used_fields(new.schedule)
    pm.check_plan(new.asset_id, new.asset_category_id, schedule)
    _check_references(
        session,
        new.asset_id,
        {
            "/assetId": (AssetRow, new.asset_id),
            "/assetCategoryId": (AssetCategoryRow, new.asset_category_id),
            **_template_references(new.template),
        },
        schedule,
    )
    next_due_at, next_due_meter = pm.next_due(schedule, pm.PlanState(), _time_zone(session))
    row = crud.insert_row(
        session,
        PmPlanRow,
        {
            "id": new_id(),
            "name": tidy(new.name),
            "description": new.description,
            "asset_id": new.asset_id,
            "asset_category_id": new.asset_category_id,
            **_template_values(new.template),
            **_schedule_values(schedule),
            "active": new.active,
            "lead_time_days": new.lead_time_days,
            "next_due_at": next_due_at,
            "next_due_meter": next_due_meter,
        },
    )
    return to_pm_plan(row)


def update_pm_plan(
    session: TenantSession,
    plan_id: uuid.UUID,
    changes: pm.PmPlanChanges,
    expected_version: ExpectedVersion = None,
) -> pm.PmPlan:
    """Apply ``changes``; the template and the trigger are replaced whole. The next due
    point is recomputed on every update (a new trigger, or a tenant time zone change)."""
    row = crud.get_live(session, PmPlanRow, plan_id, for_update=True)
    if row is None:
        raise _not_found(plan_id)
    check_version("PM plan", row.version, expected_version)
    wanted: dict[str, Any] = {}
    if "name" in changes:
        wanted["name"] = tidy(changes["name"])
    if "description" in changes:
        wanted["description"] = changes["description"]
    if "active" in changes:
        wanted["active"] = changes["active"]
    if "lead_time_days" in changes:
        wanted["lead_time_days"] = changes["lead_time_days"]
    references: dict[str, tuple[type[Base], uuid.UUID | None]] = {}
    if "template" in changes:
        wanted.update(_template_values(changes["template"]))
        references.update(_template_references(changes["template"]))
    schedule = to_schedule(row)
    new_schedule = None
    if "schedule" in changes:
        schedule = new_schedule = pm.used_fields(changes["schedule"])
        pm.check_plan(row.asset_id, row.asset_category_id, schedule)
        wanted.update(_schedule_values(schedule))
        if schedule != to_schedule(row):
            # A new trigger starts its own series at its anchor; numbers carry on.
            wanted["series_origin"] = row.next_occurrence
    _check_references(session, row.asset_id, references, new_schedule)
    state = _state(session, row)
    if "series_origin" in wanted:
        state = replace(state, series_origin=wanted["series_origin"])
    wanted["next_due_at"], wanted["next_due_meter"] = pm.next_due(
        schedule, state, _time_zone(session)
    )
    values = {k: v for k, v in wanted.items() if getattr(row, k) != v}
    if not values:
        return to_pm_plan(row)
    return to_pm_plan(crud.update_row(session, PmPlanRow, plan_id, values))


def work_order_closed(session: TenantSession, plan_id: uuid.UUID) -> None:
    """A work order the plan generated was completed, cancelled or deleted: the plan
    records its newest completion (``lastCompletedAt``) and recomputes its next due point,
    so a floating plan's next occurrence counts from this completion."""
    row = crud.get_live(session, PmPlanRow, plan_id, for_update=True)
    if row is None:
        return
    state = _state(session, row)
    wanted: dict[str, Any] = {"last_completed_at": state.last_completed_at}
    wanted["next_due_at"], wanted["next_due_meter"] = pm.next_due(
        to_schedule(row), state, _time_zone(session)
    )
    values = {k: v for k, v in wanted.items() if getattr(row, k) != v}
    if values:
        crud.update_row(session, PmPlanRow, plan_id, values)


def delete_pm_plan(
    session: TenantSession, plan_id: uuid.UUID, expected_version: ExpectedVersion = None
) -> None:
    """Soft delete; work orders the plan generated keep their link."""
    row = crud.get_live(session, PmPlanRow, plan_id, for_update=True)
    if row is None:
        raise _not_found(plan_id)
    check_version("PM plan", row.version, expected_version)
    crud.soft_delete(session, PmPlanRow, plan_id)


@dataclass(frozen=True, slots=True)
class PmPlanQuery:
    asset_id: uuid.UUID | None = None
    active: bool | None = None
    limit: int = 50
    cursor: str | None = None


def list_pm_plans(
    session: TenantSession, query: PmPlanQuery, codec: CursorCodec
) -> Page[pm.PmPlan]:
    sort = "-createdAt"
    after = decode_after(codec, query.cursor, sort, [as_uuid])
    rows = repo.list_pm_plans(
        session,
        asset_id=query.asset_id,
        active=query.active,
        after=after,
        limit=query.limit + 1,
    )
    return make_page(
        rows, query.limit, codec=codec, sort=sort, key=lambda r: [r.id], convert=to_pm_plan
    )


@dataclass(frozen=True, slots=True)
class DueOccurrences:
    occurrences: list[pm.Occurrence]
    more: bool


def due_occurrences(
    session: TenantSession, plan_id: uuid.UUID, until: datetime | None, limit: int
) -> DueOccurrences:
    """The occurrences the generator would create up to ``until`` (default now).

    A paused plan generates nothing, so nothing is due for it.
    """
    row = crud.get_live(session, PmPlanRow, plan_id)
    if row is None:
        raise _not_found(plan_id)
    if not row.active:
        return DueOccurrences([], more=False)
    schedule = to_schedule(row)
    found, more = pm.due_occurrences(
        schedule,
        _state(session, row),
        until or datetime.now(UTC),
        _time_zone(session),
        meter=_meter(session, schedule),
        limit=limit,
    )
    return DueOccurrences(found, more)
