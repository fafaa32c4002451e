"""The generic repository on a real table, as the app role under RLS: domain objects in
and out, "live" means not soft-deleted, and another tenant's row does not exist."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import psycopg
import pytest
from sqlalchemy import event, true
from sqlalchemy.exc import DBAPIError

from maintrac.core.ids import new_id
from maintrac.core.work_orders import Priority, Status, WorkOrder
from maintrac.db import direct
from maintrac.db.models import WorkOrderRow
from maintrac.db.repository import Positional, Repository
from maintrac.db.transaction import tenant_of
from maintrac.db.work_orders import KEYSETS, next_counter_value, to_work_order, work_orders
from maintrac.services.runtime import Runtime
from tests.conftest import Tenant


def _insert(runtime: Runtime, tenant_id: uuid.UUID, title: str) -> WorkOrder:
    with runtime.database.tenant_transaction(tenant_id) as session:
        number = next_counter_value(session, "work_orders")
        return work_orders.insert(
            session,
            {
                "id": new_id(),
                "number": number,
                "title": title,
                "status": Status.OPEN,
                "priority": Priority.HIGH,
            },
        )


def test_insert_get_update_soft_delete_return_domain_objects(
    runtime: Runtime, tenant: Tenant
) -> None:
    made = _insert(runtime, tenant.id, "Repository")
    assert isinstance(made, WorkOrder)
    assert made.priority is Priority.HIGH  # stored as its value, read back as the enum
    assert made.version == 1
    with runtime.database.tenant_transaction(tenant.id) as session:
        assert tenant_of(session) == tenant.id
        assert work_orders.get(session, made.id) == made
        updated = work_orders.update(session, made.id, {"status": Status.IN_PROGRESS})
        assert updated.status is Status.IN_PROGRESS
        assert updated.version == 2  # what the database stored: the trigger's bump
        assert work_orders.soft_delete(session, made.id)
        assert not work_orders.soft_delete(session, made.id)
        assert work_orders.get(session, made.id) is None
        assert not work_orders.exists(session, made.id)
        locked = work_orders.lock_any(session, made.id)
        assert locked is not None
        assert locked.deleted
        assert locked.item.id == made.id


def test_another_tenants_row_does_not_exist(
    runtime: Runtime, make_tenant: Callable[..., Tenant]
) -> None:
    a, b = make_tenant(), make_tenant()
    made = _insert(runtime, a.id, "Tenant A's")
    with runtime.database.tenant_transaction(b.id) as session:
        assert work_orders.get(session, made.id) is None
        assert work_orders.lock_any(session, made.id) is None
        assert not work_orders.exists(session, made.id)
        page = work_orders.page(session, KEYSETS["-createdAt"], after=None, limit=10)
        assert made.id not in {w.id for w in page}


def test_reads_by_position_equal_the_mapping_by_name(runtime: Runtime, tenant: Tenant) -> None:
    """``Positional`` builds what ``to_work_order`` builds from the stored row, every field
    set (a decimal, timestamps, enums) or null."""
    with runtime.database.tenant_transaction(tenant.id) as session:
        full = work_orders.insert(
            session,
            {
                "id": new_id(),
                "number": next_counter_value(session, "work_orders"),
                "title": "Every field",
                "description": "set",
                "status": Status.COMPLETE,
                "priority": Priority.URGENT,
                "estimated_hours": Decimal("12.50"),
                "due_at": datetime(2026, 12, 1, 16, tzinfo=UTC),
                "completed_at": datetime(2026, 12, 2, 8, 30, 0, 123456, tzinfo=UTC),
            },
        )
        bare = work_orders.insert(
            session,
            {
                "id": new_id(),
                "number": next_counter_value(session, "work_orders"),
                "title": "Nulls",
                "status": Status.OPEN,
                "priority": Priority.LOW,
            },
        )
        for made in (full, bare):
            row = session.get(WorkOrderRow, (tenant.id, made.id))
            assert row is not None
            assert work_orders.get(session, made.id) == to_work_order(row) == made
        listed = work_orders.page(session, KEYSETS["-createdAt"], after=None, limit=2)
        assert listed == [bare, full]
        assert [type(w.status) for w in listed] == [Status, Status]


def test_a_positional_builder_makes_what_the_constructor_makes() -> None:
    """Filling a frozen dataclass's slots directly gives the object ``__init__`` gives
    (equal, hashable, still frozen); a class with ``__post_init__`` is built by its
    ``__init__``, so the hook runs."""
    names, build = Positional(WorkOrder, enums={"status": Status, "priority": Priority}).builder()
    moment = datetime(2026, 12, 4, 9, tzinfo=UTC)
    values: dict[str, Any] = dict.fromkeys(names) | {
        "id": new_id(),
        "number": 7,
        "title": "Built",
        "status": "on_hold",
        "priority": "urgent",
        "actual_minutes": 0,
        "version": 3,
        "created_at": moment,
        "updated_at": moment,
    }
    built = build([values[name] for name in names])
    expected = WorkOrder(**(values | {"status": Status.ON_HOLD, "priority": Priority.URGENT}))
    assert built == expected
    assert hash(built) == hash(expected)
    assert built.status is Status.ON_HOLD
    with pytest.raises(AttributeError):
        built.title = "changed"  # type: ignore[misc]

    seen: list[str] = []

    @dataclass(frozen=True, slots=True)
    class Hooked:
        title: str

        def __post_init__(self) -> None:
            seen.append(self.title)

    _, build_hooked = Positional(Hooked).builder()
    assert build_hooked(["hooked"]) == Hooked("hooked")
    assert seen == ["hooked", "hooked"]


def test_a_read_on_the_direct_path_leaves_the_orm_session_unstarted(
    runtime: Runtime, tenant: Tenant
) -> None:
    """A tenant transaction belongs to its Connection: a page read with ``db.direct``
    never begins the Session's own transaction, ORM work joins the same one, and both
    commit together."""
    _insert(runtime, tenant.id, "Read directly")
    with runtime.database.tenant_transaction(tenant.id) as session:
        assert work_orders.page(session, KEYSETS["-createdAt"], after=None, limit=1)
        assert not session.in_transaction()
        conn = direct.connection_of(session)
        number = next_counter_value(session, "work_orders")  # ORM: the Session joins
        assert session.in_transaction()
        assert session.connection() is conn
        written = work_orders.insert(
            session,
            {
                "id": new_id(),
                "number": number,
                "title": "Joined",
                "status": Status.OPEN,
                "priority": Priority.LOW,
            },
        )
    with runtime.database.tenant_transaction(tenant.id) as session:
        assert work_orders.get(session, written.id) == written


def test_a_positional_domain_needs_a_column_for_every_field() -> None:
    @dataclass(frozen=True)
    class WithExtra:
        id: uuid.UUID
        not_a_column: str

    def to_with_extra(row: WorkOrderRow) -> WithExtra:
        return WithExtra(row.id, row.title)

    with pytest.raises(TypeError, match="not_a_column"):
        Repository(WorkOrderRow, to_with_extra, positional=Positional(WithExtra))


def test_unfiltered_pages_and_gets_run_compiled_once_and_equal_the_sqlalchemy_path(
    runtime: Runtime, tenant: Tenant
) -> None:
    """An unfiltered page runs a statement compiled once per keyset on the driver cursor
    (``db.direct``); a filtered one goes through SQLAlchemy. Both give the same pages, in
    every sort, first and later (the due date's key carries a literal of its own)."""
    with runtime.database.tenant_transaction(tenant.id) as session:
        for i in range(5):
            work_orders.insert(
                session,
                {
                    "id": new_id(),
                    "number": next_counter_value(session, "work_orders"),
                    "title": f"Paged {i}",
                    "status": Status.OPEN,
                    "priority": Priority.LOW,
                    "due_at": None if i % 2 else datetime(2026, 12, 1 + i, tzinfo=UTC),
                },
            )
    with runtime.database.tenant_transaction(tenant.id) as session:
        for name, keyset in KEYSETS.items():
            direct_pages: list[list[WorkOrder]] = []
            filtered_pages: list[list[WorkOrder]] = []
            for pages, where in ((direct_pages, ()), (filtered_pages, (true(),))):
                after = None
                while True:
                    page = work_orders.page(session, keyset, *where, after=after, limit=2)
                    pages.append(page)
                    if len(page) < 2:
                        break
                    after = keyset.parse(keyset.key(page[-1]))
            assert direct_pages == filtered_pages, name
            assert sum(len(page) for page in direct_pages) == 5, name
            for first in (True, False):
                cached = work_orders._templates[id(keyset), first]
                assert cached[1] is not None, (name, first)  # compiled, not a fallback
        listed = work_orders.page(session, KEYSETS["-createdAt"], after=None, limit=5)
        for made in listed:  # ``get`` too, locking or not
            assert work_orders.get(session, made.id) == made
            assert work_orders.get(session, made.id, for_update=True) == made
        assert work_orders.get(session, new_id()) is None
        for for_update in (False, True):
            assert work_orders._gets["get", for_update] is not None


def test_a_driver_error_on_the_direct_path_is_sqlalchemys(runtime: Runtime, tenant: Tenant) -> None:
    """A statement that fails on the driver cursor raises what SQLAlchemy raises (the
    transaction maps those to 503s and retries), its parameters hidden, and the
    transaction rolls back."""
    with (
        pytest.raises(DBAPIError) as caught,
        runtime.database.tenant_transaction(tenant.id) as session,
    ):
        direct.fetch_all(session, "SELECT 1 / %(zero)s::int", {"zero": 0})
    assert isinstance(caught.value.orig, psycopg.errors.DivisionByZero)
    assert "zero" not in str(caught.value).split("[SQL:")[-1].split("]")[-1]
    assert "parameters" in str(caught.value).lower()  # hidden: "[SQL parameters hidden ...]"


def test_the_engines_cursor_listeners_run_around_a_direct_statement(
    runtime: Runtime, tenant: Tenant
) -> None:
    """What the round-trip watchdog and the SQL spans listen to runs around a direct
    statement as around any other: before it is sent, and after its answer came."""
    engine = runtime.database.engine
    calls: list[tuple[str, str]] = []

    def before(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        calls.append(("before", statement))

    def after(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        calls.append(("after", statement))

    sql = "SELECT %(one)s::int AS listened"
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        with runtime.database.tenant_transaction(tenant.id) as session:
            assert direct.fetch_all(session, sql, {"one": 1}) == [(1,)]
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    assert [c for c in calls if c[1] == sql] == [("before", sql), ("after", sql)]
    # The transaction's first statement (tenant, caller, timeouts) is a direct one too.
    assert any("app_set_tenant" in statement for _, statement in calls)
