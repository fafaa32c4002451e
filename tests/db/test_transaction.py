"""The tenant transaction as the Connection it is: its isolation level holds for the whole
transaction and goes back to the default with the connection."""

from __future__ import annotations

from maintrac.db import direct
from maintrac.db.engine import make_engine
from maintrac.db.transaction import Database
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
