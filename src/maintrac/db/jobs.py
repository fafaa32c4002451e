"""Job runs and failures: what makes a redelivered task do nothing twice, and what is left
when a task has failed for good. Both tables are tenant tables (RLS), append-only."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import text

from maintrac.core.ids import new_id
from maintrac.db.transaction import SystemSession, TenantSession


def claim_run(session: TenantSession, task_id: uuid.UUID, task: str) -> bool:
    """Record that ``task_id`` runs in this transaction; False when it already committed.

    A concurrent delivery of the same message blocks on the unique key until the first one
    commits (then False) or rolls back (then True): the work itself commits at most once.
    """
    inserted = session.execute(
        text(
            "INSERT INTO job_runs (tenant_id, id, task_id, task) VALUES "
            "(NULLIF(current_setting('app.current_tenant', true), '')::uuid, :id, :task_id, "
            ":task) ON CONFLICT (tenant_id, task_id) DO NOTHING RETURNING id"
        ),
        {"id": new_id(), "task_id": task_id, "task": task},
    ).first()
    return inserted is not None


def record_failure(
    session: TenantSession,
    *,
    task_id: uuid.UUID,
    task: str,
    args: dict[str, Any],
    attempts: int,
    error: str,
) -> None:
    session.execute(
        text(
            "INSERT INTO job_failures (tenant_id, id, task_id, task, args, attempts, error) "
            "VALUES (NULLIF(current_setting('app.current_tenant', true), '')::uuid, :id, "
            ":task_id, :task, CAST(:args AS jsonb), :attempts, :error) "
            "ON CONFLICT (tenant_id, task_id) DO NOTHING"
        ),
        {
            "id": new_id(),
            "task_id": task_id,
            "task": task,
            "args": json.dumps(args, default=str),
            "attempts": attempts,
            "error": error,
        },
    )


def tenant_ids(session: SystemSession) -> list[uuid.UUID]:
    """Every active tenant's id (owner-run ``job_tenant_ids()``; ids only)."""
    return list(session.scalars(text("SELECT job_tenant_ids()")))
