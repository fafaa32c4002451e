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
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from maintrac.core import pm
from maintrac.core.concurrency import ExpectedVersion, check_version
from maintrac.core.errors import InvalidFields, NotFound
from maintrac.core.ids import new_id
from maintrac.core.pagination import CursorCodec, Page
from maintrac.core.reference_data import ReferenceKind
from maintrac.core.text import tidy
from maintrac.core.work_orders import TERMINAL, Status
from maintrac.db import pm_plans as repo
from maintrac.db.assets import assets
from maintrac.db.meters import meters
from maintrac.db.pm_plans import PlanRecord
from maintrac.db.reference_data import repository_of
from maintrac.db.transaction import TenantSession
from maintrac.db.users import users
from maintrac.db.work_orders import occurrence_work_order
from maintrac.services.paging import paginate


class _Exists(Protocol):
    def exists(self, session: TenantSession, row_id: uuid.UUID, /) -> bool: ...


#: A reference to check: pointer -> (where it must be live, the id or None).
References = Mapping[str, tuple[_Exists, uuid.UUID | None]]


def _template(template: pm.WorkOrderTemplate) -> pm.WorkOrderTemplate:
    """The template as stored (title trimmed)."""
    return replace(template, title=tidy(template.title))


def _not_found(plan_id: uuid.UUID) -> NotFound:
    return NotFound(f"No PM plan {plan_id}.", resource="pm_plan")


def _time_zone(session: TenantSession) -> ZoneInfo:
    return ZoneInfo(repo.tenant_time_zone(session))


def _state(session: TenantSession, record: PlanRecord) -> pm.PlanState:
    """The plan's series state. For a floating plan, the work order of the newest
    occurrence says whether it is still open, and its completion counts even before the
    plan's own ``last_completed_at`` was updated."""
    plan = record.plan
    last_completed_at = plan.last_completed_at
    awaiting = False
    if plan.schedule.type == pm.TriggerType.CALENDAR_FLOATING and plan.next_occurrence > 0:
        found = occurrence_work_order(session, plan.id, plan.next_occurrence - 1)
        if found is not None:
            work_order, deleted = found
            status = Status(work_order.status)
            awaiting = not deleted and status not in TERMINAL
            completed = work_order.completed_at
            if (
                status is Status.COMPLETE
                and completed is not None
                and (last_completed_at is None or completed > last_completed_at)
            ):
                last_completed_at = completed
    return pm.PlanState(plan.next_occurrence, last_completed_at, awaiting, record.series_origin)


def _meter(session: TenantSession, schedule: pm.Schedule) -> pm.MeterState | None:
    if schedule.meter_id is None:
        return None
    meter = meters.get(session, schedule.meter_id)
    if meter is None or meter.last_reading_value is None:
        return None
    return pm.MeterState(meter.last_reading_value, meter.last_reading_at)


def _check_references(
    session: TenantSession,
    asset_id: uuid.UUID | None,
    references: References,
    schedule: pm.Schedule | None,
) -> None:
    """Each named item must be live in this tenant (RLS hides other tenants' rows); the
    trigger's meter must be a cumulative meter of the plan's asset."""
    missing = [
        pointer
        for pointer, (where, ref) in references.items()
        if ref is not None and not where.exists(session, ref)
    ]
    errors: pm.FieldErrors = []
    if schedule is not None and schedule.meter_id is not None:
        meter = meters.get(session, schedule.meter_id)
        if meter is None:
            missing.append("/trigger/meterId")
        else:
            errors = pm.meter_errors(asset_id, meter.asset_id, meter.kind)
    if missing:
        raise pm.missing_references(missing)
    if errors:
        raise InvalidFields(errors)


def _template_references(template: pm.WorkOrderTemplate) -> References:
    return {
        "/workOrderTemplate/taskCodeId": (
            repository_of(ReferenceKind.TASK_CODE),
            template.task_code_id,
        ),
        "/workOrderTemplate/assigneeId": (users, template.assignee_id),
        "/workOrderTemplate/glCodeId": (repository_of(ReferenceKind.GL_CODE), template.gl_code_id),
    }


def get_pm_plan(session: TenantSession, plan_id: uuid.UUID) -> pm.PmPlan:
    found = repo.plans.get(session, plan_id)
    if found is None:
        raise _not_found(plan_id)
    return found.plan


def create_pm_plan(session: TenantSession, new: pm.NewPmPlan) -> pm.PmPlan:
    """Validate the target and trigger, check every reference, store the next due point.

    Trigger fields its type does not use are dropped, not stored."""
    schedule = pm.used_fields(new.schedule)
    pm.check_plan(new.asset_id, new.asset_category_id, schedule)
    _check_references(
        session,
        new.asset_id,
        {
            "/assetId": (assets, new.asset_id),
            "/assetCategoryId": (
                repository_of(ReferenceKind.ASSET_CATEGORY),
                new.asset_category_id,
            ),
            **_template_references(new.template),
        },
        schedule,
    )
    next_due_at, next_due_meter = pm.next_due(schedule, pm.PlanState(), _time_zone(session))
    created = repo.plans.insert(
        session,
        {
            "id": new_id(),
            "name": tidy(new.name),
            "description": new.description,
            "asset_id": new.asset_id,
            "asset_category_id": new.asset_category_id,
            "template": _template(new.template),
            "schedule": schedule,
            "active": new.active,
            "lead_time_days": new.lead_time_days,
            "next_due_at": next_due_at,
            "next_due_meter": next_due_meter,
        },
    )
    return created.plan


