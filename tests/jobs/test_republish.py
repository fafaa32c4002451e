"""The relay's republish sweep with a real Redis that is killed and comes back empty (it
keeps nothing on disk), a real ``maintrac worker`` and a database of its own (the sweep
reads every tenant's outbox rows; on the shared test database it would republish other
tests' messages).

The sweep is the relay's (``Relay.sweep``), run here in-process at chosen moments with
``republish_after_seconds=0`` (every published message is due for a check at once).
"""

from __future__ import annotations

import json
import signal
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.registry import REGISTRY
from sqlalchemy import text

import tests.jobs.probe_tasks  # noqa: F401  (registers the probe tasks for the in-process relay)
from maintrac.config import Settings
from maintrac.db.engine import make_engine
from maintrac.db.transaction import Database
from maintrac.jobs.app import make_celery
from maintrac.jobs.relay import Relay
from maintrac.services.tenants import provision_tenant
from tests.conftest import DatabaseUrls
from tests.jobs.conftest import Processes, RedisServer, count_titled, enqueue, wait_for


@dataclass
class World:
    owner: Database
    app: Database
    tenant: uuid.UUID
    urls: DatabaseUrls

    def relay(self, settings: Settings, **options: Any) -> Relay:
        return Relay(
            self.app, publisher=make_celery(settings), republish_after_seconds=0, **options
        )

    def row(self, message: uuid.UUID) -> dict[str, Any]:
        with self.app.tenant_transaction(self.tenant) as session:
            found = session.execute(
                text(
                    "SELECT published_at, broker_seen_at, republishes, last_error "
                    "FROM outbox_messages WHERE id = :id"
                ),
                {"id": message},
            ).one()
        return dict(found._mapping)

    def failures(self, message: uuid.UUID) -> list[str]:
        with self.app.tenant_transaction(self.tenant) as session:
            return list(
                session.scalars(
                    text("SELECT error FROM job_failures WHERE task_id = :id"), {"id": message}
                )
            )

    def worker(self, processes: Processes, name: str = "w1") -> None:
        processes.worker(name, DATABASE_URL=self.urls.app, MIGRATION_DATABASE_URL=self.urls.owner)


@pytest.fixture
def world(private_database: DatabaseUrls) -> Iterator[World]:
    owner = Database(make_engine(private_database.owner, pool_size=1))
    app = Database(make_engine(private_database.app, pool_size=2))
    tenant = provision_tenant(owner, f"Sweep Plant {uuid.uuid4().hex[:6]}", "UTC")
    yield World(owner, app, tenant, private_database)
    owner.dispose()
    app.dispose()


def _kill_and_restart_empty(redis_server: RedisServer) -> None:
    assert redis_server.process is not None
    redis_server.process.send_signal(signal.SIGKILL)
    redis_server.process.wait(timeout=10)
    redis_server.process = None
    redis_server.start()
    assert redis_server.client().dbsize() == 0


def _queued_ids(redis_server: RedisServer) -> list[str]:
    return [
        json.loads(item)["headers"]["id"] for item in redis_server.client().lrange("default", 0, -1)
    ]


def _counter(name: str, task: str) -> float:
    return REGISTRY.get_sample_value(name, {"task": task}) or 0.0


def test_a_message_the_broker_lost_is_republished_and_its_job_runs_once(
    world: World, job_settings: Settings, redis_server: RedisServer, processes: Processes
) -> None:
    relay = world.relay(job_settings)
    republished_before = _counter("maintrac_outbox_republished_total", "tests.probe")
    message = enqueue(world.app, world.tenant, "tests.probe", title="lost by redis")
    relay.drain()
    assert str(message) in _queued_ids(redis_server)

    # Still in the broker (no worker yet): checked, not republished.
    relay.sweep()
    assert world.row(message)["republishes"] == 0
    assert world.row(message)["published_at"] is not None

    _kill_and_restart_empty(redis_server)
    relay.sweep()
    row = world.row(message)
    assert row["published_at"] is None  # pending again: the relay publishes it
    assert row["republishes"] == 1
    assert _counter("maintrac_outbox_republished_total", "tests.probe") >= republished_before + 1
    relay.drain()
    assert str(message) in _queued_ids(redis_server)  # published again, same task id

    world.worker(processes)
    try:
        wait_for(lambda: count_titled(world.app, world.tenant, "lost by redis"), 60, "the job")
    except AssertionError:
        raise AssertionError(processes.log_text()) from None
    processes.stop_all()  # a duplicate in flight would finish before counting
    assert count_titled(world.app, world.tenant, "lost by redis") == 1
    # Its run is recorded: the next sweep settles it for good.
    relay.sweep()
    assert world.row(message)["broker_seen_at"] is None
    assert world.row(message)["republishes"] == 1


