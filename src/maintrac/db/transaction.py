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
from typing import NewType

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from maintrac.core.errors import UnknownTenant

TenantSession = NewType("TenantSession", Session)
SystemSession = NewType("SystemSession", Session)


class Database:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False, autoflush=False)

    @contextmanager
    def tenant_transaction(self, tenant_id: uuid.UUID) -> Iterator[TenantSession]:
        """A transaction scoped to ``tenant_id``; commits on success, rolls back on error.

        Raises UnknownTenant (and rolls back) when the tenant does not exist or was
        deactivated: checked in the same statement that sets it, so it costs no round-trip.
        """
        with self._sessions() as session, session.begin():
            exists = session.execute(
                text("SELECT app_set_tenant(:tenant)"), {"tenant": tenant_id}
            ).scalar_one()
            if not exists:
                raise UnknownTenant("The token's tenant does not exist.", tenantId=str(tenant_id))
            yield TenantSession(session)

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
