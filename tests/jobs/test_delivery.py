"""Delivery semantics with a real Redis, real ``maintrac worker``/``relay``/``beat``
processes and the real database: the outbox, redelivery after SIGKILL, a broker outage,
two beats with two workers, final failures."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

import tests.jobs.probe_tasks  # noqa: F401  (registers the probe tasks for the in-process relay)
from maintrac.config import Settings
from maintrac.db.transaction import Database
from maintrac.jobs.app import make_celery
from maintrac.jobs.relay import BrokerUnavailable, Relay
from maintrac.services import outbox
from tests.conftest import Tenant
from tests.jobs.conftest import (
    Processes,
    RedisServer,
    count_titled,
    enqueue,
    pending_outbox,
    wait_for,
)


def _queued_ids(redis_server: RedisServer, queue: str = "default") -> list[str]:
    raw = redis_server.client().lrange(queue, 0, -1)
    return [json.loads(item)["headers"]["id"] for item in raw]


def _relay(app_db: Database, job_settings: Settings) -> Relay:
    return Relay(app_db, publisher=make_celery(job_settings), batch_size=500)


def test_rollback_sends_nothing_and_commit_publishes_after_commit(
    app_db: Database,
    job_settings: Settings,
    redis_server: RedisServer,
    make_tenant: Callable[..., Tenant],
) -> None:
    tenant = make_tenant()
    relay = _relay(app_db, job_settings)

    class Boom(Exception):
        pass

    def enqueue_then_fail() -> uuid.UUID:
        with app_db.tenant_transaction(tenant.id) as session:
            outbox.enqueue(session, "tests.probe", {"title": "never"})
            raise Boom

    with pytest.raises(Boom):
        enqueue_then_fail()
    relay.drain()
    queued_kwargs = [
        json.loads(item)["headers"]["kwargsrepr"]
        for item in redis_server.client().lrange("default", 0, -1)
    ]
    assert not any("never" in kwargs for kwargs in queued_kwargs)
    assert pending_outbox(app_db, tenant.id) == 0

    with app_db.tenant_transaction(tenant.id) as session:
        committed = outbox.enqueue(session, "tests.probe", {"title": "sent"})
        # Not before commit: another transaction (the relay's) cannot see the row yet.
        assert relay.drain() == 0 or str(committed) not in _queued_ids(redis_server)
    assert pending_outbox(app_db, tenant.id) == 1
    relay.drain()
    queued = _queued_ids(redis_server)
    assert queued.count(str(committed)) == 1  # the outbox id is the task id
    assert any(
        "'sent'" in json.loads(item)["headers"]["kwargsrepr"]
        for item in redis_server.client().lrange("default", 0, -1)
    )
    assert pending_outbox(app_db, tenant.id) == 0
    relay.drain()
    assert _queued_ids(redis_server).count(str(committed)) == 1  # published once


def test_broker_down_the_outbox_keeps_the_rows(
    app_db: Database,
    job_settings: Settings,
    redis_server: RedisServer,
    make_tenant: Callable[..., Tenant],
) -> None:
    tenant = make_tenant()
    relay = _relay(app_db, job_settings)
    redis_server.stop()
    message = enqueue(app_db, tenant.id, "tests.probe", title="waits")
    with pytest.raises(BrokerUnavailable):
        relay.drain()
    assert pending_outbox(app_db, tenant.id) == 1
    redis_server.start()
    relay.drain()
    assert pending_outbox(app_db, tenant.id) == 0
    assert str(message) in _queued_ids(redis_server)


def test_worker_runs_an_outbox_job_exactly_once(
    app_db: Database, processes: Processes, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    processes.start("relay")
    processes.worker("w1")
    enqueue(app_db, tenant.id, "tests.probe", title="from the outbox")
    try:
        wait_for(lambda: count_titled(app_db, tenant.id, "from the outbox"), 60, "the job")
    except AssertionError:
        raise AssertionError(processes.log_text()) from None
    assert count_titled(app_db, tenant.id, "from the outbox") == 1
    assert pending_outbox(app_db, tenant.id) == 0


def test_redis_down_writes_commit_outbox_grows_then_drains(
    app_db: Database,
    processes: Processes,
    redis_server: RedisServer,
    make_tenant: Callable[..., Tenant],
) -> None:
    tenant = make_tenant()
    processes.start("relay")
    redis_server.stop()
    # The API never talks to the broker: its writes commit as before.
    assert tenant.create_work_order(title="written while Redis is down")["number"] >= 1
    titles = [f"queued while down {i}" for i in range(5)]
    for title in titles:
        enqueue(app_db, tenant.id, "tests.probe", title=title)
    wait_for(
        lambda: (processes.logs / "relay-0.log").read_text().count("broker unavailable"),
        30,
        "the relay to find the broker down",
    )
    # the five probes, and the domain event of the work order created above
    assert pending_outbox(app_db, tenant.id) == 5 + 1
    assert all(count_titled(app_db, tenant.id, t) == 0 for t in titles)

    redis_server.start()
    processes.worker("w1")
    try:
        wait_for(lambda: pending_outbox(app_db, tenant.id) == 0, 60, "the relay to drain")
        wait_for(
            lambda: all(count_titled(app_db, tenant.id, t) == 1 for t in titles), 60, "the jobs"
        )
    except AssertionError:
        raise AssertionError(processes.log_text()) from None
    assert [count_titled(app_db, tenant.id, t) for t in titles] == [1] * 5


def test_worker_killed_mid_task_is_redelivered_and_done_once(
    app_db: Database, processes: Processes, tmp_path: Path, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    started = tmp_path / "started"
    processes.start("relay")
    # A short visibility timeout, so the test sees the redelivery within seconds.
    fast = {"JOBS_VISIBILITY_TIMEOUT": "6"}
    first = processes.worker("w1", **fast)
    enqueue(
        app_db,
        tenant.id,
        "tests.probe",
        title="survives SIGKILL",
        started_file=str(started),
        sleep_first_time=120,
    )
    try:
        wait_for(started.exists, 60, "the task to start")
    except AssertionError:
        raise AssertionError(processes.log_text()) from None
    processes.kill(first)  # mid-task: its work (and its job run) was not committed
    assert count_titled(app_db, tenant.id, "survives SIGKILL") == 0

    processes.worker("w2", **fast)
    try:
        wait_for(lambda: count_titled(app_db, tenant.id, "survives SIGKILL"), 90, "redelivery")
    except AssertionError:
        raise AssertionError(processes.log_text()) from None
    # Redelivered, done, and not again (a later restore of the same message is a no-op).
    with app_db.tenant_transaction(tenant.id) as session:
        runs = session.execute(
            text("SELECT count(*) FROM job_runs WHERE task = 'tests.probe'")
        ).scalar_one()
    assert runs == 1
    assert count_titled(app_db, tenant.id, "survives SIGKILL") == 1


def test_a_task_that_keeps_failing_is_recorded_with_its_error(
    app_db: Database, processes: Processes, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    processes.start("relay")
    processes.worker("w1")
    message = enqueue(app_db, tenant.id, "tests.probe", title="doomed", fail=True)

    def failure() -> tuple[int, str] | None:
        with app_db.tenant_transaction(tenant.id) as session:
            row = session.execute(
                text("SELECT attempts, error FROM job_failures WHERE task_id = :id"),
                {"id": message},
            ).first()
        return None if row is None else (int(row.attempts), str(row.error))

    try:
        attempts, error = wait_for(failure, 60, "the failure record")
    except AssertionError:
        raise AssertionError(processes.log_text()) from None
    assert attempts == 3  # the first try and JOBS_MAX_RETRIES=2 retries
    assert "RuntimeError: probe doomed was told to fail" in error
    assert "Traceback" in error
    assert count_titled(app_db, tenant.id, "doomed") == 0


def test_unknown_task_names_wait_and_do_not_block_others(
    app_db: Database,
    job_settings: Settings,
    redis_server: RedisServer,
    make_tenant: Callable[..., Tenant],
) -> None:
    tenant = make_tenant()
    relay = _relay(app_db, job_settings)
    bad = enqueue(app_db, tenant.id, "no.such.task")
    good = enqueue(app_db, tenant.id, "tests.probe", title="behind a bad one")
    relay.drain()
    assert str(good) in _queued_ids(redis_server)
    assert str(bad) not in _queued_ids(redis_server)
    with app_db.tenant_transaction(tenant.id) as session:
        row = session.execute(
            text("SELECT published_at, last_error FROM outbox_messages WHERE id = :id"),
            {"id": bad},
        ).one()
    assert row.published_at is None
    assert "unknown task" in row.last_error
    assert isinstance(uuid.UUID(str(good)), uuid.UUID)


def test_a_commit_wakes_the_relay_without_waiting_for_its_poll(
    app_db: Database,
    job_settings: Settings,
    redis_server: RedisServer,
    make_tenant: Callable[..., Tenant],
) -> None:
    tenant = make_tenant()
    relay = Relay(app_db, publisher=make_celery(job_settings), poll_seconds=120)
    thread = threading.Thread(target=relay.run_forever, daemon=True)
    thread.start()
    try:
        time.sleep(1)  # listening, and past its first (empty) drain
        message = enqueue(app_db, tenant.id, "tests.probe", title="notified")
        started = time.monotonic()
        wait_for(lambda: str(message) in _queued_ids(redis_server), 20, "the NOTIFY wake-up")
        assert time.monotonic() - started < 60  # far below the 120 s poll
    finally:
        relay.stop()
        thread.join(timeout=30)
