"""The reference-data cache over real HTTP, a real Redis started for these tests, and the
real database: reads are served from Redis, a write is visible in the next read, tenants
never share entries, a rollback invalidates nothing, and with Redis stopped every route
answers from PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis

from maintrac.core.reference_data import ReferenceKind
from maintrac.db.transaction import Database
from maintrac.services import cache, reference_data
from maintrac.services.runtime import Runtime
from tests.conftest import DatabaseUrls, Tenant
from tests.jobs.conftest import RedisServer, free_port


@pytest.fixture
def redis_cache(tmp_path: Path) -> Iterator[RedisServer]:
    """A private Redis, and the process's cache pointed at it (off again afterwards)."""
    server = RedisServer(free_port(), tmp_path)
    server.start()
    client = redis.Redis(port=server.port, socket_connect_timeout=0.25, socket_timeout=0.25)
    cache.use_cache(cache.ReferenceCache(client, ttl=3600))
    yield server
    cache.use_cache(cache.ReferenceCache(None))
    server.stop()


def _keys(server: RedisServer) -> list[str]:
    return sorted(k.decode() if isinstance(k, bytes) else str(k) for k in server.client().keys("*"))


def _rename_behind_the_cache(urls: DatabaseUrls, tenant: Tenant, item_id: str) -> None:
    """Change the row in PostgreSQL without the service (so without invalidation)."""
    with psycopg.connect(urls.owner.replace("+psycopg", "")) as conn:
        conn.execute("SELECT set_config('app.current_tenant', %s, true)", (str(tenant.id),))
        conn.execute("UPDATE task_codes SET name = 'Changed in SQL' WHERE id = %s", (item_id,))


def test_reads_are_served_from_redis_and_writes_are_seen_at_once(
    redis_cache: RedisServer, tenant: Tenant, database_urls: DatabaseUrls
) -> None:
    item = tenant.create("/v1/task-codes", {"code": "INSP", "name": "Inspection"})
    url = f"/v1/task-codes/{item['id']}"
    assert tenant.get(url).json()["name"] == "Inspection"
    assert tenant.get("/v1/task-codes").json()["data"][0]["name"] == "Inspection"
    keys = _keys(redis_cache)
    assert keys, "nothing was cached"
    assert all(k.startswith(f"maintrac:ref:v1:{tenant.id}:task_code:") for k in keys), keys

    # Served from the cache: a change made behind the service's back is not seen...
    _rename_behind_the_cache(database_urls, tenant, item["id"])
    assert tenant.get(url).json()["name"] == "Inspection"
    # ...but a write through the API is visible in the very next read, item and list.
    patched = tenant.patch(url, json={"name": "Inspection (yearly)"})
    assert patched.status_code == 200, patched.text
    assert tenant.get(url).json()["name"] == "Inspection (yearly)"
    assert [i["name"] for i in tenant.get("/v1/task-codes").json()["data"]] == [
        "Inspection (yearly)"
    ]
    tenant.create("/v1/task-codes", {"code": "LUBE", "name": "Lubrication"})
    assert [i["code"] for i in tenant.get("/v1/task-codes").json()["data"]] == ["INSP", "LUBE"]
    assert tenant.delete(url).status_code == 204
    assert tenant.get(url).status_code == 404
    assert [i["code"] for i in tenant.get("/v1/task-codes").json()["data"]] == ["LUBE"]


def test_work_orders_and_readings_are_never_cached(
    redis_cache: RedisServer, tenant: Tenant
) -> None:
    work_order = tenant.create_work_order()
    assert tenant.get(f"/v1/work-orders/{work_order['id']}").status_code == 200
    assert tenant.get("/v1/work-orders").status_code == 200
    assert tenant.get(f"/v1/work-orders/{work_order['id']}/events").status_code == 200
    asset = tenant.create("/v1/assets", {"name": "Boiler 2"})
    meter = tenant.create(
        "/v1/meters", {"assetId": asset["id"], "name": "Hours", "unit": "h", "kind": "cumulative"}
    )
    tenant.create(f"/v1/meters/{meter['id']}/readings", {"value": 5})
    assert tenant.get(f"/v1/meters/{meter['id']}/readings").status_code == 200
    assert _keys(redis_cache) == []


