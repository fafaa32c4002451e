"""The work order state machine: every pair of states, allowed or refused."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime

import pytest

from maintrac.core.errors import InvalidStatusTransition
from maintrac.core.work_orders import (
    TERMINAL,
    Priority,
    Status,
    WorkOrder,
    allowed_next,
    check_transition,
    plan_update,
)

ALLOWED = {
    (Status.OPEN, Status.IN_PROGRESS),
    (Status.OPEN, Status.ON_HOLD),
    (Status.OPEN, Status.COMPLETE),
    (Status.OPEN, Status.CANCELLED),
    (Status.IN_PROGRESS, Status.OPEN),
    (Status.IN_PROGRESS, Status.ON_HOLD),
    (Status.IN_PROGRESS, Status.COMPLETE),
    (Status.IN_PROGRESS, Status.CANCELLED),
    (Status.ON_HOLD, Status.OPEN),
    (Status.ON_HOLD, Status.IN_PROGRESS),
    (Status.ON_HOLD, Status.CANCELLED),
}
PAIRS = [(a, b) for a, b in itertools.product(Status, Status) if a != b]


@pytest.mark.parametrize(("current", "requested"), sorted(ALLOWED))
def test_allowed_transition(current: Status, requested: Status) -> None:
    check_transition(current, requested)
    assert requested in allowed_next(current)


@pytest.mark.parametrize(("current", "requested"), [p for p in PAIRS if p not in ALLOWED])
def test_refused_transition_names_allowed_states(current: Status, requested: Status) -> None:
    with pytest.raises(InvalidStatusTransition) as caught:
        check_transition(current, requested)
    error = caught.value
    assert error.fields["currentStatus"] == current.value
    assert error.fields["requestedStatus"] == requested.value
    assert error.fields["allowedStatuses"] == [s.value for s in allowed_next(current)]
    assert requested.value in error.detail


@pytest.mark.parametrize("status", list(Status))
def test_same_state_is_not_a_transition(status: Status) -> None:
    check_transition(status, status)


def test_terminal_states_have_no_exit() -> None:
    assert {Status.COMPLETE, Status.CANCELLED} == TERMINAL
    for status in TERMINAL:
        assert allowed_next(status) == []


def test_complete_cannot_revert_to_in_progress() -> None:
    with pytest.raises(InvalidStatusTransition, match="final"):
        check_transition(Status.COMPLETE, Status.IN_PROGRESS)


def _work_order(status: Status) -> WorkOrder:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return WorkOrder(
        id=uuid.uuid4(),
        number=1,
        title="t",
        description=None,
        status=status,
        priority=Priority.LOW,
        asset_id=None,
        assignee_id=None,
        task_code_id=None,
        gl_code_id=None,
        pm_plan_id=None,
        pm_occurrence=None,
        estimated_hours=None,
        actual_minutes=0,
        version=1,
        due_at=None,
        completed_at=None,
        created_at=now,
        updated_at=now,
    )


def test_plan_update_stamps_completion_and_skips_unchanged_fields() -> None:
    now = datetime(2026, 2, 1, tzinfo=UTC)
    values = plan_update(
        _work_order(Status.IN_PROGRESS), {"status": Status.COMPLETE, "title": "t"}, now
    )
    assert values == {"status": Status.COMPLETE, "completed_at": now}
    assert plan_update(_work_order(Status.OPEN), {"title": "t", "status": Status.OPEN}, now) == {}
