"""Periodic clean-up tasks (rules in ``maintrac.services.housekeeping``).

Each tenant gets one ``maintrac.housekeeping`` task per run (hourly by default,
``HOUSEKEEPING_INTERVAL_SECONDS``); it deletes each kind of expired row in batches of
``HOUSEKEEPING_BATCH_SIZE``, one short transaction per batch, and stops after
``MAX_BATCHES`` per kind (the next run continues), so no run holds locks for long.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from maintrac.config import Settings, get_settings
from maintrac.db.transaction import Database
from maintrac.jobs.app import ROUTES, celery_app
from maintrac.jobs.base import TenantTask, database
from maintrac.jobs.schedule import register
from maintrac.services import housekeeping

log = logging.getLogger("maintrac.housekeeping")

MAX_BATCHES = 100


def retention(settings: Settings) -> housekeeping.Retention:
    return housekeeping.Retention(
        batch=settings.housekeeping_batch_size,
        outbox_retention=timedelta(days=settings.outbox_retention_days),
        run_retention=timedelta(days=settings.jobs_run_retention_days),
        sync_grace=timedelta(hours=settings.sync_retention_grace_hours),
        sync_device_retention=timedelta(days=settings.sync_device_retention_days),
    )


def sweep_tenant(database: Database, tenant_id: uuid.UUID, settings: Settings) -> dict[str, int]:
    """Every clean-up for one tenant; returns rows deleted per kind."""
    policy = retention(settings)
    deleted: dict[str, int] = {}
    for kind in housekeeping.KINDS:
        deleted[kind] = 0
        for _ in range(MAX_BATCHES):
            with database.tenant_transaction(tenant_id) as session:
                count = housekeeping.sweep_batch(session, kind, policy)
            deleted[kind] += count
            if count < policy.batch:
                break
    return deleted


ROUTES["maintrac.housekeeping"] = "housekeeping"


@celery_app.task(  # type: ignore[untyped-decorator]
    name="maintrac.housekeeping",
    base=TenantTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    max_retries=3,
    retry_backoff=10,
    retry_jitter=True,
)
def housekeeping_task(tenant_id: str, slot: int | None = None) -> dict[str, int]:
    """Idempotent by itself (it deletes what is expired), so it runs in batches of its own
    transactions rather than once in one."""
    del slot  # the same work whichever tick sent it
    deleted = sweep_tenant(database(), uuid.UUID(tenant_id), get_settings())
    if any(deleted.values()):
        log.info("housekeeping for tenant %s deleted %s", tenant_id, deleted)
    return deleted


register(
    "housekeeping",
    "maintrac.housekeeping",
    lambda settings: float(settings.housekeeping_interval_seconds),
    queue="housekeeping",
)
