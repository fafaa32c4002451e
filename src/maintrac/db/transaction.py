"""The one place where transactions begin and commit.

Every unit of work (an HTTP request, a job) runs in one transaction that first sets the
tenant with ``set_config('app.current_tenant', ..., true)`` (inside ``app_set_tenant``),
so row-level security filters every statement after it. The setting is transaction-local,
which is what makes this safe on pooled connections and behind PgBouncer.

``TenantSession`` and ``SystemSession`` are distinct types: code that must run under RLS
asks for a ``TenantSession`` and cannot be handed the other by mistake.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NewType

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from maintrac.core.errors import UnknownTenant
from maintrac.db.errors import constraint_columns, translate


class RetryableConflict(Exception):
    """The transaction lost a race (serialization failure, deadlock) and was rolled back;
    running the whole unit of work again is safe and will usually succeed."""


#: serialization_failure, deadlock_detected
_RETRYABLE = frozenset({"40001", "40P01"})

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


class Database:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False, autoflush=False)
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
        """
        try:
            with self._sessions() as session, session.begin():
                session.info["tenant_id"] = uuid.UUID(str(tenant_id))
                if isolation is not None:
                    # Before the first statement: it takes the snapshot (REPEATABLE READ).
                    session.connection(execution_options={"isolation_level": isolation})
                if subject is None:
                    exists = session.execute(
                        text("SELECT app_set_tenant(:tenant)"), {"tenant": tenant_id}
                    ).scalar_one()
                else:
                    row = session.execute(
                        text("SELECT * FROM app_begin(:tenant, :subject)"),
                        {"tenant": tenant_id, "subject": subject},
                    ).one()
                    exists = row.tenant_exists
                    session.info["caller"] = CallerRecord(row.user_id, bool(row.user_active))
                if not exists:
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
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) in _RETRYABLE:
                raise RetryableConflict(str(exc.orig)) from exc
            raise

    @contextmanager
    def system_transaction(self) -> Iterator[SystemSession]:
        """A transaction with no tenant set: under RLS it sees no tenant rows at all.

        For health checks and for work that spans tenants through explicit, audited paths.
        """
        with self._sessions() as session, session.begin():
            yield SystemSession(session)

    def ping(self) -> None:
        with self.system_transaction() as session:
            session.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()
