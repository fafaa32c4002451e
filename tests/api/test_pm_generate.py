"""``POST /v1/pm-plans/{id}/generate`` over real HTTP: the next work order now, idempotent,
permissions, and another tenant's plan."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from tests.conftest import Tenant

PROBLEM = "application/problem+json"


def _plan(tenant: Tenant, **fields: object) -> dict[str, object]:
    asset = tenant.create("/v1/assets", {"name": "Boiler 2"})["id"]
    gl = tenant.create("/v1/gl-codes", {"code": "6100", "name": "Maintenance"})["id"]
    anchor = (datetime.now(UTC) + timedelta(days=20)).replace(microsecond=0)
    body = {
        "name": "Monthly boiler inspection",
        "assetId": asset,
        "workOrderTemplate": {"title": "Boiler 2 inspection", "priority": "high", "glCodeId": gl},
        "trigger": {
            "type": "calendar_fixed",
            "intervalCount": 1,
            "intervalUnit": "month",
            "anchorAt": anchor.isoformat().replace("+00:00", "Z"),
        },
        "leadTimeDays": 3,
        **fields,
    }
    return tenant.create("/v1/pm-plans", body)


def test_generate_now_creates_the_next_work_order_once(tenant: Tenant) -> None:
    plan = _plan(tenant, active=False)  # paused: a person may still ask for it
    assert plan["leadTimeDays"] == 3
    url = f"/v1/pm-plans/{plan['id']}/generate"
    first = tenant.post(url)
    assert first.status_code == 201, first.text
    work_order = first.json()
    assert first.headers["location"] == f"/v1/work-orders/{work_order['id']}"
    assert (work_order["pmPlanId"], work_order["pmOccurrence"]) == (plan["id"], 0)
    assert work_order["glCodeId"] == plan["workOrderTemplate"]["glCodeId"]  # type: ignore[index]
    assert work_order["dueAt"] == plan["trigger"]["anchorAt"]  # type: ignore[index]
    again = tenant.post(url)
    assert again.status_code == 200, again.text
    assert again.json()["id"] == work_order["id"]
    shown = tenant.get(f"/v1/pm-plans/{plan['id']}").json()
    assert shown["lastGeneratedOccurrence"] == 0
    assert shown["lastGeneratedAt"] is not None
    events = tenant.get(f"/v1/work-orders/{work_order['id']}/events").json()["data"]
    assert events[0]["changes"]["pmReason"]["to"] == "manual"
    assert events[0]["actorId"] == tenant.me()["id"]

    done = tenant.patch(f"/v1/work-orders/{work_order['id']}", json={"status": "complete"})
    assert done.status_code == 200, done.text
    third = tenant.post(url)
    assert third.status_code == 201, third.text
    assert third.json()["pmOccurrence"] == 1


def test_generate_needs_pm_write_and_the_tenants_own_plan(
    tenant: Tenant, make_tenant: Callable[..., Tenant]
) -> None:
    plan = _plan(tenant)
    url = f"/v1/pm-plans/{plan['id']}/generate"
    token = tenant.token(["pm:read", "work_orders:write"])
    refused = tenant.http.post(url, headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 403
    assert refused.headers["content-type"] == PROBLEM
    other = make_tenant()
    assert other.post(url).status_code == 404
    assert other.post(f"/v1/pm-plans/{uuid.uuid4()}/generate").status_code == 404
    assert tenant.post("/v1/pm-plans/not-a-uuid/generate").status_code == 400
    listed = tenant.get("/v1/work-orders", params={"pmPlanId": plan["id"]}).json()["data"]
    assert listed == []
