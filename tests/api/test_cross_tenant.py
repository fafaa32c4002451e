"""Tenant B attacks tenant A's work orders through the API: every attempt is a 404."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from tests.conftest import Tenant


def test_other_tenant_cannot_see_or_touch(make_tenant: Callable[..., Tenant]) -> None:
    a, b = make_tenant("Plant A"), make_tenant("Plant B")
    victim = a.create_work_order(title="Secret repair")
    url = f"/v1/work-orders/{victim['id']}"

    listed = b.get("/v1/work-orders?limit=200").json()["data"]
    assert victim["id"] not in [w["id"] for w in listed]

    for response in (
        b.get(url),
        b.patch(url, json={"title": "Hijacked"}),
        b.patch(url, json={"status": "cancelled"}),
        b.delete(url),
    ):
        # 404, never 403: whether the id exists elsewhere must not leak.
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "not_found"

    missing = b.get("/v1/work-orders/01a21287-8dcf-7d18-8450-95d76b8bdd77")
    assert missing.json() | {"instance": None, "detail": None} == b.get(url).json() | {
        "instance": None,
        "detail": None,
    }
    assert a.get(url).json() == victim


def test_cursor_from_another_tenant_leaks_nothing(make_tenant: Callable[..., Tenant]) -> None:
    a, b = make_tenant(), make_tenant()
    for _ in range(3):
        a.create_work_order()
    cursor = a.get("/v1/work-orders?limit=1").json()["nextCursor"]
    # A cursor is bound to its tenant: another tenant's is refused outright (and so
    # shows nothing of A's).
    response = b.get(f"/v1/work-orders?cursor={cursor}")
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "invalid_cursor"
    assert "data" not in response.json()


def test_token_for_unknown_tenant_is_403(tenant: Tenant) -> None:
    ghost = Tenant(id=uuid.uuid4(), http=tenant.http)
    response = ghost.get("/v1/work-orders")
    assert response.status_code == 403
    assert response.json()["code"] == "unknown_tenant"
