"""The one place where transactions begin and commit.

Every unit of work (an HTTP request, a job) runs in one transaction that first sets the
tenant with ``set_config('app.current_tenant', ..., true)`` (inside ``app_set_tenant``),
so row-level security filters every statement after it. The setting is transaction-local,
which is what makes this safe on pooled connections and behind PgBouncer.

``TenantSession`` and ``SystemSession`` are distinct types: code that must run under RLS
asks for a ``TenantSession`` and cannot be handed the other by mistake.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NewType

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from maintrac.core.errors import UnknownTenant
from maintrac.db.deadline import guard
from maintrac.db.direct import CONNECTION, run
from maintrac.db.engine import waits_of
from maintrac.db.errors import (
    CommitOutcomeUnknown,
    DatabaseUnavailable,
    constraint_columns,
    lost_connection,
    translate,
    unavailable,
)


class RetryableConflict(Exception):
    """The transaction lost a race (serialization failure, deadlock) and was rolled back;
    running the whole unit of work again is safe and will usually succeed."""


#: serialization_failure, deadlock_detected
_RETRYABLE = frozenset({"40001", "40P01"})

#: The first statement of a transaction also sets its bounds, transaction-local
#: (``set_config(..., true)`` is SET LOCAL: safe behind PgBouncer), at no extra round trip.
#: Run on the driver cursor (``db.direct``): psycopg placeholders.
_BEGIN_TENANT = (
    "SELECT app_set_tenant(%(tenant)s) AS tenant_exists,"
    " set_config('statement_timeout', %(statement_timeout)s, true) AS _st,"
    " set_config('lock_timeout', %(lock_timeout)s, true) AS _lt"
)
_BEGIN_AS_CALLER = (
    "SELECT b.tenant_exists, b.user_id, b.user_active,"
    " set_config('statement_timeout', %(statement_timeout)s, true) AS _st,"
    " set_config('lock_timeout', %(lock_timeout)s, true) AS _lt"
    " FROM app_begin(%(tenant)s, %(subject)s) b"
)
_PING = text(
    "SELECT set_config('statement_timeout', :statement_timeout, true) AS _st,"
    " set_config('lock_timeout', :lock_timeout, true) AS _lt"
)

#: ``Session.info`` key of the callbacks to run once the transaction has committed
#: (``db.hooks.after_commit``).
AFTER_COMMIT = "after_commit_callbacks"

log = logging.getLogger("maintrac.db")

TenantSession = NewType("TenantSession", Session)
SystemSession = NewType("SystemSession", Session)


@dataclass(frozen=True, slots=True)
class CallerRecord:
    """The caller's user row as found when the transaction began (None: not yet created)."""

    user_id: uuid.UUID | None
    active: bool


def caller_record(session: TenantSession) -> CallerRecord:
    record = session.info.get("caller")
    return record if isinstance(record, CallerRecord) else CallerRecord(None, False)


def tenant_of(session: TenantSession) -> uuid.UUID:
    """The tenant the transaction was opened for."""
    tenant = session.info.get("tenant_id")
    if not isinstance(tenant, uuid.UUID):
        raise TypeError("not a tenant transaction")
    return tenant


def _run_after_commit(session: Session) -> None:
    """The callbacks ``db.hooks.after_commit`` registered, once the COMMIT has succeeded;
    one that fails is logged and neither undoes the commit nor stops the others."""
    for callback in session.info.pop(AFTER_COMMIT, []):
        try:
            callback()
        except Exception:  # the commit stands; a failed side effect is only logged
            log.exception("after-commit callback failed")


