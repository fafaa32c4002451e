"""Fixtures for the fault tests: a private cluster, and apps served over real HTTP."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

from maintrac.api.app import create_app
from maintrac.config import Settings
from maintrac.db.engine import make_engine
from maintrac.db.transaction import Database
from maintrac.services.runtime import Runtime, open_runtime
from maintrac.services.tenants import provision_tenant
from tests.conftest import TEST_SECRET, Tenant
from tests.faults.cluster import PrivateCluster, free_port

#: Short bounds, so that every fault ends within a few seconds.
FAST_WAITS: dict[str, Any] = {
    "database_pool_size": 2,
    "database_pool_timeout_seconds": 1.0,
    "database_connect_timeout_seconds": 2,
    "database_statement_timeout_ms": 1000,
    "database_lock_timeout_ms": 500,
    "database_deadline_grace_seconds": 1.0,
    "readyz_timeout_seconds": 1.0,
    "unavailable_retry_after_seconds": 3,
    "body_timeout_seconds": 1.5,
}


@contextlib.contextmanager
def served(app: Starlette) -> Iterator[str]:
    """``app`` on a real uvicorn on a loopback port."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def cluster() -> Iterator[PrivateCluster]:
    made = PrivateCluster(max_connections=12).create()
    yield made
    made.destroy()


@pytest.fixture(scope="module")
def cluster_settings(cluster: PrivateCluster) -> Settings:
    owner, app = cluster.urls()
    return Settings(
        environment="test",
        database_url=app,
        migration_database_url=owner,
        jwt_secret=TEST_SECRET,
        validate_responses=True,
        **FAST_WAITS,
    )


@pytest.fixture(scope="module")
def cluster_runtime(cluster_settings: Settings) -> Iterator[Runtime]:
    runtime = open_runtime(cluster_settings)
    yield runtime
    runtime.close()


@pytest.fixture(scope="module")
def cluster_url(cluster_settings: Settings, cluster_runtime: Runtime) -> Iterator[str]:
    with served(create_app(cluster_settings, cluster_runtime)) as url:
        yield url


@pytest.fixture
def cluster_tenant(cluster: PrivateCluster, cluster_url: str) -> Iterator[Tenant]:
    cluster.thaw()
    cluster.wait_ready()
    owner = Database(make_engine(cluster.urls()[0], pool_size=1))
    try:
        tenant_id = provision_tenant(owner, "Fault Plant", "UTC")
    finally:
        owner.dispose()
    with httpx.Client(base_url=cluster_url, timeout=30) as client:
        yield Tenant(id=tenant_id, http=client)
