"""Work order use cases: every change is checked by core rules and recorded as history."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

from maintrac.core.concurrency import ExpectedVersion, check_version
from maintrac.core.errors import NotFound
from maintrac.core.ids import new_id
from maintrac.core.pagination import CursorCodec, Page
from maintrac.core.text import tidy
from maintrac.core.work_orders import (
    TERMINAL,
    Event,
    HistoryEntry,
    NewWorkOrder,
    Priority,
    Status,
    WorkOrder,
    WorkOrderChanges,
    change_events,
    creation_event,
    normalize_utc,
    plan_update,
)
from maintrac.db import work_order_events as history
from maintrac.db import work_orders as repo
from maintrac.db.assets import descendant_ids
from maintrac.db.transaction import TenantSession
from maintrac.services import events as domain_events
from maintrac.services import pm_plans
from maintrac.services.paging import paginate

__all__ = ["HistoryEntry", "Sort", "WorkOrderQuery"]

#: The sorts of the work order list; each one's keyset is ``db.work_orders.KEYSETS``.
Sort = repo.Sort


@dataclass(frozen=True, slots=True)
class WorkOrderQuery:
    statuses: Sequence[Status] = ()
    priorities: Sequence[Priority] = ()
    assignee_id: uuid.UUID | None = None
    asset_id: uuid.UUID | None = None
    include_sub_assets: bool = True
    pm_plan_id: uuid.UUID | None = None
    due_before: datetime | None = None
    due_after: datetime | None = None
    updated_since: datetime | None = None
    sort: Sort = "-createdAt"
    limit: int = 50
    cursor: str | None = None


def hours(value: Decimal) -> Decimal:
    """Hours as stored (numeric(8, 2)): to the hundredth, half up, so that sending the
    same value again is no change."""
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _not_found(work_order_id: uuid.UUID) -> NotFound:
    return NotFound(f"No work order {work_order_id}.", resource="work_order")


def _record(  # noqa: PLR0917  # one event, its context
    session: TenantSession,
    work_order_id: uuid.UUID,
    actor_id: uuid.UUID | None,
    event: Event,
    occurred_at: datetime | None = None,
    device_id: str | None = None,
) -> None:
    history.record_event(
        session,
        work_order_id,
        actor_id,
        event.type,
        dict(event.changes),
        occurred_at=occurred_at,
        device_id=device_id,
    )


def create_work_order(
    session: TenantSession, new: NewWorkOrder, actor_id: uuid.UUID | None
) -> WorkOrder:
    """Create in status ``open`` with the tenant's next number; references must exist."""
    created = insert_work_order(session, new)
    _record(session, created.id, actor_id, creation_event(new))
    domain_events.work_order_changed(session, created, creation_event(new), actor_id)
    return created


def insert_work_order(session: TenantSession, new: NewWorkOrder) -> WorkOrder:
    """``create_work_order``'s row alone: its ``created`` history entry and event are the
    caller's to record (a sync push records a table's at once)."""
    number = repo.next_counter_value(session, "work_orders")
    return repo.work_orders.insert(
        session,
        {
            "id": new.id or new_id(),
            "number": number,
            "title": tidy(new.title),
            "description": new.description,
            "status": Status.OPEN,
            "priority": new.priority,
            "asset_id": new.asset_id,
            "assignee_id": new.assignee_id,
            "task_code_id": new.task_code_id,
            "gl_code_id": new.gl_code_id,
            "estimated_hours": None if new.estimated_hours is None else hours(new.estimated_hours),
            "due_at": normalize_utc(new.due_at),
            "pm_plan_id": new.pm_plan_id,
            "pm_occurrence": new.pm_occurrence,
        },
    )


def get_work_order(session: TenantSession, work_order_id: uuid.UUID) -> WorkOrder:
    found = repo.work_orders.get(session, work_order_id)
    if found is None:
        raise _not_found(work_order_id)
    return found


