"""Work to do once a tenant transaction has committed (cache invalidation), and the
transaction's tenant.

Callbacks run after the commit succeeded, never on rollback; an error in one is logged
and does not affect the committed transaction or the other callbacks.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from maintrac.db.transaction import TenantSession

log = logging.getLogger("maintrac.db")

_CALLBACKS = "after_commit_callbacks"


def _run(session: Session) -> None:
    callbacks: list[Callable[[], None]] = session.info.pop(_CALLBACKS, [])
    for callback in callbacks:
        try:
            callback()
        except Exception:  # the commit stands; a failed side effect is only logged
            log.exception("after-commit callback failed")


def _drop(session: Session) -> None:
    session.info.pop(_CALLBACKS, None)


def after_commit(session: TenantSession, callback: Callable[[], None]) -> None:
    """Run ``callback`` once this session's transaction commits (not if it rolls back)."""
    callbacks = session.info.setdefault(_CALLBACKS, [])
    if not callbacks:
        event.listen(session, "after_commit", _run, once=True)
        event.listen(session, "after_rollback", _drop, once=True)
    callbacks.append(callback)


def session_tenant(session: TenantSession) -> uuid.UUID:
    """The tenant this transaction set for RLS (``app.current_tenant``)."""
    cached = session.info.get("tenant_id")
    if isinstance(cached, uuid.UUID):
        return cached
    value = session.execute(text("SELECT current_setting('app.current_tenant', true)")).scalar_one()
    tenant = uuid.UUID(str(value))
    session.info["tenant_id"] = tenant
    return tenant
