"""Report builds (queue ``reports``) and the periodic expiry of report files.

A build runs in four transactions (rules in ``maintrac.services.reports``): a short one
that marks the report running and counts its rows; a reading one that streams the rows;
the building one, which writes the file's chunks and marks the report succeeded, all
committed together; and short progress updates beside them every
``REPORTS_PROGRESS_ROWS`` rows. So a build holds three pooled connections at once.
It is idempotent by itself (a finished report is left alone; a redelivery of an
interrupted build starts it over, its half-written chunks having rolled back), so it
does not use ``job_runs``.
"""

from __future__ import annotations

import logging
import random
import traceback
import uuid
from datetime import timedelta
from typing import Any

from celery import Task

from maintrac.config import Settings, get_settings
from maintrac.core.errors import DomainError
from maintrac.db.transaction import Database
from maintrac.jobs.app import ROUTES, celery_app
from maintrac.jobs.base import TenantTask, database
from maintrac.jobs.schedule import register
from maintrac.services import reports

log = logging.getLogger("maintrac.reports")

#: Chunks (or retired reports) removed per expiry transaction, and batches per run.
EXPIRY_BATCH = 200
MAX_BATCHES = 100

ROUTES[reports.BUILD_TASK] = "reports"
ROUTES["maintrac.reports.expire"] = "housekeeping"


def options(settings: Settings) -> reports.BuildOptions:
    return reports.BuildOptions(
        progress_every=settings.reports_progress_rows,
        retention=timedelta(hours=settings.reports_retention_hours),
    )


def run_build(
    db: Database, tenant_id: uuid.UUID, report_id: uuid.UUID, opts: reports.BuildOptions
) -> int | None:
    """Build one report; returns its row count, None when there was nothing to do."""
    with db.tenant_transaction(tenant_id) as session:
        report = reports.start_build(session, report_id)
    if report is None:
        log.info("report %s needs no build (absent or finished)", report_id)
        return None

    def progress(rows_done: int) -> None:
        with db.tenant_transaction(tenant_id) as side:
            reports.record_progress(side, report_id, rows_done)

    # The reader streams the rows; the writer holds the chunks until they commit together.
    with db.tenant_transaction(tenant_id) as session, db.tenant_transaction(tenant_id) as reader:
        built = reports.build(session, report, opts, progress, reader=reader)
    log.info("report %s built: %s rows, %s bytes", report_id, built.row_count, built.byte_size)
    return built.row_count


def record_failure(
    db: Database, tenant_id: uuid.UUID, report_id: uuid.UUID, exc: BaseException, keep: timedelta
) -> None:
    error = "".join(traceback.format_exception_only(exc)).strip()
    try:
        with db.tenant_transaction(tenant_id) as session:
            reports.fail(session, report_id, error, keep)
    except Exception:  # the database may be why it failed: the log keeps it
        log.exception("could not record the failure of report %s", report_id)


@celery_app.task(  # type: ignore[untyped-decorator]
    name=reports.BUILD_TASK,
    bind=True,
    base=TenantTask,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=get_settings().jobs_max_retries,
)
def build_report(self: Task, tenant_id: str, report_id: str) -> int | None:
    settings = get_settings()
    opts = options(settings)
    tenant, report = uuid.UUID(tenant_id), uuid.UUID(report_id)
    try:
        return run_build(database(), tenant, report, opts)
    except DomainError as exc:
        record_failure(database(), tenant, report, exc, opts.retention)
        raise
    except Exception as exc:
        if self.request.retries >= self.max_retries:
            record_failure(database(), tenant, report, exc, opts.retention)
            raise
        ceiling = min(
            settings.jobs_retry_backoff * 2 ** int(self.request.retries),
            settings.jobs_retry_backoff_max,
        )
        # Exponential backoff with jitter, like every tenant task (``base.tenant_task``).
        countdown = random.uniform(ceiling / 2, ceiling)  # noqa: S311  # jitter, not secrets
        raise self.retry(exc=exc, countdown=countdown) from exc


def expire_tenant(db: Database, tenant_id: uuid.UUID) -> int:
    removed = 0
    for _ in range(MAX_BATCHES):
        with db.tenant_transaction(tenant_id) as session:
            count = reports.expire_batch(session, EXPIRY_BATCH)
        removed += count
        if count == 0:
            break
    return removed


@celery_app.task(  # type: ignore[untyped-decorator]
    name="maintrac.reports.expire",
    base=TenantTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    max_retries=3,
    retry_backoff=10,
    retry_jitter=True,
)
def expire_reports(tenant_id: str, slot: int | None = None, **_: Any) -> int:
    """Idempotent by itself (it removes what has expired)."""
    del slot
    removed = expire_tenant(database(), uuid.UUID(tenant_id))
    if removed:
        log.info("report expiry for tenant %s removed %s rows", tenant_id, removed)
    return removed


register(
    "report-expiry",
    "maintrac.reports.expire",
    lambda settings: float(settings.reports_expiry_interval_seconds),
    queue="housekeeping",
)