def update_work_order(
    session: TenantSession,
    work_order_id: uuid.UUID,
    changes: WorkOrderChanges,
    actor_id: uuid.UUID | None,
    expected_version: ExpectedVersion = None,
    *,
    written_at: datetime | None = None,
    device_id: str | None = None,
    locked: WorkOrder | None = None,
) -> WorkOrder:
    """Apply ``changes`` if the status machine allows them; record what changed (at
    ``written_at`` when the change was made earlier, offline).

    ``locked``: the live work order as the caller already read it ``FOR UPDATE`` in this
    transaction (a sync push), so it is not read and locked again."""
    current = locked or repo.work_orders.get(session, work_order_id, for_update=True)
    if current is None:
        raise _not_found(work_order_id)
    check_version("work order", current.version, expected_version)
    values = planned_update(current, changes)
    if not values:
        return current
    updated = repo.work_orders.update(session, work_order_id, values)
    for event in change_events(current, values):
        _record(session, work_order_id, actor_id, event, written_at, device_id)
        domain_events.work_order_changed(session, updated, event, actor_id)
    if updated.pm_plan_id is not None and values.get("status") in TERMINAL:
        # A floating plan's next occurrence counts from this completion.
        pm_plans.work_order_closed(session, updated.pm_plan_id)
    return updated


def planned_update(current: WorkOrder, changes: WorkOrderChanges) -> dict[str, object]:
    """The column values ``update_work_order`` writes for ``changes`` to ``current``
    (normalized as stored; the status machine checked): empty when nothing changes."""
    normalized: WorkOrderChanges = dict(changes)  # type: ignore[assignment]
    if "due_at" in normalized:
        normalized["due_at"] = normalize_utc(normalized["due_at"])
    if "title" in normalized:
        normalized["title"] = tidy(normalized["title"])
    estimated = normalized.get("estimated_hours")
    if estimated is not None:
        normalized["estimated_hours"] = hours(estimated)
    return plan_update(current, normalized, datetime.now(UTC))


def delete_work_order(
    session: TenantSession,
    work_order_id: uuid.UUID,
    actor_id: uuid.UUID | None,
    expected_version: ExpectedVersion = None,
) -> None:
    current = repo.work_orders.get(session, work_order_id, for_update=True)
    if current is None:
        raise _not_found(work_order_id)
    check_version("work order", current.version, expected_version)
    repo.work_orders.soft_delete(session, work_order_id)
    _record(session, work_order_id, actor_id, Event("deleted", {}))
    if current.pm_plan_id is not None:
        pm_plans.work_order_closed(session, current.pm_plan_id)


def list_work_orders(
    session: TenantSession, query: WorkOrderQuery, codec: CursorCodec
) -> Page[WorkOrder]:
    """A page of live work orders; the cursor is bound to the filters (the sub-asset
    expansion included), not to the page size."""
    scope = {
        "list": "work_orders",
        "statuses": query.statuses,
        "priorities": query.priorities,
        "assignee_id": query.assignee_id,
        "asset_id": query.asset_id,
        "include_sub_assets": query.asset_id is not None and query.include_sub_assets,
        "pm_plan_id": query.pm_plan_id,
        "due_before": query.due_before,
        "due_after": query.due_after,
        "updated_since": query.updated_since,
    }

    def fetch(after: Sequence[object] | None, limit: int) -> list[WorkOrder]:
        asset_ids: Sequence[uuid.UUID] | None = None
        if query.asset_id is not None:
            asset_ids = (
                descendant_ids(session, query.asset_id)
                if query.include_sub_assets
                else [query.asset_id]
            )
        filters = repo.Filters(
            statuses=[s.value for s in query.statuses],
            priorities=[p.value for p in query.priorities],
            assignee_id=query.assignee_id,
            asset_ids=asset_ids,
            pm_plan_id=query.pm_plan_id,
            due_before=query.due_before,
            due_after=query.due_after,
            updated_since=query.updated_since,
        )
        return repo.list_work_orders(session, filters, sort=query.sort, after=after, limit=limit)

    return paginate(
        session, codec, repo.KEYSETS[query.sort], query.cursor, query.limit, scope, fetch
    )


def list_history(
    session: TenantSession,
    work_order_id: uuid.UUID,
    *,
    limit: int,
    cursor: str | None,
    codec: CursorCodec,
) -> Page[HistoryEntry]:
    """The work order's events, oldest first (a deleted work order's history is 404 too)."""
    if not repo.work_orders.exists(session, work_order_id):
        raise _not_found(work_order_id)
    return paginate(
        session,
        codec,
        history.HISTORY,
        cursor,
        limit,
        {"list": "work_order_events", "work_order_id": work_order_id},
        lambda after, n: history.list_events(session, work_order_id, after=after, limit=n),
    )
