"""Every change to a work order is recorded: who, when, and each field's old and new value."""

from __future__ import annotations

from collections.abc import Callable

from tests.conftest import Tenant


def test_history_records_each_change(tenant: Tenant) -> None:
    me = tenant.me()
    fitter = tenant.create_user(displayName="Fitter")
    created = tenant.create_work_order(title="Leaking valve", priority="high")
    url = f"/v1/work-orders/{created['id']}"
    tenant.patch(url, json={"assigneeId": fitter["id"]})
    tenant.patch(url, json={"status": "in_progress", "title": "Leaking valve V-12"})
    tenant.patch(url, json={"assigneeId": None})
    tenant.patch(url, json={"status": "complete"})

    events = tenant.get(f"{url}/events").json()["data"]
    assert [e["type"] for e in events] == [
        "created",
        "assigned",
        "status_changed",
        "updated",
        "unassigned",
        "status_changed",
    ]
    assert all(e["actorId"] == me["id"] for e in events)
    assert events[0]["changes"]["title"] == {"from": None, "to": "Leaking valve"}
    assert events[1]["changes"] == {"assigneeId": {"from": None, "to": fitter["id"]}}
    assert events[2]["changes"] == {"status": {"from": "open", "to": "in_progress"}}
    assert events[3]["changes"] == {"title": {"from": "Leaking valve", "to": "Leaking valve V-12"}}
    assert events[4]["changes"] == {"assigneeId": {"from": fitter["id"], "to": None}}
    assert events[5]["changes"]["status"] == {"from": "in_progress", "to": "complete"}
    assert events[5]["changes"]["completedAt"]["to"].endswith("Z")
    ids = [e["id"] for e in events]
    assert ids == sorted(ids)


def test_refused_change_leaves_no_history(tenant: Tenant) -> None:
    url = f"/v1/work-orders/{tenant.create_work_order()['id']}"
    tenant.patch(url, json={"status": "cancelled"})
    assert tenant.patch(url, json={"status": "open"}).status_code == 409
    types = [e["type"] for e in tenant.get(f"{url}/events").json()["data"]]
    assert types == ["created", "status_changed"]


def test_no_op_patch_records_nothing(tenant: Tenant) -> None:
    created = tenant.create_work_order(title="Same")
    url = f"/v1/work-orders/{created['id']}"
    same = tenant.patch(url, json={"title": "Same"})
    assert same.json()["updatedAt"] == created["updatedAt"]
    assert len(tenant.get(f"{url}/events").json()["data"]) == 1


def test_history_pages_and_is_per_tenant(make_tenant: Callable[..., Tenant]) -> None:
    a, b = make_tenant(), make_tenant()
    url = f"/v1/work-orders/{a.create_work_order()['id']}"
    for i in range(5):
        a.patch(url, json={"title": f"Title {i}"})
    first = a.get(f"{url}/events?limit=4").json()
    assert len(first["data"]) == 4
    assert first["hasMore"] is True
    rest = a.get(f"{url}/events?limit=4&cursor={first['nextCursor']}").json()
    assert len(rest["data"]) == 2
    assert rest["hasMore"] is False
    assert b.get(f"{url}/events").status_code == 404
    a.delete(url)
    assert a.get(f"{url}/events").status_code == 404
