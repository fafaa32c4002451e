"""Which occurrences of a plan become work orders now, and which are skipped.

The generator runs every minute (and when a reading crosses a threshold, and when someone
asks for "the next one now"). For one plan it takes the occurrences ``core.pm`` says are
due by ``now + lead time`` and applies the **catch-up policy**:

- An occurrence is *overdue* when its due point has passed: its calendar time is at or
  before ``now``, or the meter has reached its threshold. In normal running a tick finds
  at most one overdue occurrence (the one that just fell due) and generates it.
- When several are overdue (the generator was down for several periods, a plan was
  created with an anchor in the past, a reading jumped several thresholds), only the
  **most recent** one gets a work order; the older ones are recorded as *skipped* in the
  plan's history (one entry naming the range), never generated. Doing the same
  maintenance five times on the day the system comes back is worse than useless.
- Occurrences that are not yet due but fall inside the lead time are all generated, at
  most ``MAX_AHEAD`` per plan per run (the rest come in the next run): they are planned
  work, not a backlog.

Numbers are never reused: the plan's next occurrence moves past every occurrence
generated or skipped. The database's unique ``(plan, occurrence)`` is the last line of
defence; the plan row is locked while its occurrences are decided.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Final

from maintrac.core import pm

#: Work orders a plan may generate ahead of time in one run (inside its lead time).
MAX_AHEAD: Final = 50
#: Due occurrences looked at per plan per run. A plan further behind than this (an
#: anchor centuries ago) is not stepped through: the newest overdue occurrence is found
#: by search (``core.pm.last_due_number``), everything before it is recorded as one
#: skipped range, and the next pass generates it; so one run is always bounded.
SCAN_LIMIT: Final = 5_000


@dataclass(frozen=True, slots=True)
class PlanForGeneration:
    """What the generator needs of one plan, read with the plan row locked."""

    id: uuid.UUID
    name: str
    asset_id: uuid.UUID | None
    template: pm.WorkOrderTemplate
    schedule: pm.Schedule
    state: pm.PlanState
    meter: pm.MeterState | None
    lead_time_days: int
    active: bool
    last_generated_occurrence: int | None


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do for one plan now."""

    generate: list[pm.Occurrence]
    #: The first and last skipped occurrence numbers (inclusive), or None.
    skipped: tuple[int, int] | None
    #: The plan's next occurrence number afterwards.
    next_occurrence: int
    #: More is due than this run looked at (continue in the next run).
    more: bool


def generation_horizon(now: datetime, lead_time_days: int) -> datetime:
    """Occurrences due up to this instant are generated now: the lead time is N x 24 h."""
    return now + timedelta(days=lead_time_days)


def _overdue(occurrence: pm.Occurrence, now: datetime) -> bool:
    if occurrence.reason is pm.Reason.METER:
        return True
    return occurrence.due_at is not None and occurrence.due_at <= now


def decide(plan: PlanForGeneration, now: datetime, tz: tzinfo) -> Decision:
    """Apply the catch-up policy (module docstring) to the occurrences due for ``plan``."""
    found, more = pm.due_occurrences(
        plan.schedule,
        plan.state,
        generation_horizon(now, plan.lead_time_days),
        tz,
        meter=plan.meter,
        limit=SCAN_LIMIT,
    )
    start = plan.state.next_occurrence
    if more and _overdue(found[-1], now):
        # Far behind: everything looked at is overdue history. Jump to the newest overdue
        # occurrence (found by search, not by stepping), skip everything before it, and go
        # on from there: the next call generates it and whatever the lead time adds.
        newest = pm.last_due_number(
            plan.schedule, plan.state, now, tz, meter=plan.meter, known=found[-1].number
        )
        return Decision([], (start, newest - 1), newest, more=True)
    overdue = [o for o in found if _overdue(o, now)]
    ahead = [o for o in found if not _overdue(o, now)]
    generate = overdue[-1:] + ahead[:MAX_AHEAD]
    skipped = (overdue[0].number, overdue[-2].number) if len(overdue) > 1 else None
    next_occurrence = generate[-1].number + 1 if generate else start
    return Decision(generate, skipped, next_occurrence, more=len(ahead) > MAX_AHEAD)


@dataclass(frozen=True, slots=True)
class PlanHistoryEntry:
    """One line of a plan's history: a range of occurrences skipped by the catch-up
    policy. (Generated occurrences are the plan's work orders, whose own history names
    the plan, the occurrence and the reason.)"""

    plan_id: uuid.UUID
    type: str  # "skipped"
    occurrence_from: int
    occurrence_to: int
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class PlanAdvance:
    """Where a plan stands after a run."""

    plan_id: uuid.UUID
    next_occurrence: int
    next_due_at: datetime | None
    next_due_meter: Decimal | None
    last_generated_occurrence: int | None
    last_generated_at: datetime | None