class Database:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.waits = waits_of(engine)
        self._sessions = sessionmaker(engine, expire_on_commit=False, autoflush=False)
        # "rollback_only" (what the default makes of a transaction that is not a
        # SAVEPOINT, spelled out): the Session's commit only flushes, its rollback (a
        # failed flush) rolls the Connection's transaction back, its close leaves it.
        self._joined = sessionmaker(
            expire_on_commit=False, autoflush=False, join_transaction_mode="rollback_only"
        )
        self._constraint_columns: dict[str, str] | None = None

    def _columns_of_constraints(self) -> dict[str, str]:
        """Read once, on the first violation, from the catalog (on another connection:
        the failed transaction can run nothing more)."""
        if self._constraint_columns is None:
            with self.engine.connect() as conn:
                self._constraint_columns = constraint_columns(conn)
        return self._constraint_columns

    @contextmanager
    def tenant_transaction(
        self, tenant_id: uuid.UUID, *, subject: str | None = None, isolation: str | None = None
    ) -> Iterator[TenantSession]:
        """A transaction scoped to ``tenant_id``; commits on success, rolls back on error.

        Raises UnknownTenant (and rolls back) when the tenant does not exist or was
        deactivated: checked in the same statement that sets it, so it costs no round-trip.
        With ``subject`` (a token's ``sub``) that statement also looks up the caller's
        user row (``caller_record``). Constraint violations raised inside become domain
        errors (``db.errors``), so a bad reference is a 422, never a 500.

        Every wait is bounded (``Waits``): the same first statement sets this
        transaction's ``statement_timeout`` and ``lock_timeout``, and each round trip is
        watched client-side. A database that cannot do the work now raises
        DatabaseUnavailable (nothing was changed); a connection lost during COMMIT raises
        CommitOutcomeUnknown.
        """
        committing = False
        try:
            # The transaction is the Connection's; the Session joins it when ORM code first
            # uses it (``connection_of`` reads the Connection without that): a request that
            # only runs ``db.direct`` statements never starts the Session's bookkeeping.
            with self.engine.connect() as conn:
                if isolation is not None:
                    # Before BEGIN (it takes the snapshot at REPEATABLE READ); reverted
                    # when the connection goes back to the pool.
                    conn.execution_options(isolation_level=isolation)
                conn.begin()
                guard(conn)
                with self._joined(bind=conn) as session:
                    session.info["tenant_id"] = (
                        tenant_id if type(tenant_id) is uuid.UUID else uuid.UUID(str(tenant_id))
                    )
                    session.info[CONNECTION] = conn
                    timeouts = self._timeouts
                    if subject is None:
                        (row,) = run(conn, _BEGIN_TENANT, {"tenant": tenant_id, **timeouts})
                    else:
                        (row,) = run(
                            conn,
                            _BEGIN_AS_CALLER,
                            {"tenant": tenant_id, "subject": subject, **timeouts},
                        )
                        session.info["caller"] = CallerRecord(row[1], bool(row[2]))
                    if not row[0]:
                        raise UnknownTenant(
                            "The token's tenant does not exist.", tenantId=str(tenant_id)
                        )
                    try:
                        yield TenantSession(session)
                    except IntegrityError as exc:
                        domain = translate(exc, self._columns_of_constraints())
                        if domain is None:
                            raise
                        raise domain from exc
                    committing = True
                    if session.in_transaction():
                        session.commit()  # flushes; the Connection's transaction stays open
                    conn.commit()
                    committing = False
            # Here, not in the Session's after_commit event: that one fires at
            # session.commit() above (and at a SAVEPOINT's release), before the COMMIT.
            # After the connection went back to the pool: a slow callback holds none.
            _run_after_commit(session)
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) in _RETRYABLE:
                raise RetryableConflict(str(exc.orig)) from exc
            if committing and lost_connection(exc):
                raise CommitOutcomeUnknown(str(exc.orig)) from exc
            down = unavailable(exc)
            if down is not None:
                raise down from exc
            raise
        except PoolTimeout as exc:
            raise DatabaseUnavailable(
                "pool_timeout", "Every database connection of this server is busy."
            ) from exc

    @functools.cached_property
    def _timeouts(self) -> dict[str, str]:
        """The first statement's timeout parameters (``waits`` is fixed; never mutated)."""
        return {
            "statement_timeout": f"{self.waits.statement_ms}ms",
            "lock_timeout": f"{self.waits.lock_ms}ms",
        }

    @staticmethod
    def _bound(session: Session, isolation: str | None) -> Connection:
        """Check out the connection (before the first statement: it takes the snapshot
        at REPEATABLE READ) and put its round trips under the watchdog."""
        options = {} if isolation is None else {"isolation_level": isolation}
        conn = session.connection(execution_options=options)
        guard(conn)
        return conn

    @contextmanager
    def system_transaction(self) -> Iterator[SystemSession]:
        """A transaction with no tenant set: under RLS it sees no tenant rows at all.

        For health checks and for work that spans tenants through explicit, audited paths
        (the outbox relay, the PM tick, fan-outs, the metrics' backlog sample).

        Bounded like a tenant transaction: its first statement sets ``statement_timeout``
        and ``lock_timeout`` (transaction-local), its round trips are under the watchdog,
        and the same failures become DatabaseUnavailable (nothing was changed) or, for a
        connection lost during COMMIT, CommitOutcomeUnknown.
        """
        committing = False
        try:
            with self._sessions() as session:
                session.begin()
                self._bound(session, None)
                session.execute(_PING, self._timeouts)
                yield SystemSession(session)
                committing = True
                session.commit()
                committing = False
                _run_after_commit(session)
        except DBAPIError as exc:
            if committing and lost_connection(exc):
                raise CommitOutcomeUnknown(str(exc.orig)) from exc
            down = unavailable(exc)
            if down is not None:
                raise down from exc
            raise
        except PoolTimeout as exc:
            raise DatabaseUnavailable(
                "pool_timeout", "Every database connection of this server is busy."
            ) from exc

    def ping(self) -> None:
        """One bounded round trip; raises DatabaseUnavailable when the database cannot serve."""
        try:
            with self._sessions() as session, session.begin():
                self._bound(session, None)
                session.execute(_PING, self._timeouts)
        except DBAPIError as exc:
            raise (unavailable(exc) or exc) from exc
        except PoolTimeout as exc:
            raise DatabaseUnavailable("pool_timeout", "Every database connection is busy.") from exc

    def dispose(self) -> None:
        self.engine.dispose()
