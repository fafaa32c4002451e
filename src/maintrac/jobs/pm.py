"""PM generation tasks: the periodic tick, and one tenant's generation.

* ``maintrac.pm.tick`` (every ``PM_TICK_SECONDS``, 60 by default; one per slot whichever
  beat sends it) asks the owner-run ``pm_due_tenants()`` which tenants have a due plan and
  sends ``maintrac.pm.generate`` for each, with a task id derived from (slot, tenant): two
  beats send the same ids. Tenants with nothing due get no message at all.
* ``maintrac.pm.generate(tenant_id, plan_ids=None)`` generates that tenant's due plans in
  batches, one tenant transaction per batch (``services.pm_generation.generate_due``), as
  the app role. It is idempotent by itself, not by a run record: every batch decides from
  the plans' stored state with the plan rows locked, so a redelivered message (a worker
  SIGKILLed mid-batch: that batch's transaction never committed) generates exactly what
  is still due, and a duplicate message generates nothing. A meter reading that reaches a
  threshold sends it through the outbox with ``plan_ids`` (see ``services.meters``), so
  meter plans do not wait for the tick.
"""

from __future__ import annotations

import logging
import uuid
from typing import Final

from maintrac.core.errors import DomainError
from maintrac.jobs.app import ROUTES, celery_app
from maintrac.jobs.base import TenantTask, database, fan_out_id
from maintrac.jobs.schedule import register
from maintrac.services import pm_generation

log = logging.getLogger("maintrac.pm")

TICK: Final = "maintrac.pm.tick"
GENERATE: Final = pm_generation.GENERATE_TASK
#: Batches one task runs before it stops (the next tick continues): bounds a task's time
#: well under the broker's visibility timeout.
MAX_BATCHES: Final = 50

ROUTES[TICK] = "pm"
ROUTES[GENERATE] = "pm"


@celery_app.task(  # type: ignore[untyped-decorator]
    name=GENERATE,
    base=TenantTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    # A refusal (a deactivated tenant, a plan gone) will not change on retry.
    dont_autoretry_for=(DomainError,),
    max_retries=5,
    retry_backoff=2,
    retry_jitter=True,
)
def generate(
    tenant_id: str, slot: int | None = None, plan_ids: list[str] | None = None
) -> dict[str, int]:
    """Generate the tenant's due plans (only ``plan_ids`` when given), batch by batch."""
    del slot  # the same work whichever tick sent it
    tenant = uuid.UUID(tenant_id)
    only = None if plan_ids is None else [uuid.UUID(p) for p in plan_ids]
    totals = {"plans": 0, "created": 0, "skipped": 0}
    for _ in range(MAX_BATCHES):
        with database().tenant_transaction(tenant) as session:
            result = pm_generation.generate_due(session, plan_ids=only)
        totals["plans"] += result.plans
        totals["created"] += result.created
        totals["skipped"] += result.skipped
        if not result.more:
            break
    if totals["plans"]:
        log.info("PM generation for tenant %s: %s", tenant_id, totals)
    return totals


@celery_app.task(  # type: ignore[untyped-decorator]
    name=TICK,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    max_retries=3,
    retry_backoff=2,
    retry_jitter=True,
)
def tick(slot: int) -> int:
    """Send one generation task per tenant with a due plan; returns how many."""
    with database().system_transaction() as session:
        tenants = pm_generation.tenants_with_due_plans(session)
    for tenant in tenants:
        generate.apply_async(
            kwargs={"tenant_id": str(tenant), "slot": slot},
            task_id=fan_out_id(GENERATE, slot, tenant),
        )
    return len(tenants)


register(
    "pm-tick",
    TICK,
    lambda settings: float(settings.pm_tick_seconds),
    per_tenant=False,
    queue="pm",
)
