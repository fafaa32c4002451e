"""The transactional outbox: rows written in a request's transaction, relayed after commit.

The service writes rows as the app role under RLS (its own tenant only). The relay reads
and marks rows of every tenant through the owner-run functions of migration 0004
(``outbox_claim``, ``outbox_mark_published``, ``outbox_mark_failed``) and the republish
sweep's of migration 0011 (``outbox_sweep_claim``, ``outbox_sweep_settle``): the app role
has no UPDATE on the table and never sees another tenant's rows by itself.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
import psycopg
from sqlalchemy import Engine, text

from maintrac.core.ids import new_id
from maintrac.db.bulk import execute_columns
from maintrac.db.transaction import SystemSession, TenantSession

#: The channel the insert trigger NOTIFYs on commit.
CHANNEL = "maintrac_outbox"


@dataclass(frozen=True, slots=True)
class PendingMessage:
    tenant_id: uuid.UUID
    id: uuid.UUID
    task: str
    args: dict[str, Any]
    attempts: int


def insert(
    session: TenantSession, task: str, args: dict[str, Any], not_before: datetime | None
) -> uuid.UUID:
    message_id = new_id()
    session.execute(
        text(
            "INSERT INTO outbox_messages (tenant_id, id, task, args, not_before) VALUES "
            "(NULLIF(current_setting('app.current_tenant', true), '')::uuid, :id, :task, "
            "CAST(:args AS jsonb), coalesce(CAST(:not_before AS timestamptz), now()))"
        ),
        {"id": message_id, "task": task, "args": _json(args), "not_before": not_before},
    )
    return message_id


_INSERT_MANY = """
    INSERT INTO outbox_messages (tenant_id, id, task, args, not_before)
    SELECT NULLIF(current_setting('app.current_tenant', true), '')::uuid, v.id, v.task,
           v.args::jsonb, now()
    FROM unnest(CAST(%(ids)b AS uuid[]), CAST(%(tasks)b AS text[]), CAST(%(args)b AS text[]))
         AS v(id, task, args)
"""


def insert_many(
    session: TenantSession, messages: Sequence[tuple[uuid.UUID, str, dict[str, Any]]]
) -> None:
    """``insert`` of many messages due now, ``(id, task, args)`` each, in one statement;
    the ids are the caller's, made in the order the messages were asked for."""
    if messages:
        execute_columns(
            session,
            _INSERT_MANY,
            {
                "ids": [m[0] for m in messages],
                "tasks": [m[1] for m in messages],
                "args": [_json(m[2]) for m in messages],
            },
        )


def claim(session: SystemSession, batch: int) -> list[PendingMessage]:
    """Pending rows of any tenant, locked until the session's transaction ends."""
    rows = session.execute(text("SELECT * FROM outbox_claim(:batch)"), {"batch": batch})
    return [
        PendingMessage(row.tenant_id, row.id, row.task, dict(row.args), int(row.attempts))
        for row in rows
    ]


def mark_published(session: SystemSession, messages: Sequence[PendingMessage]) -> int:
    if not messages:
        return 0
    return int(
        session.execute(
            text("SELECT outbox_mark_published(CAST(:tenants AS uuid[]), CAST(:ids AS uuid[]))"),
            {"tenants": [m.tenant_id for m in messages], "ids": [m.id for m in messages]},
        ).scalar_one()
    )


def stats(session: SystemSession) -> tuple[int, float]:
    """Due unpublished rows of every tenant, and the age in seconds of the oldest."""
    row = session.execute(text("SELECT * FROM outbox_stats()")).one()
    return int(row.pending), float(row.oldest_age_seconds)


@dataclass(frozen=True, slots=True)
class SweptMessage:
    """A published message due for the republish sweep's check."""

    tenant_id: uuid.UUID
    id: uuid.UUID
    task: str
    #: its job committed (``job_runs``) or failed for good (``job_failures``)
    ran: bool


@dataclass(frozen=True, slots=True)
class Settled:
    """What the sweep did with one message: ``ran`` (settled), ``held`` (the broker has it;
    checked again later), ``republished`` (pending again) or ``abandoned`` (given up)."""

    tenant_id: uuid.UUID
    id: uuid.UUID
    task: str
    outcome: str
    republishes: int


def sweep_claim(session: SystemSession, after_seconds: float, batch: int) -> list[SweptMessage]:
    """Published messages of any tenant last known with the broker more than
    ``after_seconds`` ago, oldest first, locked until the transaction ends."""
    rows = session.execute(
        text("SELECT * FROM outbox_sweep_claim(make_interval(secs => :after), :batch)"),
        {"after": after_seconds, "batch": batch},
    )
    return [SweptMessage(row.tenant_id, row.id, row.task, bool(row.ran)) for row in rows]


def sweep_settle(
    session: SystemSession, messages: Sequence[SweptMessage], held: set[uuid.UUID], cap: int
) -> list[Settled]:
    """Settle claimed messages (``held``: ids the broker still has); see migration 0011."""
    if not messages:
        return []
    rows = session.execute(
        text(
            "SELECT * FROM outbox_sweep_settle(CAST(:tenants AS uuid[]), CAST(:ids AS uuid[]), "
            "CAST(:held AS boolean[]), :cap)"
        ),
        {
            "tenants": [m.tenant_id for m in messages],
            "ids": [m.id for m in messages],
            "held": [m.id in held for m in messages],
            "cap": cap,
        },
    )
    return [
        Settled(row.tenant_id, row.id, row.task, row.outcome, int(row.republishes)) for row in rows
    ]


def mark_failed(session: SystemSession, message: PendingMessage, error: str) -> None:
    session.execute(
        text("SELECT outbox_mark_failed(:tenant, :id, :error)"),
        {"tenant": message.tenant_id, "id": message.id, "error": error},
    )


def _json(value: dict[str, Any]) -> str:
    """Message arguments as JSON text for the ``jsonb`` column (orjson, keys sorted)."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


class Listener:
    """A dedicated connection LISTENing on the outbox channel (reconnects when it drops)."""

    def __init__(self, engine: Engine) -> None:
        self._dsn = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._conn: psycopg.Connection[Any] | None = None

    def wait(self, timeout: float) -> bool:
        """Block until a commit notified the channel (True) or ``timeout`` passed (False).

        A broken connection counts as a wake-up: the caller polls, which is always safe.
        """
        try:
            if self._conn is None or self._conn.closed:
                self._conn = psycopg.connect(self._dsn, autocommit=True, connect_timeout=5)
                self._conn.execute(f"LISTEN {CHANNEL}")
                return True  # rows may have been committed while nobody listened
            for _ in self._conn.notifies(timeout=timeout, stop_after=1):
                return True
        except psycopg.Error:
            self.close()
            return True
        return False

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error):  # already gone: nothing to release
                self._conn.close()
            self._conn = None
