"""Row-level security, tested at the database itself as the application role."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import psycopg
import pytest

from tests.conftest import DatabaseUrls, Tenant


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


@pytest.fixture
def app_conn(database_urls: DatabaseUrls) -> Iterator[psycopg.Connection]:
    with psycopg.connect(_plain(database_urls.app)) as conn:
        yield conn


def test_app_role_cannot_bypass_rls(app_conn: psycopg.Connection) -> None:
    row = app_conn.execute(
        "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    assert row == (False, False)
    owner = app_conn.execute(
        "SELECT tableowner FROM pg_tables WHERE tablename = 'work_orders'"
    ).fetchone()
    assert owner == ("maintrac_owner",)


def test_no_tenant_set_sees_no_rows(tenant: Tenant, app_conn: psycopg.Connection) -> None:
    tenant.create_work_order()
    for table in ("work_orders", "tenants", "tenant_counters"):
        count = app_conn.execute(f"SELECT count(*) FROM {table}").fetchone()
        assert count == (0,), table


def test_setting_is_transaction_local(tenant: Tenant, app_conn: psycopg.Connection) -> None:
    tenant.create_work_order()
    with app_conn.transaction():
        app_conn.execute("SELECT app_set_tenant(%s)", (tenant.id,))
        assert app_conn.execute("SELECT count(*) FROM work_orders").fetchone() == (1,)
    # After commit the pooled connection reads '' (not NULL): still zero rows, no error.
    assert app_conn.execute("SELECT current_setting('app.current_tenant', true)").fetchone() == (
        "",
    )
    assert app_conn.execute("SELECT count(*) FROM work_orders").fetchone() == (0,)


def test_insert_for_another_tenant_is_refused(
    tenant: Tenant, make_tenant: Callable[..., Tenant], app_conn: psycopg.Connection
) -> None:
    other = make_tenant()
    with app_conn.transaction():
        app_conn.execute("SELECT app_set_tenant(%s)", (tenant.id,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            app_conn.execute(
                "INSERT INTO work_orders (tenant_id, id, number, title) VALUES (%s, %s, 1, 'x')",
                (other.id, uuid.uuid4()),
            )


def test_update_cannot_move_a_row_to_another_tenant(
    tenant: Tenant, make_tenant: Callable[..., Tenant], app_conn: psycopg.Connection
) -> None:
    other = make_tenant()
    created = tenant.create_work_order()
    with app_conn.transaction():
        app_conn.execute("SELECT app_set_tenant(%s)", (tenant.id,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app_conn.execute(
                "UPDATE work_orders SET tenant_id = %s WHERE id = %s", (other.id, created["id"])
            )


def test_other_tenant_rows_are_invisible_to_update(
    tenant: Tenant, make_tenant: Callable[..., Tenant], app_conn: psycopg.Connection
) -> None:
    other = make_tenant()
    created = tenant.create_work_order()
    with app_conn.transaction():
        app_conn.execute("SELECT app_set_tenant(%s)", (other.id,))
        result = app_conn.execute(
            "UPDATE work_orders SET title = 'pwned' WHERE id = %s", (created["id"],)
        )
        assert result.rowcount == 0
    assert tenant.get(f"/v1/work-orders/{created['id']}").json()["title"] != "pwned"


def test_app_role_cannot_hard_delete(tenant: Tenant, app_conn: psycopg.Connection) -> None:
    created = tenant.create_work_order()
    with app_conn.transaction():
        app_conn.execute("SELECT app_set_tenant(%s)", (tenant.id,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
            app_conn.execute("DELETE FROM work_orders WHERE id = %s", (created["id"],))


def test_app_role_cannot_create_tenants(app_conn: psycopg.Connection) -> None:
    new = uuid.uuid4()
    with app_conn.transaction():
        app_conn.execute("SELECT set_config('app.current_tenant', %s, true)", (str(new),))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app_conn.execute("INSERT INTO tenants (id, name) VALUES (%s, 'rogue')", (new,))


def test_unknown_tenant_sets_nothing_visible(app_conn: psycopg.Connection) -> None:
    with app_conn.transaction():
        exists = app_conn.execute("SELECT app_set_tenant(%s)", (uuid.uuid4(),)).fetchone()
        assert exists == (False,)
        assert app_conn.execute("SELECT count(*) FROM work_orders").fetchone() == (0,)


def test_composite_key_refuses_cross_tenant_reference(
    tenant: Tenant, make_tenant: Callable[..., Tenant], database_urls: DatabaseUrls
) -> None:
    """A row can only reference rows of its own tenant: the database itself enforces it.

    No table references work orders yet, so a scratch table with the convention's
    composite foreign key stands in (created and dropped as the owner, in a rollback).
    """
    other = make_tenant()
    target = tenant.create_work_order()
    with (
        psycopg.connect(_plain(database_urls.owner)) as conn,
        conn.transaction(force_rollback=True),
    ):
        conn.execute(
            """
            CREATE TABLE work_order_notes (
                tenant_id uuid NOT NULL, id uuid NOT NULL, work_order_id uuid NOT NULL,
                PRIMARY KEY (tenant_id, id),
                CONSTRAINT fk_work_order_notes_work_orders FOREIGN KEY (tenant_id, work_order_id)
                    REFERENCES work_orders (tenant_id, id)
            )
            """
        )
        conn.execute("SELECT set_config('app.current_tenant', %s, true)", (str(other.id),))
        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            conn.execute(
                "INSERT INTO work_order_notes VALUES (%s, %s, %s)",
                (other.id, uuid.uuid4(), target["id"]),
            )
