"""Database faults on a private cluster: each one a 503 problem with Retry-After, in time.

The drills of issue 11 found 500s for a restart, an outage and exhausted slots, and
requests hanging for as long as the database was frozen or a table locked. Each fault is
made for real here (pg_ctl stop, pg_terminate_backend, SIGSTOP, LOCK TABLE, held
connections) and the answer must be a ``service-unavailable`` problem with
``Retry-After`` within the configured bounds (``FAST_WAITS``), and the API must recover.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest

from maintrac.api.app import create_app
from maintrac.config import Settings
from maintrac.services.runtime import Runtime, open_runtime
from tests.conftest import Tenant
from tests.faults.cluster import PrivateCluster
from tests.faults.conftest import served

#: Slack on top of a bound for the loopback round trip and a busy 2-core machine.
SLACK = 2.0


def _unavailable(response: httpx.Response, code: str = "service_unavailable") -> dict[str, Any]:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "3"
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert body["type"] == "/problems/" + code.replace("_", "-")
    assert "psycopg" not in response.text
    assert "Traceback" not in response.text
    return body


def _timed(call: Any, *args: Any, **kwargs: Any) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = call(*args, **kwargs)
    return response, time.monotonic() - started


def _recovers(tenant: Tenant, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while True:
        response = tenant.get("/v1/work-orders?limit=1")
        if response.status_code == 200:
            return
        assert response.status_code == 503, response.text
        assert time.monotonic() < deadline, "the API did not recover"
        time.sleep(0.2)


def test_stopped_database_is_503_on_reads_writes_and_readyz(
    cluster: PrivateCluster, cluster_tenant: Tenant
) -> None:
    cluster_tenant.create_work_order()
    cluster.stop()
    try:
        for response in (
            cluster_tenant.get("/v1/work-orders"),
            cluster_tenant.post("/v1/work-orders", json={"title": "During the outage"}),
            cluster_tenant.get("/v1/work-orders"),
        ):
            _unavailable(response)
        ready = cluster_tenant.http.get("/readyz")
        _unavailable(ready)
    finally:
        cluster.start()
    _recovers(cluster_tenant)
    titles = [w["title"] for w in cluster_tenant.get("/v1/work-orders?limit=200").json()["data"]]
    assert "During the outage" not in titles


def test_terminated_connections_are_503_then_the_pool_recovers(
    cluster: PrivateCluster, cluster_tenant: Tenant
) -> None:
    """An admin shutdown of the app's backends (what a restart does to a warm pool)."""
    assert cluster_tenant.get("/v1/work-orders").status_code == 200
    assert cluster.terminate_app_backends() >= 1
    body = _unavailable(cluster_tenant.get("/v1/work-orders"))
    assert body["reason"] in {"admin_shutdown", "connection_lost"}
    _recovers(cluster_tenant, timeout=5)


def test_restart_is_503_never_500(cluster: PrivateCluster, cluster_tenant: Tenant) -> None:
    assert cluster_tenant.get("/v1/work-orders").status_code == 200
    cluster.restart()
    statuses = {cluster_tenant.get("/v1/work-orders").status_code for _ in range(3)}
    assert statuses <= {200, 503}
    _recovers(cluster_tenant, timeout=5)


def test_no_free_connection_slot_is_503(
    cluster: PrivateCluster, cluster_tenant: Tenant, cluster_runtime: Runtime
) -> None:
    cluster_runtime.database.engine.dispose()  # the app must open a new connection
    held = cluster.fill_connection_slots()
    try:
        body = _unavailable(cluster_tenant.get("/v1/work-orders"))
        assert body["reason"] == "too_many_connections"
    finally:
        for conn in held:
            conn.close()
    _recovers(cluster_tenant, timeout=5)


def test_pool_checkout_timeout_is_503(
    cluster_tenant: Tenant, cluster_runtime: Runtime, cluster_settings: Settings
) -> None:
    assert cluster_tenant.get("/v1/work-orders").status_code == 200
    engine = cluster_runtime.database.engine
    held = [engine.connect() for _ in range(cluster_settings.database_pool_size)]
    try:
        response, took = _timed(cluster_tenant.get, "/v1/work-orders")
        assert _unavailable(response)["reason"] == "pool_timeout"
        assert took < cluster_settings.database_pool_timeout_seconds + SLACK
    finally:
        for conn in held:
            conn.close()
    assert cluster_tenant.get("/v1/work-orders").status_code == 200


@pytest.fixture
def locked_work_orders(cluster: PrivateCluster) -> Iterator[None]:
    with psycopg.connect(cluster.psql_url()) as conn:
        conn.execute("LOCK TABLE work_orders IN ACCESS EXCLUSIVE MODE")
        yield
        conn.rollback()


