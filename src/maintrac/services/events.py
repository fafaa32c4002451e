"""Domain events: what happened, written once per event into the caller's transaction.

``emit`` writes ONE outbox message (``maintrac.events.dispatch``) per event, in the same
transaction as the change it describes: a rollback leaves no event, a commit always has
one (the relay publishes it after commit). The worker's fan-out task
(``maintrac.jobs.events``) hands the event to every registered subscriber (webhooks,
e-mail notices) inside one tenant transaction, once per event.

An event is a JSON object::

    {"id": UUIDv7, "type": "work_order.status_changed", "occurredAt": RFC 3339 UTC,
     "tenantId": ..., "actorId": uuid | null, "data": {...}}

``tenantId`` is filled in by the fan-out from the transaction's tenant (the emitter's
transaction is always one tenant's). Work order events carry ``data.sequence``: it grows
with every change of that work order, so a receiver orders one work order's events by it
(deliveries themselves may arrive out of order after retries).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final

from maintrac.core.ids import new_id
from maintrac.core.meters import Reading
from maintrac.core.work_orders import Event, WorkOrder
from maintrac.db.transaction import TenantSession
from maintrac.db.transaction import tenant_of as transaction_tenant
from maintrac.db.webhooks import work_order_sequence
from maintrac.services import outbox

#: The outbox task that fans an event out to the subscribers.
DISPATCH_TASK: Final = "maintrac.events.dispatch"
#: The outbox task that fans out many events of one transaction (args ``{"events":
#: [...]}``), each as ``DISPATCH_TASK`` would, in a savepoint of its own: an event whose
#: subscribers fail is rolled back and sent again alone (``dispatch_alone``), the others
#: commit. PM generation writes its events this way.
DISPATCH_BATCH_TASK: Final = "maintrac.events.dispatch_batch"
#: Work orders whose events (two each) PM generation puts in one batch message.
WORK_ORDERS_PER_BATCH_MESSAGE: Final = 250

#: Every domain event type, in the order the docs list them (``ping`` is not a domain
#: event: only a webhook test sends it).
EVENT_TYPES: Final = (
    "work_order.created",
    "work_order.updated",
    "work_order.status_changed",
    "work_order.assigned",
    "pm_plan.work_order_generated",
    "meter.reading_recorded",
)

#: A work order's history entry type -> the domain event it is (other history entries,
#: such as work log lines, are not events).
_HISTORY_EVENTS: Final = {
    "created": "work_order.created",
    "updated": "work_order.updated",
    "status_changed": "work_order.status_changed",
    "assigned": "work_order.assigned",
    "unassigned": "work_order.updated",
}


def _message(
    event_id: uuid.UUID, type: str, data: Mapping[str, Any], actor_id: uuid.UUID | None
) -> tuple[str, dict[str, Any]]:
    """The outbox ``(task, args)`` of one event: the one place an event body is built in
    Python. (PM generation builds its two events in SQL, ``db.pm_generation._GENERATED``,
    for thousands of work orders at once; ``tests/webhooks/test_events.py`` pins that
    its JSON is this one's.)"""
    if type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type!r}")
    event = {
        "id": str(event_id),
        "type": type,
        "occurredAt": timestamp(datetime.now(UTC)),
        "actorId": None if actor_id is None else str(actor_id),
        "data": dict(data),
    }
    return DISPATCH_TASK, {"event": event}


