"""Work order operations: map HTTP to service calls and back."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from connexion.lifecycle import ConnexionResponse

from maintrac.api.operations import Handler, RequestContext
from maintrac.api.responses import empty_response, one_response, page_response
from maintrac.core import work_orders as core
from maintrac.services import work_orders as service
from maintrac_contract import models


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _uuid(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def list_work_orders(
    ctx: RequestContext,
    *,
    limit: int = 50,
    cursor: str | None = None,
    sort: service.Sort = "-createdAt",
    status: list[str] | None = None,
    priority: list[str] | None = None,
    assignee_id: str | None = None,
    asset_id: str | None = None,
    include_sub_assets: bool = True,
    pm_plan_id: str | None = None,
    due_before: str | None = None,
    due_after: str | None = None,
    updated_since: str | None = None,
) -> ConnexionResponse:
    query = service.WorkOrderQuery(
        statuses=[core.Status(s) for s in dict.fromkeys(status or [])],
        priorities=[core.Priority(p) for p in dict.fromkeys(priority or [])],
        assignee_id=_uuid(assignee_id),
        asset_id=_uuid(asset_id),
        include_sub_assets=include_sub_assets,
        pm_plan_id=_uuid(pm_plan_id),
        due_before=_time(due_before),
        due_after=_time(due_after),
        updated_since=_time(updated_since),
        sort=sort,
        limit=limit,
        cursor=cursor,
    )
    return page_response(
        service.list_work_orders(ctx.session, query, ctx.codec), models.WorkOrderPage
    )


def create_work_order(ctx: RequestContext, body: dict[str, Any]) -> ConnexionResponse:
    data = models.WorkOrderCreate.model_validate(body)
    created = service.create_work_order(
        ctx.session,
        core.NewWorkOrder(
            title=data.title,
            description=data.description,
            priority=core.Priority(data.priority.value) if data.priority else core.Priority.MEDIUM,
            asset_id=data.asset_id,
            assignee_id=data.assignee_id,
            task_code_id=data.task_code_id,
            gl_code_id=data.gl_code_id,
            estimated_hours=_decimal(data.estimated_hours),
            due_at=data.due_at,
        ),
        ctx.user_id,
    )
    return one_response(
        created, models.WorkOrder, status=201, location=f"/v1/work-orders/{created.id}"
    )


def get_work_order(ctx: RequestContext, work_order_id: str) -> ConnexionResponse:
    return one_response(
        service.get_work_order(ctx.session, uuid.UUID(work_order_id)), models.WorkOrder
    )


def update_work_order(
    ctx: RequestContext, work_order_id: str, body: dict[str, Any]
) -> ConnexionResponse:
    data = models.WorkOrderUpdate.model_validate(body)
    changes: core.WorkOrderChanges = {}
    sent = data.model_fields_set
    if "title" in sent and data.title is not None:
        changes["title"] = data.title
    if "description" in sent:
        changes["description"] = data.description
    if "status" in sent and data.status is not None:
        changes["status"] = core.Status(data.status.value)
    if "priority" in sent and data.priority is not None:
        changes["priority"] = core.Priority(data.priority.value)
    for name in ("asset_id", "assignee_id", "task_code_id", "gl_code_id"):
        if name in sent:
            changes[name] = getattr(data, name)
    if "estimated_hours" in sent:
        changes["estimated_hours"] = _decimal(data.estimated_hours)
    if "due_at" in sent:
        changes["due_at"] = data.due_at
    updated = service.update_work_order(
        ctx.session, uuid.UUID(work_order_id), changes, ctx.user_id, ctx.expected_version
    )
    return one_response(updated, models.WorkOrder)


def delete_work_order(ctx: RequestContext, work_order_id: str) -> ConnexionResponse:
    service.delete_work_order(
        ctx.session, uuid.UUID(work_order_id), ctx.user_id, ctx.expected_version
    )
    return empty_response()


def list_work_order_events(
    ctx: RequestContext, work_order_id: str, *, limit: int = 50, cursor: str | None = None
) -> ConnexionResponse:
    page = service.list_history(
        ctx.session, uuid.UUID(work_order_id), limit=limit, cursor=cursor, codec=ctx.codec
    )
    return page_response(page, models.WorkOrderEventPage)


HANDLERS: dict[str, Handler] = {
    "listWorkOrders": list_work_orders,
    "createWorkOrder": create_work_order,
    "getWorkOrder": get_work_order,
    "updateWorkOrder": update_work_order,
    "deleteWorkOrder": delete_work_order,
    "listWorkOrderEvents": list_work_order_events,
}