def update_pm_plan(
    session: TenantSession,
    plan_id: uuid.UUID,
    changes: pm.PmPlanChanges,
    expected_version: ExpectedVersion = None,
) -> pm.PmPlan:
    """Apply ``changes``; the template and the trigger are replaced whole. The next due
    point is recomputed on every update (a new trigger, or a tenant time zone change)."""
    record = repo.plans.get(session, plan_id, for_update=True)
    if record is None:
        raise _not_found(plan_id)
    plan = record.plan
    check_version("PM plan", plan.version, expected_version)
    wanted: dict[str, Any] = {}
    if "name" in changes:
        wanted["name"] = tidy(changes["name"])
    if "description" in changes:
        wanted["description"] = changes["description"]
    if "active" in changes:
        wanted["active"] = changes["active"]
    if "lead_time_days" in changes:
        wanted["lead_time_days"] = changes["lead_time_days"]
    references: dict[str, tuple[_Exists, uuid.UUID | None]] = {}
    if "template" in changes:
        wanted["template"] = _template(changes["template"])
        references.update(_template_references(changes["template"]))
    schedule = plan.schedule
    new_schedule = None
    if "schedule" in changes:
        schedule = new_schedule = pm.used_fields(changes["schedule"])
        pm.check_plan(plan.asset_id, plan.asset_category_id, schedule)
        wanted["schedule"] = schedule
        if schedule != plan.schedule:
            # A new trigger starts its own series at its anchor; numbers carry on.
            wanted["series_origin"] = plan.next_occurrence
    _check_references(session, plan.asset_id, references, new_schedule)
    state = _state(session, record)
    if "series_origin" in wanted:
        state = replace(state, series_origin=wanted["series_origin"])
    wanted["next_due_at"], wanted["next_due_meter"] = pm.next_due(
        schedule, state, _time_zone(session)
    )
    stored = {"series_origin": record.series_origin}
    values = {k: v for k, v in wanted.items() if stored.get(k, getattr(plan, k, None)) != v}
    if not values:
        return plan
    return repo.plans.update(session, plan_id, values).plan


def work_order_closed(session: TenantSession, plan_id: uuid.UUID) -> None:
    """A work order the plan generated was completed, cancelled or deleted: the plan
    records its newest completion (``lastCompletedAt``) and recomputes its next due point,
    so a floating plan's next occurrence counts from this completion."""
    record = repo.plans.get(session, plan_id, for_update=True)
    if record is None:
        return
    plan = record.plan
    state = _state(session, record)
    wanted: dict[str, Any] = {"last_completed_at": state.last_completed_at}
    wanted["next_due_at"], wanted["next_due_meter"] = pm.next_due(
        plan.schedule, state, _time_zone(session)
    )
    values = {k: v for k, v in wanted.items() if getattr(plan, k) != v}
    if values:
        repo.plans.update(session, plan_id, values)


def delete_pm_plan(
    session: TenantSession, plan_id: uuid.UUID, expected_version: ExpectedVersion = None
) -> None:
    """Soft delete; work orders the plan generated keep their link."""
    record = repo.plans.get(session, plan_id, for_update=True)
    if record is None:
        raise _not_found(plan_id)
    check_version("PM plan", record.plan.version, expected_version)
    repo.plans.soft_delete(session, plan_id)


@dataclass(frozen=True, slots=True)
class PmPlanQuery:
    asset_id: uuid.UUID | None = None
    active: bool | None = None
    limit: int = 50
    cursor: str | None = None


def list_pm_plans(
    session: TenantSession, query: PmPlanQuery, codec: CursorCodec
) -> Page[pm.PmPlan]:
    page = paginate(
        session,
        codec,
        repo.NEWEST_FIRST,
        query.cursor,
        query.limit,
        {"list": "pm_plans", "asset_id": query.asset_id, "active": query.active},
        lambda after, limit: repo.list_pm_plans(
            session, asset_id=query.asset_id, active=query.active, after=after, limit=limit
        ),
    )
    return Page(items=[r.plan for r in page.items], next_cursor=page.next_cursor)


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
    record = repo.plans.get(session, plan_id)
    if record is None:
        raise _not_found(plan_id)
    if not record.plan.active:
        return DueOccurrences([], more=False)
    schedule = record.plan.schedule
    found, more = pm.due_occurrences(
        schedule,
        _state(session, record),
        until or datetime.now(UTC),
        _time_zone(session),
        meter=_meter(session, schedule),
        limit=limit,
    )
    return DueOccurrences(found, more)
