"""Optimistic concurrency (ETag / If-Match) and Idempotency-Key on POST."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

import httpx

from tests.conftest import Tenant


def test_etag_and_if_match(tenant: Tenant) -> None:
    created = tenant.post("/v1/work-orders", json={"title": "Grease bearings"})
    assert created.headers["etag"] == '"1"'
    url = created.headers["location"]
    assert tenant.get(url).headers["etag"] == '"1"'

    first = tenant.patch(url, json={"priority": "high"}, headers={"If-Match": '"1"'})
    assert first.status_code == 200
    assert first.headers["etag"] == '"2"'

    # A second writer still holding version 1 is refused, and nothing changes.
    lost = tenant.patch(url, json={"priority": "low"}, headers={"If-Match": '"1"'})
    assert lost.status_code == 412
    problem = lost.json()
    assert problem["code"] == "precondition_failed"
    assert problem["currentEtag"] == '"2"'
    assert tenant.get(url).json()["priority"] == "high"

    assert tenant.patch(url, json={"priority": "low"}, headers={"If-Match": "*"}).status_code == 200
    assert (
        tenant.patch(url, json={"priority": "low"}, headers={"If-Match": "garbage"}).status_code
        == 412
    )
    assert tenant.delete(url, headers={"If-Match": '"1"'}).status_code == 412
    assert tenant.delete(url, headers={"If-Match": 'W/"3"'}).status_code == 204


def test_idempotent_create_replays(tenant: Tenant) -> None:
    key = str(uuid.uuid4())
    body = {"title": "Replace filter", "priority": "low"}
    first = tenant.post("/v1/work-orders", json=body, headers={"Idempotency-Key": key})
    assert first.status_code == 201
    assert "idempotent-replayed" not in first.headers
    again = tenant.post("/v1/work-orders", json=body, headers={"Idempotency-Key": key})
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["etag"] == first.headers["etag"]
    assert len(tenant.get("/v1/work-orders").json()["data"]) == 1

    other = tenant.post(
        "/v1/work-orders", json={**body, "priority": "high"}, headers={"Idempotency-Key": key}
    )
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert len(tenant.get("/v1/work-orders").json()["data"]) == 1


def test_keys_are_per_operation(tenant: Tenant) -> None:
    """A retry is always of the same operation: the key a work order was created with is
    a new key for a task code (it was a 422 idempotency-key-reused while keys were per
    caller only), and is still the work order's key for a retry."""
    key = str(uuid.uuid4())
    order = tenant.post("/v1/work-orders", json={"title": "A"}, headers={"Idempotency-Key": key})
    assert order.status_code == 201
    code = tenant.post(
        "/v1/task-codes", json={"code": "K-1", "name": "Key"}, headers={"Idempotency-Key": key}
    )
    assert code.status_code == 201
    assert "idempotent-replayed" not in code.headers
    again = tenant.post("/v1/work-orders", json={"title": "A"}, headers={"Idempotency-Key": key})
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == order.json()
    other = tenant.post("/v1/work-orders", json={"title": "B"}, headers={"Idempotency-Key": key})
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"


def test_keys_are_per_tenant(make_tenant: Callable[..., Tenant]) -> None:
    a, b = make_tenant(), make_tenant()
    key = str(uuid.uuid4())
    a.post("/v1/work-orders", json={"title": "A"}, headers={"Idempotency-Key": key})
    created = b.post("/v1/work-orders", json={"title": "B"}, headers={"Idempotency-Key": key})
    assert created.status_code == 201
    assert "idempotent-replayed" not in created.headers
    assert created.json()["title"] == "B"


def test_failed_request_does_not_burn_the_key(tenant: Tenant) -> None:
    key = str(uuid.uuid4())
    bad = tenant.post(
        "/v1/work-orders",
        json={"title": "x", "assetId": str(uuid.uuid4())},
        headers={"Idempotency-Key": key},
    )
    assert bad.status_code == 422
    good = tenant.post("/v1/work-orders", json={"title": "x"}, headers={"Idempotency-Key": key})
    assert good.status_code == 201


def test_concurrent_retries_create_once(tenant: Tenant, live_url: str) -> None:
    key = str(uuid.uuid4())
    headers = {**tenant.headers(), "Idempotency-Key": key}
    results: list[httpx.Response] = []

    def send() -> None:
        with httpx.Client(base_url=live_url, timeout=30) as client:
            results.append(client.post("/v1/work-orders", json={"title": "Once"}, headers=headers))

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status_code for r in results] == [201] * 6
    assert len({r.json()["id"] for r in results}) == 1
    assert len(tenant.get("/v1/work-orders").json()["data"]) == 1
