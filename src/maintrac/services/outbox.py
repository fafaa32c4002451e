"""Requesting background work from a use case: the transactional outbox.

``enqueue`` writes the job into the caller's transaction. It is published to the broker by
the relay (``maintrac relay``) only after that transaction commits; a rollback leaves
nothing to send, and a broker that is down only delays it (PostgreSQL is the record of what
work is owed). Arguments are JSON values: ids and the like, never ORM objects; the tenant is
the transaction's and is passed to the task as ``tenant_id``.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from maintrac.core.ids import new_id
from maintrac.db import outbox as repo
from maintrac.db.outbox import Listener, PendingMessage, Settled, SweptMessage
from maintrac.db.transaction import SystemSession, TenantSession
from maintrac.observability import tracing

#: The args key under which an outbox row keeps its trace context (W3C headers).
TRACE_KEY = "_trace"

__all__ = [
    "TRACE_KEY",
    "Listener",
    "PendingMessage",
    "Settled",
    "SweptMessage",
    "backlog",
    "claim",
    "enqueue",
    "enqueue_many",
    "mark_failed",
    "mark_published",
    "sweep_claim",
    "sweep_settle",
]


def enqueue(
    session: TenantSession,
    task: str,
    args: Mapping[str, Any] | None = None,
    *,
    delay: timedelta | None = None,
) -> uuid.UUID:
    """Ask for ``task`` to run with ``args`` once this transaction commits.

    Returns the message id, which becomes the Celery task id: a message published twice
    (a relay that died after publishing, before recording it) is still one run, because
    tenant tasks record their run under that id in their own transaction. ``delay`` holds
    the message in the outbox until then (no broker countdown, so no visibility timeout
    to outlive).
    """
    arguments = dict(args or {})
    if "tenant_id" in arguments or TRACE_KEY in arguments:
        raise ValueError(f"tenant_id and {TRACE_KEY} are set by the outbox; do not pass them")
    # The trace of the request that asked for the job, so that the job's span continues it
    # (the relay moves it into the message headers; the task never sees it).
    arguments.update(trace_args())
    not_before = None if delay is None else datetime.now(UTC) + delay
    return repo.insert(session, task, arguments, not_before)


def enqueue_many(
    session: TenantSession, messages: Sequence[tuple[str, Mapping[str, Any]]]
) -> list[uuid.UUID]:
    """``enqueue`` of many ``(task, args)`` due now, in one statement and in this order
    (the relay publishes the oldest first); returns the message ids."""
    trace = trace_args()
    rows: list[tuple[uuid.UUID, str, dict[str, Any]]] = []
    for task, args in messages:
        arguments = dict(args)
        if "tenant_id" in arguments or TRACE_KEY in arguments:
            raise ValueError(f"tenant_id and {TRACE_KEY} are set by the outbox; do not pass them")
        arguments.update(trace)
        rows.append((new_id(), task, arguments))
    repo.insert_many(session, rows)
    return [row[0] for row in rows]


def trace_args() -> dict[str, Any]:
    """What ``enqueue`` adds to every message's args: the current trace context (none
    when no span is current), for a caller that writes its messages in SQL."""
    carrier = tracing.current_carrier()
    return {TRACE_KEY: carrier} if carrier else {}


def claim(session: SystemSession, batch: int) -> list[PendingMessage]:
    """Up to ``batch`` pending committed messages of every tenant, oldest first, locked
    until the session's transaction ends (other relays skip them). Mark them in the same
    transaction: a rollback leaves every one of them pending."""
    return repo.claim(session, batch)


def mark_published(session: SystemSession, messages: list[PendingMessage]) -> int:
    """Record messages the broker accepted."""
    return repo.mark_published(session, messages)


def backlog(session: SystemSession) -> tuple[int, float]:
    """How far behind the relay is: (due unpublished messages, age of the oldest in s)."""
    return repo.stats(session)


def mark_failed(session: SystemSession, message: PendingMessage, error: str) -> None:
    """A message that cannot be published (unknown task): it waits longer each time."""
    repo.mark_failed(session, message, error)


def sweep_claim(session: SystemSession, after_seconds: float, batch: int) -> list[SweptMessage]:
    """Published messages not checked for ``after_seconds``, locked for this transaction,
    each saying whether its job ran. The caller looks in the broker for the others and
    settles every one of them in the same transaction (``sweep_settle``)."""
    return repo.sweep_claim(session, after_seconds, batch)


def sweep_settle(
    session: SystemSession, messages: Sequence[SweptMessage], held: set[uuid.UUID], cap: int
) -> list[Settled]:
    """Settle claimed messages: a job that ran is done; a message the broker holds (``held``)
    is checked again later; any other is lost and made pending again, at most ``cap``
    times, then given up (recorded in ``job_failures``)."""
    return repo.sweep_settle(session, messages, held, cap)
