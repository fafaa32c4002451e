"""Work to do once a tenant transaction has committed (cache invalidation), and the
transaction's tenant.

Callbacks run after the COMMIT succeeded (``db.transaction`` runs them), never on
rollback; an error in one is logged and does not affect the committed transaction or the
other callbacks. Not the Session's ``after_commit`` event: a tenant transaction's Session
joins the Connection's transaction, and the event fires at its flush-and-commit, before
the COMMIT itself (and at every SAVEPOINT released), when a concurrent reader could still
load and cache the old rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy import text

from maintrac.db.transaction import AFTER_COMMIT, TenantSession


def after_commit(session: TenantSession, callback: Callable[[], None]) -> None:
    """Run ``callback`` once this session's transaction commits (not if it rolls back)."""
    session.info.setdefault(AFTER_COMMIT, []).append(callback)


def session_tenant(session: TenantSession) -> uuid.UUID:
    """The tenant this transaction set for RLS (``app.current_tenant``)."""
    cached = session.info.get("tenant_id")
    if isinstance(cached, uuid.UUID):
        return cached
    value = session.execute(text("SELECT current_setting('app.current_tenant', true)")).scalar_one()
    tenant = uuid.UUID(str(value))
    session.info["tenant_id"] = tenant
    return tenant
