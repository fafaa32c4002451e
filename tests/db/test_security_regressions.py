"""Regressions of the security review: each was a working attack before its fix."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import psycopg
import pytest

from tests.conftest import DatabaseUrls, Tenant


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def test_the_app_role_cannot_create_temporary_objects(database_urls: DatabaseUrls) -> None:
    """A temporary view could shadow a table inside an owner-run function (pg_temp is
    searched first unless named last): the service may create no temporary objects."""
    with (
        psycopg.connect(_plain(database_urls.app)) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute("CREATE TEMP VIEW work_orders AS SELECT gen_random_uuid() AS id")


def test_the_owner_run_function_searches_pg_temp_last(database_urls: DatabaseUrls) -> None:
    with psycopg.connect(_plain(database_urls.app)) as conn:
        row = conn.execute(
            "SELECT prosecdef, proconfig FROM pg_proc WHERE proname = 'sync_id_taken'"
        ).fetchone()
    assert row is not None
    secdef, config = row
    assert secdef is True
    assert config == ["search_path=pg_catalog, public, pg_temp"]


def test_an_idempotency_key_is_the_caller_s_own(make_tenant: Callable[..., Tenant]) -> None:
    """Two users of one tenant sending the same key each get their own result."""
    tenant = make_tenant()
    key = "shared-key-1"
    alice = tenant.http.post(
        "/v1/work-orders",
        json={"title": "Alice's job"},
        headers={
            "Authorization": f"Bearer {tenant.token(subject='alice')}",
            "Idempotency-Key": key,
        },
    )
    bob = tenant.http.post(
        "/v1/work-orders",
        json={"title": "Alice's job"},
        headers={"Authorization": f"Bearer {tenant.token(subject='bob')}", "Idempotency-Key": key},
    )
    assert alice.status_code == bob.status_code == 201
    assert "idempotent-replayed" not in bob.headers
    assert alice.json()["id"] != bob.json()["id"]


def test_a_sync_pull_is_never_replayed(tenant: Tenant) -> None:
    """Pulls do not take Idempotency-Key: a stored pull would hand its first caller's data
    (filtered by their permissions) to whoever sends the key next."""
    body = {"lastPulledAt": None, "schemaVersion": 1, "migration": None}
    key = str(uuid.uuid4())
    admin = tenant.http.post(
        "/v1/sync/pull",
        json=body,
        headers={"Authorization": f"Bearer {tenant.token()}", "Idempotency-Key": key},
    )
    limited = tenant.http.post(
        "/v1/sync/pull",
        json=body,
        headers={"Authorization": f"Bearer {tenant.token(['sync:use'])}", "Idempotency-Key": key},
    )
    assert admin.status_code == limited.status_code == 200
    assert "idempotent-replayed" not in limited.headers
    assert limited.json()["changes"] == {}
