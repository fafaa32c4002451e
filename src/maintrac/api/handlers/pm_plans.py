"""PM plan operations: map HTTP to service calls and back."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from connexion.lifecycle import ConnexionResponse
from pydantic import field_serializer

from maintrac.api.handlers.work_orders import work_order_response
from maintrac.api.operations import Handler, RequestContext
from maintrac.api.responses import empty_response, json_response
from maintrac.core import pm
from maintrac.core.work_orders import Priority
from maintrac.services import pm_generation
from maintrac.services import pm_plans as service
from maintrac_contract import models


class _PmPlanOut(models.PmPlan):
    """A plan as the contract shows it: the trigger lists only the fields its type uses
    (``PmTrigger``'s fields are not nullable)."""

    @field_serializer("trigger")
    def _trigger(self, trigger: models.PmTrigger) -> dict[str, Any]:
        dumped: dict[str, Any] = trigger.model_dump(mode="json", by_alias=True, exclude_none=True)
        return dumped


class _PmPlanPageOut(models.PmPlanPage):
    """A page of plans, each shown as ``_PmPlanOut`` (a field declared ``PmPlan`` would
    otherwise be serialized by ``PmPlan``'s rules)."""

    @field_serializer("data")
    def _data(self, data: list[models.PmPlan]) -> list[dict[str, Any]]:
        return [plan.model_dump(mode="json", by_alias=True) for plan in data]


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _decimal(value: float | None) -> Decimal | None:
    """A JSON number as an exact decimal: the shortest text that reads back as it."""
    return None if value is None else Decimal(repr(value))


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC)


def _trigger_out(schedule: pm.Schedule) -> models.PmTrigger:
    unit = schedule.interval_unit
    return models.PmTrigger(
        type=models.PmTriggerType(schedule.type.value),
        interval_count=schedule.interval_count,
        interval_unit=models.IntervalUnit(unit.value) if unit else None,
        anchor_at=_utc(schedule.anchor_at),
        meter_id=schedule.meter_id,
        meter_interval=_number(schedule.meter_interval),
        meter_anchor=_number(schedule.meter_anchor),
    )


def _out(plan: pm.PmPlan) -> _PmPlanOut:
    template = plan.template
    return _PmPlanOut(
        id=plan.id,
        name=plan.name,
        description=plan.description,
        asset_id=plan.asset_id,
        asset_category_id=plan.asset_category_id,
        work_order_template=models.PmWorkOrderTemplate(
            title=template.title,
            description=template.description,
            task_code_id=template.task_code_id,
            priority=models.WorkOrderPriority(template.priority.value),
            assignee_id=template.assignee_id,
            estimated_hours=_number(template.estimated_hours),
            gl_code_id=template.gl_code_id,
        ),
        trigger=_trigger_out(plan.schedule),
        active=plan.active,
        next_due_at=_utc(plan.next_due_at),
        next_due_meter=_number(plan.next_due_meter),
        last_completed_at=_utc(plan.last_completed_at),
        lead_time_days=plan.lead_time_days,
        last_generated_occurrence=plan.last_generated_occurrence,
        last_generated_at=_utc(plan.last_generated_at),
        created_at=plan.created_at,
        updated_at=plan.updated_at,
    )


def _one(plan: pm.PmPlan, status: int = 200) -> ConnexionResponse:
    location = f"/v1/pm-plans/{plan.id}" if status == 201 else None
    return json_response(_out(plan), status, version=plan.version, location=location)


def _template_in(data: models.PmWorkOrderTemplate) -> pm.WorkOrderTemplate:
    return pm.WorkOrderTemplate(
        title=data.title,
        description=data.description,
        task_code_id=data.task_code_id,
        priority=Priority(data.priority.value) if data.priority else Priority.MEDIUM,
        assignee_id=data.assignee_id,
        estimated_hours=_decimal(data.estimated_hours),
        gl_code_id=data.gl_code_id,
    )


def _schedule_in(data: models.PmTrigger) -> pm.Schedule:
    return pm.Schedule(
        type=pm.TriggerType(data.type.value),
        interval_count=data.interval_count,
        interval_unit=pm.IntervalUnit(data.interval_unit.value) if data.interval_unit else None,
        anchor_at=data.anchor_at,
        meter_id=data.meter_id,
        meter_interval=_decimal(data.meter_interval),
        meter_anchor=_decimal(data.meter_anchor),
    )


