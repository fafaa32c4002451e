"""Work orders: the status state machine and field rules.

Statuses: open, in_progress, on_hold, complete, cancelled. ``complete`` and ``cancelled``
are terminal: nothing leaves them (a completed job cannot revert to in progress; reopening
work means a new work order that can reference the old one).
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Final, TypedDict

from maintrac.core.errors import InvalidStatusTransition


class Status(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    COMPLETE = "complete"
    CANCELLED = "cancelled"


class Priority(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    URGENT = "urgent"


#: Text limits of a work order (the contract states the same).
TITLE_MAX_LENGTH: Final = 200
DESCRIPTION_MAX_LENGTH: Final = 10_000

TERMINAL: Final = frozenset({Status.COMPLETE, Status.CANCELLED})

#: Allowed next states of each state. A change to the same state is no change.
TRANSITIONS: Final[dict[Status, frozenset[Status]]] = {
    Status.OPEN: frozenset({Status.IN_PROGRESS, Status.ON_HOLD, Status.COMPLETE, Status.CANCELLED}),
    Status.IN_PROGRESS: frozenset({Status.OPEN, Status.ON_HOLD, Status.COMPLETE, Status.CANCELLED}),
    Status.ON_HOLD: frozenset({Status.OPEN, Status.IN_PROGRESS, Status.CANCELLED}),
    Status.COMPLETE: frozenset(),
    Status.CANCELLED: frozenset(),
}


def allowed_next(current: Status) -> list[Status]:
    """The states ``current`` may move to, in a stable order for messages and APIs."""
    return [s for s in Status if s in TRANSITIONS[current]]


def check_transition(current: Status, requested: Status) -> None:
    """Raise InvalidStatusTransition unless ``current -> requested`` is allowed.

    On hold must resume (open or in progress) before it can complete: work that was
    stopped is not marked done without someone picking it up again.
    """
    if requested == current or requested in TRANSITIONS[current]:
        return
    allowed = allowed_next(current)
    if current in TERMINAL:
        detail = f"A {current.value} work order is final; it cannot change to {requested.value}."
    else:
        detail = (
            f"A work order cannot change from {current.value} to {requested.value}; "
            f"allowed next: {', '.join(s.value for s in allowed)}."
        )
    raise InvalidStatusTransition(
        detail,
        currentStatus=current.value,
        requestedStatus=requested.value,
        allowedStatuses=[s.value for s in allowed],
    )


@dataclass(frozen=True, slots=True)
class WorkOrder:
    id: uuid.UUID
    number: int
    title: str
    description: str | None
    status: Status
    priority: Priority
    asset_id: uuid.UUID | None
    assignee_id: uuid.UUID | None
    task_code_id: uuid.UUID | None
    gl_code_id: uuid.UUID | None
    pm_plan_id: uuid.UUID | None
    pm_occurrence: int | None
    estimated_hours: Decimal | None
    actual_minutes: int
    due_at: datetime | None
    completed_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime

    @property
    def actual_hours(self) -> Decimal:
        return hours(self.actual_minutes)


@dataclass(frozen=True, slots=True)
class NewWorkOrder:
    title: str
    description: str | None = None
    priority: Priority = Priority.MEDIUM
    asset_id: uuid.UUID | None = None
    assignee_id: uuid.UUID | None = None
    task_code_id: uuid.UUID | None = None
    gl_code_id: uuid.UUID | None = None
    estimated_hours: Decimal | None = None
    due_at: datetime | None = None
    pm_plan_id: uuid.UUID | None = None
    pm_occurrence: int | None = None
    #: A device's own id (offline sync); the server makes one otherwise.
    id: uuid.UUID | None = None


class WorkOrderChanges(TypedDict, total=False):
    """A partial update: a key that is absent keeps its value; None clears a nullable field."""

    title: str
    description: str | None
    status: Status
    priority: Priority
    asset_id: uuid.UUID | None
    assignee_id: uuid.UUID | None
    task_code_id: uuid.UUID | None
    gl_code_id: uuid.UUID | None
    estimated_hours: Decimal | None
    due_at: datetime | None


#: How each field is named in the API (and so in the history a client reads).
API_NAMES: Final = {
    "title": "title",
    "description": "description",
    "status": "status",
    "priority": "priority",
    "asset_id": "assetId",
    "assignee_id": "assigneeId",
    "task_code_id": "taskCodeId",
    "gl_code_id": "glCodeId",
    "estimated_hours": "estimatedHours",
    "due_at": "dueAt",
    "completed_at": "completedAt",
    "pm_plan_id": "pmPlanId",
    "pm_occurrence": "pmOccurrence",
}


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of a work order's history: a type and each field's old and new value."""

    type: str
    changes: dict[str, dict[str, object]]


def _json(value: object) -> object:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, StrEnum):
        return value.value
    return value


def creation_event(new: NewWorkOrder) -> Event:
    changes = {
        API_NAMES[name]: {"from": None, "to": _json(getattr(new, name))}
        for name in API_NAMES
        if hasattr(new, name) and getattr(new, name) is not None
    }
    changes["status"] = {"from": None, "to": Status.OPEN.value}
    return Event("created", changes)


def change_events(current: WorkOrder, values: dict[str, object]) -> list[Event]:
    """The history entries for writing ``values`` over ``current``.

    A status change and an assignment change are events of their own types (the ones
    people filter history by); everything else changed at once is one ``updated`` event.
    """
    events: list[Event] = []

    def diff(name: str) -> dict[str, object]:
        return {"from": _json(getattr(current, name)), "to": _json(values[name])}

    if "status" in values:
        changes = {"status": diff("status")}
        if "completed_at" in values:
            changes["completedAt"] = diff("completed_at")
        events.append(Event("status_changed", changes))
    if "assignee_id" in values:
        kind = "unassigned" if values["assignee_id"] is None else "assigned"
        events.append(Event(kind, {"assigneeId": diff("assignee_id")}))
    rest = {
        API_NAMES[name]: diff(name)
        for name in values
        if name not in ("status", "completed_at", "assignee_id")
    }
    if rest:
        events.append(Event("updated", rest))
    return events


def plan_update(current: WorkOrder, changes: WorkOrderChanges, now: datetime) -> dict[str, object]:
    """The column values to write for ``changes`` to ``current``.

    Checks the status transition; entering ``complete`` stamps ``completed_at``. Fields
    whose value does not change are left out, so an update that changes nothing writes
    nothing.
    """
    values: dict[str, object] = {}
    for field, value in changes.items():
        if getattr(current, field) != value:
            values[field] = value
    new_status = changes.get("status")
    if new_status is not None and new_status != current.status:
        check_transition(current.status, new_status)
        if new_status == Status.COMPLETE:
            values["completed_at"] = now
    return values


def normalize_utc(moment: datetime | None) -> datetime | None:
    """Timestamps are stored and returned in UTC; naive values are refused earlier."""
    return None if moment is None else moment.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One event of a work order's history (append-only)."""

    id: uuid.UUID
    work_order_id: uuid.UUID
    actor_id: uuid.UUID | None
    type: str
    changes: dict[str, dict[str, object]]
    occurred_at: datetime


_CENT: Final = Decimal("0.01")


@functools.lru_cache(maxsize=4096)
def hours(minutes: int) -> Decimal:
    """Minutes as hours to the hundredth (a page of work orders asks for the same few
    values over and over; a ``Decimal`` is immutable, so one is shared)."""
    return (Decimal(minutes) / 60).quantize(_CENT)