def test_locked_table_is_503_within_the_lock_timeout(
    cluster_tenant: Tenant, cluster_settings: Settings, locked_work_orders: None
) -> None:
    response, took = _timed(cluster_tenant.get, "/v1/work-orders")
    assert _unavailable(response)["reason"] == "lock_timeout"
    assert took < cluster_settings.database_lock_timeout_ms / 1000 + SLACK
    ready, took = _timed(cluster_tenant.http.get, "/readyz")
    assert ready.status_code == 200, ready.text  # the API can still serve other work
    assert took < cluster_settings.readyz_timeout_seconds + SLACK


def test_slow_statement_is_503_within_the_statement_timeout(
    cluster_tenant: Tenant, cluster_settings: Settings, locked_work_orders: None
) -> None:
    """With a lock timeout longer than the statement timeout, the statement timeout ends it."""
    patient = cluster_settings.model_copy(update={"database_lock_timeout_ms": 60_000})
    runtime = open_runtime(patient)
    try:
        with served(create_app(patient, runtime)) as url:
            response, took = _timed(
                httpx.get, url + "/v1/work-orders", headers=cluster_tenant.headers(), timeout=30
            )
    finally:
        runtime.close()
    assert _unavailable(response)["reason"] == "statement_timeout"
    assert took < patient.database_statement_timeout_ms / 1000 + SLACK


def test_frozen_database_is_503_within_the_deadline_and_recovers(
    cluster: PrivateCluster, cluster_tenant: Tenant, cluster_settings: Settings
) -> None:
    """SIGSTOP: the kernel still accepts and acknowledges, the server answers nothing.
    Server-side timeouts cannot fire; the client-side round-trip deadline must."""
    assert cluster_tenant.get("/v1/work-orders").status_code == 200
    bound = cluster_settings.database_statement_timeout_ms / 1000
    bound += cluster_settings.database_deadline_grace_seconds
    cluster.freeze()
    try:
        response, took = _timed(cluster_tenant.get, "/v1/work-orders")
        _unavailable(response)
        assert took < bound + SLACK
        write, took = _timed(cluster_tenant.post, "/v1/work-orders", json={"title": "Frozen"})
        # Cut before COMMIT was sent: certainly not applied, so a plain 503.
        _unavailable(write)
        assert took < bound + cluster_settings.database_connect_timeout_seconds + SLACK
        ready, took = _timed(cluster_tenant.http.get, "/readyz")
        _unavailable(ready)
        assert took < cluster_settings.readyz_timeout_seconds + SLACK
    finally:
        cluster.thaw()
    _recovers(cluster_tenant)
    titles = [w["title"] for w in cluster_tenant.get("/v1/work-orders?limit=200").json()["data"]]
    assert "Frozen" not in titles


def test_connection_lost_during_commit_is_outcome_unknown(
    cluster: PrivateCluster, cluster_tenant: Tenant
) -> None:
    """A deferred trigger makes the backend die inside COMMIT: the client cannot know the
    outcome, says so, and a retry with the same Idempotency-Key settles it."""
    marker = f"die-at-commit-{uuid.uuid4().hex[:8]}"
    cluster.execute(
        f"""
        CREATE FUNCTION test_die_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.title = '{marker}' THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF;
          RETURN NULL;
        END $$;
        CREATE CONSTRAINT TRIGGER test_die_at_commit AFTER INSERT ON work_orders
          DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_die_at_commit();
        """
    )
    key = str(uuid.uuid4())
    try:
        lost = cluster_tenant.post(
            "/v1/work-orders", json={"title": marker}, headers={"Idempotency-Key": key}
        )
        body = _unavailable(lost, "commit_outcome_unknown")
        assert "Idempotency-Key" in body["detail"]
    finally:
        cluster.execute(
            "DROP TRIGGER test_die_at_commit ON work_orders; DROP FUNCTION test_die_at_commit()"
        )
    _recovers(cluster_tenant, timeout=5)
    retry = cluster_tenant.post(
        "/v1/work-orders", json={"title": marker}, headers={"Idempotency-Key": key}
    )
    assert retry.status_code == 201, retry.text
    again = cluster_tenant.post(
        "/v1/work-orders", json={"title": marker}, headers={"Idempotency-Key": key}
    )
    assert again.headers.get("idempotent-replayed") == "true"
    titles = [w["title"] for w in cluster_tenant.get("/v1/work-orders?limit=200").json()["data"]]
    assert titles.count(marker) == 1
