"""Redis faults under a real app: Redis frozen (SIGSTOP) while the API is busy.

The Redis drill of ``bench/fault_drills.py`` found ``/readyz`` taking twice its deadline
(4.2 s against 2 s) while Redis was frozen and the request threads were busy: a probe
queued for one of the few worker threads behind the requests, and once its thread had
started, the deadline could not end the wait (anyio's ``to_thread.run_sync`` cannot be
cancelled by default). With every thread held, the database probe timed out waiting for
a thread and ``/readyz`` answered 503 "database not reachable" for a database that was
fine. The probes have threads of their own now and give up on a stuck check at the
deadline.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg
import pytest
import uvicorn

from maintrac.api.app import create_app
from maintrac.config import Settings
from maintrac.services.runtime import open_runtime
from tests.conftest import Tenant
from tests.faults.cluster import PrivateCluster, free_port
from tests.ratelimit.conftest import RedisServer

#: Slack on top of a bound for the loopback round trip and a busy 2-core machine.
SLACK = 2.0


@pytest.fixture
def frozen_redis(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(free_port(), tmp_path)
    server.start()
    server.freeze()
    try:
        yield server
    finally:
        server.thaw()
        server.stop()


@contextlib.contextmanager
def served_with_lifespan(settings: Settings) -> Iterator[str]:
    """The app as ``maintrac serve`` runs it: with its lifespan, which sizes the worker
    threads to ``HANDLER_THREADS`` (at most ``DATABASE_POOL_SIZE``)."""
    runtime = open_runtime(settings)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, runtime),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="on",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        runtime.close()


def test_readyz_with_frozen_redis_and_busy_threads_is_degraded_within_its_deadline(
    cluster: PrivateCluster,
    cluster_tenant: Tenant,
    cluster_settings: Settings,
    frozen_redis: RedisServer,
) -> None:
    """Every request thread waits on a locked table; the database itself is fine (an
    overflow connection is free). ``/readyz`` must say so within its deadline: 200
    ``degraded`` (Redis frozen), not 503 because its probes found no thread."""
    settings = cluster_settings.model_copy(
        update={
            "redis_url": frozen_redis.url,
            "database_max_overflow": 2,
            # The busy requests hold their thread (waiting for the lock) for 4 s.
            "database_lock_timeout_ms": 4000,
            "database_statement_timeout_ms": 6000,
        }
    )
    threads = settings.effective_handler_threads()  # what the lifespan sizes the limiter to
    with (
        served_with_lifespan(settings) as url,
        psycopg.connect(cluster.psql_url()) as locker,
        ThreadPoolExecutor(max_workers=threads) as pool,
        httpx.Client(base_url=url, timeout=30, headers=cluster_tenant.headers()) as client,
    ):
        locker.execute("LOCK TABLE work_orders IN ACCESS EXCLUSIVE MODE")
        busy = [pool.submit(client.get, "/v1/work-orders?limit=5") for _ in range(threads)]
        time.sleep(0.5)
        started = time.monotonic()
        ready = client.get("/readyz")
        took = time.monotonic() - started
        locker.rollback()
        answers = [f.result().status_code for f in busy]
    assert ready.status_code == 200, ready.text
    body = ready.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["status"] == "up"
    assert body["checks"]["redis"]["status"] == "down"
    assert took < settings.readyz_timeout_seconds + SLACK
    assert answers == [200] * threads
