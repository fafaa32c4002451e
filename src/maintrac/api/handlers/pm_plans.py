"""PM plan operations: map HTTP to service calls and back."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from connexion.lifecycle import ConnexionResponse

from maintrac.api.operations import Handler, RequestContext
from maintrac.api.responses import (
    PmPlanOut,
    PmPlanPageOut,
    empty_response,
    list_response,
    one_response,
    page_response,
)
from maintrac.core import pm
from maintrac.core.work_orders import Priority
from maintrac.services import pm_generation
from maintrac.services import pm_plans as service
from maintrac_contract import models


def _decimal(value: float | None) -> Decimal | None:
    """A JSON number as an exact decimal: the shortest text that reads back as it."""
    return None if value is None else Decimal(repr(value))


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


def _schedule_in(trigger: models.PmTrigger) -> pm.Schedule:
    data = trigger.root  # the branch of the oneOf that `type` names
    return pm.Schedule(
        type=pm.TriggerType(data.type),
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
    return page_response(page, PmPlanPageOut)


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
    created = service.create_pm_plan(ctx.session, new)
    return one_response(created, PmPlanOut, status=201, location=f"/v1/pm-plans/{created.id}")


def get_pm_plan(ctx: RequestContext, pm_plan_id: str) -> ConnexionResponse:
    return one_response(service.get_pm_plan(ctx.session, uuid.UUID(pm_plan_id)), PmPlanOut)


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
    return one_response(updated, PmPlanOut)


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
    return list_response(due.occurrences, models.PmOccurrencePage, has_more=due.more)


def generate_pm_plan_work_order(ctx: RequestContext, pm_plan_id: str) -> ConnexionResponse:
    generated = pm_generation.generate_next(ctx.session, uuid.UUID(pm_plan_id), ctx.user_id)
    work_order = generated.work_order
    if not generated.created:
        return one_response(work_order, models.WorkOrder)
    return one_response(
        work_order, models.WorkOrder, status=201, location=f"/v1/work-orders/{work_order.id}"
    )


HANDLERS: dict[str, Handler] = {
    "listPmPlans": list_pm_plans,
    "createPmPlan": create_pm_plan,
    "getPmPlan": get_pm_plan,
    "updatePmPlan": update_pm_plan,
    "deletePmPlan": delete_pm_plan,
    "listPmPlanDueOccurrences": list_pm_plan_due_occurrences,
    "generatePmPlanWorkOrder": generate_pm_plan_work_order,
}
