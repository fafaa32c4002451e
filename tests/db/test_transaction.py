"""The tenant transaction as the Connection it is: its isolation level holds for the whole
transaction and goes back to the default with the connection; work registered for after
the commit runs after the COMMIT itself."""

from __future__ import annotations

import uuid

import pytest

from maintrac.core.ids import new_id
from maintrac.core.work_orders import Priority, Status
from maintrac.db import direct
from maintrac.db.engine import make_engine
from maintrac.db.hooks import after_commit
from maintrac.db.transaction import Database
from maintrac.db.work_orders import next_counter_value, work_orders
from maintrac.services.runtime import Runtime
from tests.conftest import Tenant


def test_an_isolation_level_lasts_one_transaction(runtime: Runtime, tenant: Tenant) -> None:
    url = runtime.database.engine.url.render_as_string(hide_password=False)
    database = Database(make_engine(url, pool_size=1))  # one connection: always the same
    try:
        with database.tenant_transaction(tenant.id, isolation="REPEATABLE READ") as session:
            conn = direct.connection_of(session)
            assert direct.fetch_all(session, "SHOW transaction_isolation", {}) == [
                ("repeatable read",)
            ]
            assert session.connection() is conn  # the ORM's work runs in it too
        with database.tenant_transaction(tenant.id) as session:
            assert direct.fetch_all(session, "SHOW transaction_isolation", {}) == [
                ("read committed",)
            ]
    finally:
        database.dispose()


def test_after_commit_callbacks_run_once_the_commit_is_visible(
    runtime: Runtime, tenant: Tenant
) -> None:
    """A callback (a cache invalidation) runs after COMMIT, when another connection sees
    the change: before it, a concurrent reader could cache the old rows again. A
    SAVEPOINT released on the way does not run it; a rollback never does."""
    database = runtime.database
    seen: list[list[tuple[object, ...]]] = []
    title = f"Committed {uuid.uuid4()}"

    def look() -> None:
        with database.tenant_transaction(tenant.id) as other:
            seen.append(
                direct.fetch_all(
                    other, "SELECT title FROM work_orders WHERE title = %(t)s", {"t": title}
                )
            )

    with database.tenant_transaction(tenant.id) as session:
        with session.begin_nested():
            work_orders.insert(
                session,
                {
                    "id": new_id(),
                    "number": next_counter_value(session, "work_orders"),
                    "title": title,
                    "status": Status.OPEN,
                    "priority": Priority.LOW,
                },
            )
        after_commit(session, look)
        with session.begin_nested():
            next_counter_value(session, "work_orders")
        assert seen == []
    assert seen == [[(title,)]]

    def roll_back() -> None:
        with database.tenant_transaction(tenant.id) as session:
            after_commit(session, look)
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        roll_back()
    assert seen == [[(title,)]]