def emit(
    session: TenantSession,
    type: str,  # the event type, as receivers name it
    data: Mapping[str, Any],
    *,
    actor_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Record that ``type`` happened (with JSON ``data``) once this transaction commits;
    returns the event id."""
    event_id = new_id()
    task, args = _message(event_id, type, data, actor_id)
    outbox.enqueue(session, task, args)
    return event_id


def dispatch_alone(session: TenantSession, event: Mapping[str, Any]) -> uuid.UUID:
    """Send ``event`` (as stored, without ``tenantId``) to the subscribers again as a
    message of its own (``DISPATCH_TASK``, with that task's retries): what the batch
    fan-out does with an event that failed."""
    return outbox.enqueue(session, DISPATCH_TASK, {"event": dict(event)})


def work_order_changed(
    session: TenantSession, work_order: WorkOrder, change: Event, actor_id: uuid.UUID | None
) -> None:
    """The event of one history entry of ``work_order`` (its state after the change)."""
    if change.type not in _HISTORY_EVENTS:
        return
    sequence = work_order_sequence(session, work_order.id)
    pending = pending_work_order_event(work_order, change, sequence, actor_id)
    if pending is not None:
        outbox.enqueue(session, *pending)


def pending_event(
    type: str,  # the event type, as receivers name it
    data: Mapping[str, Any],
    *,
    actor_id: uuid.UUID | None = None,
) -> tuple[str, dict[str, Any]]:
    """What ``emit`` writes, as an outbox ``(task, args)`` for a caller that writes many
    at once (``outbox.enqueue_many``, a sync push)."""
    return _message(new_id(), type, data, actor_id)


def pending_work_order_event(
    work_order: WorkOrder, change: Event, sequence: int, actor_id: uuid.UUID | None
) -> tuple[str, dict[str, Any]] | None:
    """``work_order_changed`` as a pending event, its ``sequence`` counted by the caller
    (None: this history entry is no event)."""
    kind = _HISTORY_EVENTS.get(change.type)
    if kind is None:
        return None
    data = {
        "sequence": sequence,
        "workOrder": work_order_snapshot(work_order),
        "changes": dict(change.changes),
    }
    return pending_event(kind, data, actor_id=actor_id)


def pending_reading_event(asset_id: uuid.UUID, reading: Reading) -> tuple[str, dict[str, Any]]:
    """``reading_recorded`` as a pending event."""
    return pending_event(
        "meter.reading_recorded", _reading_data(asset_id, reading), actor_id=reading.taken_by
    )


def _reading_data(asset_id: uuid.UUID, reading: Reading) -> dict[str, Any]:
    return {
        "reading": {
            "id": str(reading.id),
            "meterId": str(reading.meter_id),
            "assetId": str(asset_id),
            "value": float(reading.value),
            "takenAt": timestamp(reading.taken_at),
            "workOrderId": _str(reading.work_order_id),
            "source": reading.source.value,
        }
    }


def reading_recorded(session: TenantSession, asset_id: uuid.UUID, reading: Reading) -> None:
    data = {
        "reading": {
            "id": str(reading.id),
            "meterId": str(reading.meter_id),
            "assetId": str(asset_id),
            "value": float(reading.value),
            "takenAt": timestamp(reading.taken_at),
            "workOrderId": _str(reading.work_order_id),
            "source": reading.source.value,
        }
    }
    emit(session, "meter.reading_recorded", data, actor_id=reading.taken_by)


def work_order_snapshot(work_order: WorkOrder) -> dict[str, Any]:
    """The fields a receiver needs to act without calling back (the API has the rest)."""
    return {
        "id": str(work_order.id),
        "number": work_order.number,
        "title": work_order.title,
        "status": work_order.status.value,
        "priority": work_order.priority.value,
        "assetId": _str(work_order.asset_id),
        "assigneeId": _str(work_order.assignee_id),
        "pmPlanId": _str(work_order.pm_plan_id),
        "dueAt": None if work_order.due_at is None else timestamp(work_order.due_at),
        "completedAt": (
            None if work_order.completed_at is None else timestamp(work_order.completed_at)
        ),
        "version": work_order.version,
        "updatedAt": timestamp(work_order.updated_at),
    }


def _str(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)


def timestamp(moment: datetime) -> str:
    """A time as events carry it (RFC 3339, UTC, ``Z``)."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def tenant_of(session: TenantSession) -> uuid.UUID:
    """The tenant of the transaction (the fan-out stamps it on the event)."""
    return transaction_tenant(session)