def test_a_message_whose_job_ran_is_not_republished(
    world: World, job_settings: Settings, redis_server: RedisServer, processes: Processes
) -> None:
    relay = world.relay(job_settings)
    world.worker(processes)
    recorded = enqueue(world.app, world.tenant, "tests.probe", title="ran, recorded by itself")
    # A task that does not record its own run: its worker records it after it returned.
    unrecorded = enqueue(
        world.app, world.tenant, "tests.probe_unrecorded", title="ran, recorded after"
    )
    relay.drain()
    try:
        for title in ("ran, recorded by itself", "ran, recorded after"):
            wait_for(partial(count_titled, world.app, world.tenant, title), 60, title)
    except AssertionError:
        raise AssertionError(processes.log_text()) from None
    processes.stop_all()  # every message acknowledged: none is left in the broker
    _kill_and_restart_empty(redis_server)

    relay.sweep()
    for message in (recorded, unrecorded):
        row = world.row(message)
        assert row["published_at"] is not None
        assert row["republishes"] == 0
        assert row["broker_seen_at"] is None  # settled: never checked again
        assert str(message) not in _queued_ids(redis_server)


def test_a_running_job_is_not_republished(
    world: World,
    job_settings: Settings,
    redis_server: RedisServer,
    processes: Processes,
    tmp_path: Path,
) -> None:
    relay = world.relay(job_settings)
    started = tmp_path / "started"
    world.worker(processes)
    message = enqueue(
        world.app,
        world.tenant,
        "tests.probe",
        title="long running",
        started_file=str(started),
        sleep_first_time=10.0,
    )
    relay.drain()
    _wait_until_started(started, processes)
    # Its run is not committed yet (the probe sleeps inside its transaction), and it is in
    # no queue: the broker's unacknowledged set still holds it.
    assert str(message) not in _queued_ids(redis_server)
    relay.sweep()
    assert world.row(message)["republishes"] == 0
    assert world.row(message)["broker_seen_at"] is not None  # checked again later
    wait_for(lambda: count_titled(world.app, world.tenant, "long running"), 60, "the job")
    processes.stop_all()
    assert count_titled(world.app, world.tenant, "long running") == 1


def test_a_message_whose_worker_is_gone_is_republished_after_the_hold_bound(
    world: World,
    job_settings: Settings,
    redis_server: RedisServer,
    processes: Processes,
    tmp_path: Path,
) -> None:
    started = tmp_path / "started"
    processes.worker("doomed", DATABASE_URL=world.urls.app, MIGRATION_DATABASE_URL=world.urls.owner)
    doomed = processes.started[-1]
    message = enqueue(
        world.app,
        world.tenant,
        "tests.probe",
        title="orphaned",
        started_file=str(started),
        sleep_first_time=120.0,
    )
    world.relay(job_settings).drain()
    _wait_until_started(started, processes)
    # Killed mid-task: its work rolled back, and the message stays in the broker's
    # unacknowledged set with no worker holding it (kombu would hand it out after 6 h).
    processes.kill(doomed)
    assert redis_server.client().hlen("unacked") >= 1

    # Within the time a worker may hold a message, it still counts as held...
    world.relay(job_settings).sweep()
    assert world.row(message)["republishes"] == 0
    # ...beyond it (0 s here), as lost.
    world.relay(job_settings, unacked_hold_seconds=0).sweep()
    assert world.row(message)["republishes"] == 1
    world.relay(job_settings).drain()
    world.worker(processes, "w2")
    try:
        wait_for(lambda: count_titled(world.app, world.tenant, "orphaned"), 60, "the job")
    except AssertionError:
        raise AssertionError(processes.log_text()) from None
    processes.stop_all()
    assert count_titled(world.app, world.tenant, "orphaned") == 1


def test_republishes_are_capped_and_the_give_up_is_recorded(
    world: World, job_settings: Settings, redis_server: RedisServer
) -> None:
    relay = world.relay(job_settings, republish_max_attempts=2)
    exhausted_before = _counter("maintrac_outbox_republish_exhausted_total", "tests.probe")
    message = enqueue(world.app, world.tenant, "tests.probe", title="lost again and again")
    for attempt in (1, 2):
        relay.drain()
        _kill_and_restart_empty(redis_server)
        relay.sweep()
        assert world.row(message)["republishes"] == attempt
    relay.drain()
    _kill_and_restart_empty(redis_server)
    relay.sweep()

    row = world.row(message)
    assert row["published_at"] is not None  # not pending: the relay leaves it
    assert row["broker_seen_at"] is None  # settled: the sweep leaves it too
    assert row["republishes"] == 2
    assert "not republished again" in row["last_error"]
    [failure] = world.failures(message)
    assert "republish attempts exhausted" in failure
    assert (
        _counter("maintrac_outbox_republish_exhausted_total", "tests.probe") == exhausted_before + 1
    )
    relay.sweep()
    relay.drain()
    assert world.row(message) == row
    assert str(message) not in _queued_ids(redis_server)


def _wait_until_started(started: Path, processes: Processes) -> None:
    """Wait for the probe job to write ``started``; on a timeout, fail with the workers' log."""
    try:
        wait_for(started.exists, 60, "the job to start")
    except AssertionError:
        raise AssertionError(processes.log_text()) from None
