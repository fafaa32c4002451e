"""Work orders: the status state machine and field rules.

Statuses: open, in_progress, on_hold, complete, cancelled. ``complete`` and ``cancelled``
are terminal: nothing leaves them (a completed job cannot revert to in progress; reopening
work means a new work order that can reference the old one).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
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
    due_at: datetime | None
    completed_at: datetime | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class NewWorkOrder:
    title: str
    description: str | None = None
    priority: Priority = Priority.MEDIUM
    asset_id: uuid.UUID | None = None
    assignee_id: uuid.UUID | None = None
    due_at: datetime | None = None


class WorkOrderChanges(TypedDict, total=False):
    """A partial update: a key that is absent keeps its value; None clears a nullable field."""

    title: str
    description: str | None
    status: Status
    priority: Priority
    asset_id: uuid.UUID | None
    assignee_id: uuid.UUID | None
    due_at: datetime | None


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
