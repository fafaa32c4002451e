"""Work log entry operations: map HTTP to service calls and back."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from connexion.lifecycle import ConnexionResponse

from maintrac.api.operations import Handler, RequestContext
from maintrac.api.responses import one_response, page_response
from maintrac.core.work_log import EntryKind, NewWorkLogEntry
from maintrac.services import work_log as service
from maintrac_contract import models


def _decimal(body: dict[str, Any], name: str) -> Decimal | None:
    """A JSON number as written (via str), not its binary float: 18.4 stays 18.4."""
    value = body.get(name)
    return None if value is None else Decimal(str(value))


def list_work_log_entries(
    ctx: RequestContext, work_order_id: str, *, limit: int = 50, cursor: str | None = None
) -> ConnexionResponse:
    page = service.list_entries(
        ctx.session,
        uuid.UUID(work_order_id),
        service.EntryQuery(limit=limit, cursor=cursor),
        ctx.codec,
    )
    return page_response(page, models.WorkLogEntryPage)


def create_work_log_entry(
    ctx: RequestContext, work_order_id: str, body: dict[str, Any]
) -> ConnexionResponse:
    data = models.WorkLogEntryCreate.model_validate(body)
    new = NewWorkLogEntry(
        kind=EntryKind(data.kind.value),
        logged_at=data.logged_at,
        minutes=data.minutes,
        material_name=data.material_name,
        quantity=_decimal(body, "quantity"),
        unit=data.unit,
        unit_cost=_decimal(body, "unitCost"),
        note=data.note,
        corrects_entry_id=data.corrects_entry_id,
    )
    entry = service.append_entry(ctx.session, uuid.UUID(work_order_id), new, ctx.user_id)
    location = f"/v1/work-orders/{entry.work_order_id}/log-entries/{entry.id}"
    return one_response(entry, models.WorkLogEntry, status=201, location=location)


def get_work_log_entry(
    ctx: RequestContext, work_order_id: str, log_entry_id: str
) -> ConnexionResponse:
    entry = service.get_entry(ctx.session, uuid.UUID(work_order_id), uuid.UUID(log_entry_id))
    return one_response(entry, models.WorkLogEntry)


HANDLERS: dict[str, Handler] = {
    "listWorkLogEntries": list_work_log_entries,
    "createWorkLogEntry": create_work_log_entry,
    "getWorkLogEntry": get_work_log_entry,
}
