"""Work order operations: map HTTP to service calls and back."""

from __future__ import annotations

import uuid
from typing import Any

from connexion.lifecycle import ConnexionResponse

from maintrac.api.operations import Handler, RequestContext
from maintrac.api.responses import empty_response, json_response
from maintrac.core import work_orders as core
from maintrac.services import work_orders as service
from maintrac_contract import models


def _out(work_order: core.WorkOrder) -> models.WorkOrder:
    return models.WorkOrder(
        id=work_order.id,
        number=work_order.number,
        title=work_order.title,
        description=work_order.description,
        status=models.WorkOrderStatus(work_order.status.value),
        priority=models.WorkOrderPriority(work_order.priority.value),
        asset_id=work_order.asset_id,
        assignee_id=work_order.assignee_id,
        due_at=work_order.due_at,
        completed_at=work_order.completed_at,
        created_at=work_order.created_at,
        updated_at=work_order.updated_at,
    )


def list_work_orders(
    ctx: RequestContext,
    *,
    limit: int = 50,
    cursor: str | None = None,
    sort: service.Sort = "-createdAt",
    status: list[str] | None = None,
    assignee_id: str | None = None,
) -> ConnexionResponse:
    query = service.WorkOrderQuery(
        statuses=[core.Status(s) for s in dict.fromkeys(status or [])],
        assignee_id=uuid.UUID(assignee_id) if assignee_id else None,
        sort=sort,
        limit=limit,
        cursor=cursor,
    )
    page = service.list_work_orders(ctx.session, query, ctx.codec)
    return json_response(
        models.WorkOrderPage(
            data=[_out(w) for w in page.items],
            next_cursor=page.next_cursor,
            has_more=page.has_more,
        )
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
            due_at=data.due_at,
        ),
    )
    return json_response(
        _out(created), status=201, headers={"Location": f"/v1/work-orders/{created.id}"}
    )


def get_work_order(ctx: RequestContext, work_order_id: str) -> ConnexionResponse:
    return json_response(_out(service.get_work_order(ctx.session, uuid.UUID(work_order_id))))


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
    if "asset_id" in sent:
        changes["asset_id"] = data.asset_id
    if "assignee_id" in sent:
        changes["assignee_id"] = data.assignee_id
    if "due_at" in sent:
        changes["due_at"] = data.due_at
    updated = service.update_work_order(ctx.session, uuid.UUID(work_order_id), changes)
    return json_response(_out(updated))


def delete_work_order(ctx: RequestContext, work_order_id: str) -> ConnexionResponse:
    service.delete_work_order(ctx.session, uuid.UUID(work_order_id))
    return empty_response()


HANDLERS: dict[str, Handler] = {
    "listWorkOrders": list_work_orders,
    "createWorkOrder": create_work_order,
    "getWorkOrder": get_work_order,
    "updateWorkOrder": update_work_order,
    "deleteWorkOrder": delete_work_order,
}