def list_pm_plans(
    ctx: RequestContext,
    *,
    limit: int = 50,
    cursor: str | None = None,
    asset_id: str | None = None,
    active: bool | None = None,
) -> ConnexionResponse:
    page = service.list_pm_plans(
        ctx.session,
        service.PmPlanQuery(
            asset_id=uuid.UUID(asset_id) if asset_id else None,
            active=active,
            limit=limit,
            cursor=cursor,
        ),
        ctx.codec,
    )
    return json_response(
        _PmPlanPageOut(
            data=[_out(p) for p in page.items],
            next_cursor=page.next_cursor,
            has_more=page.has_more,
        )
    )


def create_pm_plan(ctx: RequestContext, body: dict[str, Any]) -> ConnexionResponse:
    data = models.PmPlanCreate.model_validate(body)
    new = pm.NewPmPlan(
        name=data.name,
        description=data.description,
        asset_id=data.asset_id,
        asset_category_id=data.asset_category_id,
        template=_template_in(data.work_order_template),
        schedule=_schedule_in(data.trigger),
        active=True if data.active is None else data.active,
        lead_time_days=data.lead_time_days or 0,
    )
    return _one(service.create_pm_plan(ctx.session, new), 201)


def get_pm_plan(ctx: RequestContext, pm_plan_id: str) -> ConnexionResponse:
    return _one(service.get_pm_plan(ctx.session, uuid.UUID(pm_plan_id)))


def update_pm_plan(ctx: RequestContext, pm_plan_id: str, body: dict[str, Any]) -> ConnexionResponse:
    data = models.PmPlanUpdate.model_validate(body)
    changes: pm.PmPlanChanges = {}
    sent = data.model_fields_set
    if "name" in sent and data.name is not None:
        changes["name"] = data.name
    if "description" in sent:
        changes["description"] = data.description
    if "work_order_template" in sent and data.work_order_template is not None:
        changes["template"] = _template_in(data.work_order_template)
    if "trigger" in sent and data.trigger is not None:
        changes["schedule"] = _schedule_in(data.trigger)
    if "active" in sent and data.active is not None:
        changes["active"] = data.active
    if "lead_time_days" in sent and data.lead_time_days is not None:
        changes["lead_time_days"] = data.lead_time_days
    updated = service.update_pm_plan(
        ctx.session, uuid.UUID(pm_plan_id), changes, ctx.expected_version
    )
    return _one(updated)


def delete_pm_plan(ctx: RequestContext, pm_plan_id: str) -> ConnexionResponse:
    service.delete_pm_plan(ctx.session, uuid.UUID(pm_plan_id), ctx.expected_version)
    return empty_response()


def _instant(value: str | None) -> datetime | None:
    """The ``until`` parameter, kept in its own offset: aware datetimes compare exactly
    even where converting to UTC would leave the years 1..9999."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def list_pm_plan_due_occurrences(
    ctx: RequestContext, pm_plan_id: str, *, limit: int = 50, until: str | None = None
) -> ConnexionResponse:
    due = service.due_occurrences(ctx.session, uuid.UUID(pm_plan_id), _instant(until), limit)
    return json_response(
        models.PmOccurrencePage(
            data=[
                models.PmOccurrence(
                    occurrence=o.number,
                    due_at=_utc(o.due_at),
                    due_meter=_number(o.due_meter),
                    reason=models.Reason(o.reason.value),
                )
                for o in due.occurrences
            ],
            next_cursor=None,
            has_more=due.more,
        )
    )


def generate_pm_plan_work_order(ctx: RequestContext, pm_plan_id: str) -> ConnexionResponse:
    generated = pm_generation.generate_next(ctx.session, uuid.UUID(pm_plan_id), ctx.user_id)
    return work_order_response(generated.work_order, 201 if generated.created else 200)


HANDLERS: dict[str, Handler] = {
    "listPmPlans": list_pm_plans,
    "createPmPlan": create_pm_plan,
    "getPmPlan": get_pm_plan,
    "updatePmPlan": update_pm_plan,
    "deletePmPlan": delete_pm_plan,
    "listPmPlanDueOccurrences": list_pm_plan_due_occurrences,
    "generatePmPlanWorkOrder": generate_pm_plan_work_order,
}
