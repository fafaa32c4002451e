"""What every background task relies on: run once, and leave a record when it fails for good."""

from __future__ import annotations

import uuid
from typing import Any

from maintrac.db import jobs as repo
from maintrac.db.transaction import SystemSession, TenantSession

#: Stored errors are cut to this many characters (a traceback can be long).
MAX_ERROR_CHARS = 8000


def claim_run(session: TenantSession, task_id: uuid.UUID, task: str) -> bool:
    """True when this delivery of ``task_id`` should do its work (in this transaction);
    False when an earlier delivery's work already committed."""
    return repo.claim_run(session, task_id, task)


def record_failure(
    session: TenantSession,
    *,
    task_id: uuid.UUID,
    task: str,
    args: dict[str, Any],
    attempts: int,
    error: str,
) -> None:
    """Keep a task's final failure (retries exhausted) with its error, once per task id."""
    repo.record_failure(
        session,
        task_id=task_id,
        task=task,
        args=args,
        attempts=max(attempts, 1),
        error=error[:MAX_ERROR_CHARS],
    )


def tenant_ids(session: SystemSession) -> list[uuid.UUID]:
    """Every active tenant, for fanning periodic work out per tenant."""
    return repo.tenant_ids(session)
