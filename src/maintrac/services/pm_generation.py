"""PM generation: due plans become work orders, in the tenant's own transaction.

For one tenant, ``generate_due`` locks a batch of due plans (plans another worker holds
are skipped, so two workers never decide the same plan), applies the catch-up policy of
``core.pm_generation`` to each, creates the work orders through the work order creation
path (numbering, the ``created`` history event, change tracking for sync), writes the
plan's history (skipped occurrences), and advances each plan's next due
point by ``core.pm``. Everything commits together or not at all, so a worker that dies
mid-batch leaves nothing half done, and the redelivered task decides again from the
stored state: an occurrence never gets a second work order.

A generated work order carries the plan's title, description, asset, assignee, task
code, GL code, priority and estimated hours, ``pmPlanId`` and ``pmOccurrence``, and is
due at the occurrence (a meter occurrence: when the reading reached it). Its ``created``
event has no actor (the system made it) except for "generate the next one now", whose
actor is the caller; ``pmReason`` says why (``calendar``, ``meter`` or ``manual``).

A plan for an asset category generates one work order per occurrence, with no asset
(the series is keyed per plan and occurrence).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Final
from zoneinfo import ZoneInfo

from maintrac.core import pm
from maintrac.core.errors import NotFound
from maintrac.core.ids import new_ids
from maintrac.core.pm_generation import (
    Decision,
    PlanAdvance,
    PlanForGeneration,
    PlanHistoryEntry,
    decide,
)
from maintrac.core.text import tidy
from maintrac.core.work_orders import WorkOrder
from maintrac.db import pm_generation as repo
from maintrac.db import work_orders as work_order_repo
from maintrac.db.pm_plans import tenant_time_zone
from maintrac.db.transaction import SystemSession, TenantSession
from maintrac.services import events, outbox, work_orders

#: Plans decided per transaction: large enough to amortise the statements, small enough
#: that a redelivered batch repeats little and locks are short.
BATCH_SIZE: Final = 2_000

MANUAL: Final = "manual"
#: The job that generates one tenant's due plans (``maintrac.jobs.pm``); a meter reading
#: requests it through the outbox.
GENERATE_TASK: Final = "maintrac.pm.generate"


@dataclass(frozen=True, slots=True)
class RunResult:
    plans: int
    created: int
    skipped: int
    #: More plans of this tenant may be due: run again (a new transaction).
    more: bool


@dataclass(frozen=True, slots=True)
class Generated:
    work_order: WorkOrder
    #: False when the plan's newest work order was still open and is returned instead.
    created: bool


def tenants_with_due_plans(session: SystemSession, now: datetime | None = None) -> list[uuid.UUID]:
    """Tenants with a plan due by now (calendar less lead time, or meter reached)."""
    return repo.due_tenants(session, now or datetime.now(UTC))


@dataclass
class _Batch:
    """The work orders, history and plan positions a run writes, collected first so that
    each kind is written in one statement."""

    tz: ZoneInfo
    now: datetime
    actor_id: uuid.UUID | None = None
    #: The generated work orders, one list per column of ``repo.GENERATED_COLUMNS``
    #: (ids and numbers are filled in by ``write``).
    columns: dict[str, list[Any]] = field(
        default_factory=lambda: {name: [] for name in repo.GENERATED_COLUMNS}
    )
    history: list[PlanHistoryEntry] = field(default_factory=list)
    advances: list[PlanAdvance] = field(default_factory=list)
    skipped: int = 0

    def add(self, plan: PlanForGeneration, decision: Decision, reason: str | None = None) -> None:
        if decision.skipped is not None:
            first, last = decision.skipped
            self.skipped += last - first + 1
            self.history.append(PlanHistoryEntry(plan.id, "skipped", first, last))
        if decision.generate:
            template = plan.template
            title = tidy(template.title)
            priority = template.priority.value
            c = self.columns
            for occurrence in decision.generate:
                # What ``services.work_orders.create_work_order`` stores for the template.
                c["title"].append(title)
                c["given_title"].append(template.title)
                c["description"].append(template.description)
                c["priority"].append(priority)
                c["asset_id"].append(plan.asset_id)
                c["assignee_id"].append(template.assignee_id)
                c["task_code_id"].append(template.task_code_id)
                c["gl_code_id"].append(template.gl_code_id)
                c["estimated_hours"].append(template.estimated_hours)
                c["due_at"].append(occurrence.due_at or self.now)
                c["pm_plan_id"].append(plan.id)
                c["pm_occurrence"].append(occurrence.number)
                c["reason"].append(reason or occurrence.reason.value)
        state = replace(
            plan.state,
            next_occurrence=decision.next_occurrence,
            awaiting_completion=bool(decision.generate) or plan.state.awaiting_completion,
        )
        next_due_at, next_due_meter = pm.next_due(plan.schedule, state, self.tz)
        newest = decision.generate[-1].number if decision.generate else None
        self.advances.append(
            PlanAdvance(
                plan_id=plan.id,
                next_occurrence=decision.next_occurrence,
                next_due_at=next_due_at,
                next_due_meter=next_due_meter,
                last_generated_occurrence=newest,
                last_generated_at=self.now if newest is not None else None,
            )
        )

    def write(self, session: TenantSession) -> list[uuid.UUID]:
        """Write the batch; returns the new work orders' ids, in order."""
        count = len(self.columns["pm_plan_id"])
        ids: list[uuid.UUID] = []
        if count:
            # Ids in the order the one-by-one path made them: the work orders, their
            # history entries, the ``created`` events, then the ``generated`` ones.
            ids = new_ids(count)
            more = new_ids(3 * count)
            c = self.columns
            c["id"] = ids
            c["number"] = work_order_repo.next_counter_values(session, "work_orders", count)
            c["history_id"] = more[:count]
            c["created_event_id"] = more[count : 2 * count]
            c["generated_event_id"] = more[2 * count :]
            # The events of the batch, built by PostgreSQL from the stored rows
            # (``work_order.created`` and ``pm_plan.work_order_generated``, as
            # ``services.events`` builds them), a few hundred to an outbox message
            # (``events.DISPATCH_BATCH_TASK``: fanned out one event at a time).
            per = events.WORK_ORDERS_PER_BATCH_MESSAGE
            repo.insert_generated(
                session,
                c,
                actor_id=self.actor_id,
                occurred_at=events.timestamp(datetime.now(UTC)),
                task=events.DISPATCH_BATCH_TASK,
                message_ids=new_ids(-(-count // per)),
                per_message=per,
                extra=outbox.trace_args(),
            )
        repo.record_history(session, self.history)
        repo.advance_plans(session, self.advances)
        return ids


def generate_due(
    session: TenantSession,
    now: datetime | None = None,
    *,
    plan_ids: list[uuid.UUID] | None = None,
    limit: int = BATCH_SIZE,
) -> RunResult:
    """Generate the work orders of up to ``limit`` due plans of the session's tenant
    (only of ``plan_ids`` when given: a meter reading names the plans it reached)."""
    moment = now or datetime.now(UTC)
    plans = repo.lock_due_plans(session, moment, limit=limit, plan_ids=plan_ids)
    batch = _Batch(ZoneInfo(tenant_time_zone(session)), moment)
    more = len(plans) == limit
    for plan in plans:
        decision = decide(plan, moment, batch.tz)
        more = more or decision.more
        batch.add(plan, decision)
    created = batch.write(session)
    return RunResult(plans=len(plans), created=len(created), skipped=batch.skipped, more=more)


def generate_next(
    session: TenantSession,
    plan_id: uuid.UUID,
    actor_id: uuid.UUID | None,
    now: datetime | None = None,
) -> Generated:
    """ "Generate the next one now" (idempotent): while the plan's newest work order is
    still open, that one is returned and nothing is created; otherwise the occurrence the
    generator would create next is created now, even before it is due (overdue ones
    follow the catch-up policy). Works on a paused plan too: pausing stops only the
    automatic generation."""
    moment = now or datetime.now(UTC)
    plan = repo.lock_plan(session, plan_id)
    if plan is None:
        raise NotFound(f"No PM plan {plan_id}.", resource="pm_plan")
    newest = plan.state.next_occurrence - 1 if plan.state.next_occurrence > 0 else None
    open_id = repo.open_work_order_of(session, plan_id, newest)
    if open_id is not None:
        return Generated(work_orders.get_work_order(session, open_id), created=False)
    tz = ZoneInfo(tenant_time_zone(session))
    while True:
        batch = _Batch(tz, moment, actor_id)
        decision = decide(plan, moment, tz)
        if decision.generate:
            first = decision.generate[0]
            decision = replace(decision, generate=[first], next_occurrence=first.number + 1)
        elif not decision.more:
            decision = _forced(plan, tz)
        batch.add(plan, decision, MANUAL)
        created = batch.write(session)
        if created:
            return Generated(work_orders.get_work_order(session, created[0]), created=True)
        # Far behind: this pass only recorded the overdue history as skipped (one range,
        # however long: `decide` jumps to the newest overdue occurrence); the next pass,
        # on the plan as it now stands, generates.
        plan = repo.lock_plan(session, plan_id)
        if plan is None:
            raise NotFound(f"No PM plan {plan_id}.", resource="pm_plan")


def _forced(plan: PlanForGeneration, tz: ZoneInfo) -> Decision:
    number = plan.state.next_occurrence
    due_at, due_meter = pm.next_due(plan.schedule, plan.state, tz)
    occurrence = pm.Occurrence(number, due_at, due_meter, pm.Reason.CALENDAR)
    return Decision([occurrence], None, number + 1, more=False)


def plans_reached_by_reading(
    session: TenantSession, meter_id: uuid.UUID, value: Decimal
) -> list[uuid.UUID]:
    """The active plans following ``meter_id`` whose next threshold ``value`` reached."""
    return repo.plans_reached_by_reading(session, meter_id, value)


def request_for_reading(session: TenantSession, meter_id: uuid.UUID, value: Decimal) -> bool:
    """A new latest reading: when it reaches a plan's next threshold, ask for that plan's
    generation through the outbox (it commits with the reading; a rollback sends nothing),
    so it is generated within seconds rather than at the next tick. True if asked."""
    reached = repo.plans_reached_by_reading(session, meter_id, value)
    if reached:
        outbox.enqueue(session, GENERATE_TASK, {"plan_ids": [str(p) for p in reached]})
    return bool(reached)


def plan_history(session: TenantSession, plan_id: uuid.UUID) -> list[PlanHistoryEntry]:
    """The plan's skipped occurrences, oldest first (generated ones are its work orders)."""
    return repo.list_history(session, plan_id)
