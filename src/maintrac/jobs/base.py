"""The one way a task runs its work, and the fan-out of periodic work to every tenant.

A tenant task takes ids and ``tenant_id`` (JSON values, never ORM objects) and runs its
work in ``Database.tenant_transaction``, as the non-owner app role, exactly like a request:
RLS applies, nothing else commits. In that same transaction it first records its run
(``job_runs``, keyed by the Celery task id): a message delivered again (the worker died
before acknowledging it, or the relay published it twice) finds the run and does nothing,
so the work commits once. Failures are retried with exponential backoff and jitter; after
the last retry the failure is recorded in ``job_failures`` with its error.
"""

from __future__ import annotations

import logging
import traceback
import uuid
from collections.abc import Callable
from typing import Any

from celery import Task
from celery.signals import worker_process_init

from maintrac.config import get_settings
from maintrac.core.errors import DomainError, UnknownTenant
from maintrac.db.transaction import Database
from maintrac.jobs import telemetry  # noqa: F401 - connects the task signal handlers
from maintrac.jobs.app import ROUTES, celery_app
from maintrac.observability import metrics, tracing
from maintrac.services import jobs as jobs_service
from maintrac.services.runtime import Runtime, open_runtime

log = logging.getLogger("maintrac.jobs")

_runtime: Runtime | None = None


def database() -> Database:
    """This worker process's pool (made on first use, after the fork)."""
    global _runtime  # noqa: PLW0603 - one pool per process, made lazily after the fork
    if _runtime is None:
        _runtime = open_runtime(get_settings())
        metrics.PoolMetrics().attach(_runtime.database.engine)
        tracing.instrument_engine(_runtime.database.engine)
    return _runtime.database


@worker_process_init.connect  # type: ignore[untyped-decorator]
def _fresh_pool_after_fork(**_: Any) -> None:
    # A pool inherited from the parent would share its sockets with it.
    global _runtime  # noqa: PLW0603
    _runtime = None


class TenantTask(Task):  # type: ignore[misc]  # celery ships no type hints
    """Records how a tenant task ended: its final failure with its error, and (for tasks
    that do not record their own run) that it ran.

    Every tenant task leaves a ``job_runs`` row once its work is done: the relay's republish
    sweep reads it to tell a job that ran from a message the broker lost. ``tenant_task``
    writes it in the task's own transaction (``records_own_run``); the others, idempotent by
    their own records, get it here after they return.
    """

    #: True when the task writes its ``job_runs`` row itself (``tenant_task(once=True)``).
    records_own_run = False

    def on_success(self, _retval: Any, task_id: str, _args: Any, kwargs: Any) -> None:
        tenant = (kwargs or {}).get("tenant_id")
        if self.records_own_run or tenant is None:
            return
        try:
            with database().tenant_transaction(uuid.UUID(tenant)) as session:
                jobs_service.claim_run(session, uuid.UUID(task_id), self.name)
        except Exception:  # not fatal: the sweep may publish it again; the task is idempotent
            log.warning("could not record the run of job %s %s", self.name, task_id, exc_info=True)

    def on_failure(
        self, exc: BaseException, task_id: str, _args: Any, kwargs: Any, einfo: Any
    ) -> None:
        tenant = (kwargs or {}).get("tenant_id")
        if tenant is None or isinstance(exc, UnknownTenant):
            log.error("job %s %s failed for good: %r", self.name, task_id, exc)
            return
        error = "".join(traceback.format_exception_only(exc)).strip()
        if einfo is not None:
            error = f"{error}\n\n{einfo.traceback}"
        arguments = {k: v for k, v in kwargs.items() if k != "tenant_id"}
        try:
            with database().tenant_transaction(uuid.UUID(tenant)) as session:
                jobs_service.record_failure(
                    session,
                    task_id=uuid.UUID(task_id),
                    task=self.name,
                    args=arguments,
                    attempts=int(self.request.retries) + 1,
                    error=error,
                )
        except Exception:  # the database may be the reason it failed: the log keeps it
            log.exception("could not record the failure of job %s %s", self.name, task_id)


def tenant_task(
    name: str, *, queue: str = "default", once: bool = True, **options: Any
) -> Callable[[Callable[..., None]], Any]:
    """Register ``fn(session, **kwargs)`` as the Celery task ``name``, called with
    ``tenant_id`` plus ``kwargs``.

    ``once`` (the default) records the run in the task's transaction, so a redelivery
    does nothing; pass ``once=False`` only for work that is idempotent by itself and must
    be able to run again with the same task id (its run is recorded after it returns,
    ``TenantTask.on_success``, and not checked). Domain errors (a business rule refused
    the work) are not retried; anything else is, up to ``JOBS_MAX_RETRIES`` times.
    """
    settings = get_settings()

    def decorate(fn: Callable[..., None]) -> Any:
        ROUTES[name] = queue

        @celery_app.task(  # type: ignore[untyped-decorator]
            name=name,
            bind=True,
            base=TenantTask,
            acks_late=True,
            reject_on_worker_lost=True,
            autoretry_for=(Exception,),
            dont_autoretry_for=(DomainError,),
            max_retries=settings.jobs_max_retries,
            retry_backoff=settings.jobs_retry_backoff,
            retry_backoff_max=settings.jobs_retry_backoff_max,
            retry_jitter=True,
            records_own_run=once,
            **options,
        )
        def run(self: Task, tenant_id: str, **kwargs: Any) -> None:
            task_id = uuid.UUID(str(self.request.id))
            with database().tenant_transaction(uuid.UUID(tenant_id)) as session:
                if once and not jobs_service.claim_run(session, task_id, name):
                    log.info("job %s %s already ran; redelivery ignored", name, task_id)
                    return
                fn(session, **kwargs)

        return run

    return decorate


#: Task ids of fanned-out work are derived from (task, slot, tenant) in this namespace, so
#: two beats that both fire for the same slot produce the same ids, and the second run of
#: each is a no-op (``job_runs``).
FAN_OUT_NAMESPACE = uuid.UUID("6f1c1d3a-63a5-4b7e-9a40-0b4c0f5d2f10")


def fan_out_id(task: str, slot: int, tenant_id: uuid.UUID) -> str:
    return str(uuid.uuid5(FAN_OUT_NAMESPACE, f"{task}:{slot}:{tenant_id}"))


@celery_app.task(  # type: ignore[untyped-decorator]
    name="maintrac.fan_out",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    max_retries=3,
    retry_backoff=2,
    retry_jitter=True,
)
def fan_out(task: str, slot: int) -> int:
    """Send the tenant task ``task(tenant_id=..., slot=slot)`` once per active tenant.

    Idempotent: a second fan-out for the same slot (another beat, or a redelivery) sends
    the same task ids, whose runs then do nothing.
    """
    target = celery_app.tasks[task]
    with database().system_transaction() as session:
        tenants = jobs_service.tenant_ids(session)
    for tenant in tenants:
        target.apply_async(
            kwargs={"tenant_id": str(tenant), "slot": slot}, task_id=fan_out_id(task, slot, tenant)
        )
    return len(tenants)
