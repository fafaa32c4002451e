"""Housekeeping deletes exactly what its rules say, in the tenant it runs for, in batches,
through the owner-run functions (the app role itself still cannot delete)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from maintrac.config import Settings
from maintrac.core.ids import new_id
from maintrac.db.transaction import Database
from maintrac.jobs.housekeeping import sweep_tenant
from tests.conftest import Tenant

NOW = datetime.now(UTC)
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def _seed(owner_db: Database, tenant_id: uuid.UUID) -> None:
    """Rows named by what should happen to them: gone_* are expired, kept_* are not."""
    with owner_db.tenant_transaction(tenant_id) as s:
        for key, expires in (
            ("gone_1", NOW - HOUR),
            ("gone_2", NOW - DAY),
            ("gone_3", NOW - 2 * DAY),
            ("kept", NOW + HOUR),
        ):
            s.execute(
                text(
                    "INSERT INTO idempotency_keys (tenant_id, id, key, operation, request_hash, "
                    "expires_at) VALUES (:t, :id, :key, 'op', 'h', :e)"
                ),
                {"t": tenant_id, "id": new_id(), "key": key, "e": expires},
            )
        for task, published, created in (
            ("gone", NOW - 10 * DAY, NOW - 10 * DAY),
            ("kept_recent", NOW - HOUR, NOW - HOUR),
            ("kept_pending", None, NOW - 30 * DAY),
        ):
            s.execute(
                text(
                    "INSERT INTO outbox_messages (tenant_id, id, task, published_at, created_at) "
                    "VALUES (:t, :id, :task, :p, :c)"
                ),
                {"t": tenant_id, "id": new_id(), "task": task, "p": published, "c": created},
            )
        for task, created in (("gone", NOW - 10 * DAY), ("kept", NOW - HOUR)):
            s.execute(
                text(
                    "INSERT INTO job_runs (tenant_id, id, task_id, task, created_at) "
                    "VALUES (:t, :id, :tid, :task, :c)"
                ),
                {"t": tenant_id, "id": new_id(), "tid": uuid.uuid4(), "task": task, "c": created},
            )
        # Checkpoints: (pulled_at, xmin, previous_pulled_at, age). 1000 is the floor; 2000
        # was superseded by 3000 twenty days ago (gone); 3000 is a device's latest (kept);
        # 4000 was superseded by 5000 only an hour ago (kept: inside the grace period).
        for pulled_at, xmin, previous, age in (
            (1000, 100, None, 40 * DAY),
            (2000, 200, 1000, 30 * DAY),
            (3000, 300, 2000, 20 * DAY),
            (4000, 400, None, 2 * DAY),
            (5000, 500, 4000, HOUR),
        ):
            s.execute(
                text(
                    "INSERT INTO sync_checkpoints (tenant_id, id, pulled_at, snapshot_xmin, "
                    "previous_pulled_at, created_at) VALUES (:t, :id, :p, :x, :prev, :c)"
                ),
                {
                    "t": tenant_id,
                    "id": new_id(),
                    "p": pulled_at,
                    "x": xmin,
                    "prev": previous,
                    "c": NOW - age,
                },
            )
        # Resends: the oldest checkpoint still in use has xmin 300 (pulled_at 3000).
        for name, change_seq, age in (
            ("gone", 250, 10 * DAY),  # every device in use pulled after it
            ("kept_unseen", 350, 10 * DAY),  # the device at 3000 has not pulled since
            ("kept_young", 100, HOUR),  # inside the grace period
        ):
            s.execute(
                text(
                    "INSERT INTO sync_resends (tenant_id, id, table_name, record_id, change_seq, "
                    "created_at) VALUES (:t, :id, :name, :r, :seq, :c)"
                ),
                {
                    "t": tenant_id,
                    "id": new_id(),
                    "name": name,
                    "r": uuid.uuid4(),
                    "seq": change_seq,
                    "c": NOW - age,
                },
            )


def _left(owner_db: Database, tenant_id: uuid.UUID) -> dict[str, list[object]]:
    columns = {
        "idempotency_keys": "key",
        "outbox_messages": "task",
        "job_runs": "task",
        "sync_checkpoints": "pulled_at",
        "sync_resends": "table_name",
    }
    queries = {
        table: f"SELECT {column} FROM {table} WHERE tenant_id = :t ORDER BY {column}"
        for table, column in columns.items()
    }
    # Filtered explicitly: the owner may read every tenant's outbox (the relay's policy).
    with owner_db.tenant_transaction(tenant_id) as s:
        return {name: list(s.scalars(text(sql), {"t": tenant_id})) for name, sql in queries.items()}


def test_housekeeping_deletes_only_what_its_rules_say(
    owner_db: Database,
    runtime_db: Database,
    settings: Settings,
    make_tenant: Callable[..., Tenant],
) -> None:
    swept, untouched = make_tenant(), make_tenant()
    for tenant in (swept, untouched):
        _seed(owner_db, tenant.id)
    before = _left(owner_db, untouched.id)

    in_batches_of_one = settings.model_copy(update={"housekeeping_batch_size": 1})
    deleted = sweep_tenant(runtime_db, swept.id, in_batches_of_one)

    assert deleted == {
        "idempotency_keys": 3,
        "outbox_messages": 1,
        "job_runs": 1,
        "sync_checkpoints": 1,
        "sync_resends": 1,
    }
    assert _left(owner_db, swept.id) == {
        "idempotency_keys": ["kept"],
        "outbox_messages": ["kept_pending", "kept_recent"],
        "job_runs": ["kept"],
        "sync_checkpoints": [1000, 3000, 4000, 5000],
        "sync_resends": ["kept_unseen", "kept_young"],
    }
    assert _left(owner_db, untouched.id) == before  # another tenant's rows are never touched
    assert set(sweep_tenant(runtime_db, swept.id, settings).values()) == {0}  # idempotent


def test_the_app_role_still_cannot_delete_and_floors_hold(
    owner_db: Database, runtime_db: Database, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    _seed(owner_db, tenant.id)
    with (
        pytest.raises(ProgrammingError, match="permission denied"),
        runtime_db.tenant_transaction(tenant.id) as s,
    ):
        s.execute(text("DELETE FROM idempotency_keys"))
    with runtime_db.tenant_transaction(tenant.id) as s:
        # A retention of zero is raised to the function's floor (1 day): the hour-old
        # published message stays.
        gone = s.execute(text("SELECT housekeep_outbox_messages(1000, interval '0')")).scalar()
    assert gone == 1
    assert "kept_recent" in _left(owner_db, tenant.id)["outbox_messages"]