def test_one_tenants_entries_never_answer_another(
    redis_cache: RedisServer, tenant: Tenant, make_tenant: object
) -> None:
    other: Tenant = make_tenant()  # type: ignore[operator]
    mine = tenant.create("/v1/gl-codes", {"code": "6100", "name": "Maintenance"})
    assert tenant.get(f"/v1/gl-codes/{mine['id']}").status_code == 200
    assert [i["code"] for i in tenant.get("/v1/gl-codes").json()["data"]] == ["6100"]
    # The same requests as the other tenant: not found / empty, not the cached answer.
    assert other.get(f"/v1/gl-codes/{mine['id']}").status_code == 404
    assert other.get("/v1/gl-codes").json()["data"] == []
    theirs = other.create("/v1/gl-codes", {"code": "6100", "name": "Theirs"})
    assert [i["name"] for i in other.get("/v1/gl-codes").json()["data"]] == ["Theirs"]
    assert [i["name"] for i in tenant.get("/v1/gl-codes").json()["data"]] == ["Maintenance"]
    keys = _keys(redis_cache)
    assert any(str(tenant.id) in k for k in keys)
    assert any(str(other.id) in k for k in keys)
    assert not any(str(tenant.id) in k and str(other.id) in k for k in keys)
    assert theirs["id"] != mine["id"]


def test_a_rollback_invalidates_nothing_and_a_commit_does(
    redis_cache: RedisServer, tenant: Tenant, runtime: Runtime
) -> None:
    db: Database = runtime.database
    item = tenant.create("/v1/asset-categories", {"code": "HVAC", "name": "HVAC units"})
    item_id = uuid.UUID(item["id"])
    kind = ReferenceKind.ASSET_CATEGORY
    generation = f"maintrac:ref:v1:{tenant.id}:asset_category:gen"
    before = redis_cache.client().get(generation)

    class Abort(Exception):
        pass

    def rolled_back() -> None:
        with db.tenant_transaction(tenant.id) as session:
            reference_data.update_item(session, kind, item_id, {"name": "Never committed"})
            raise Abort

    with pytest.raises(Abort):
        rolled_back()
    assert redis_cache.client().get(generation) == before
    assert tenant.get(f"/v1/asset-categories/{item['id']}").json()["name"] == "HVAC units"
    with db.tenant_transaction(tenant.id) as session:
        reference_data.update_item(session, kind, item_id, {"name": "Committed"})
    assert int(redis_cache.client().get(generation) or 0) == int(before or 0) + 1
    assert tenant.get(f"/v1/asset-categories/{item['id']}").json()["name"] == "Committed"


def test_redis_stopped_every_route_still_answers_from_postgresql(
    redis_cache: RedisServer, tenant: Tenant
) -> None:
    item = tenant.create("/v1/task-codes", {"code": "INSP", "name": "Inspection"})
    url = f"/v1/task-codes/{item['id']}"
    assert tenant.get(url).status_code == 200  # cached
    redis_cache.stop()
    assert tenant.get(url).json()["name"] == "Inspection"
    patched = tenant.patch(url, json={"name": "Inspection (Redis down)"})
    assert patched.status_code == 200, patched.text  # the write commits
    assert tenant.get(url).json()["name"] == "Inspection (Redis down)"
    created = tenant.post("/v1/task-codes", json={"code": "LUBE", "name": "Lubrication"})
    assert created.status_code == 201, created.text
    assert len(tenant.get("/v1/task-codes").json()["data"]) == 2
    assert tenant.create_work_order()["status"] == "open"
    # (No hang: the client's 30 s timeout would fail these; Redis's timeouts are 0.25 s.)
