"""Domain events: one outbox message per event, written in the change's own transaction,
and the fan-out hands each to every subscriber inside the tenant transaction."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text

from maintrac.db.transaction import Database, TenantSession
from maintrac.jobs import events as fan_out
from maintrac.services.events import DISPATCH_TASK
from tests.conftest import Tenant


def _events(db: Database, tenant_id: uuid.UUID) -> list[dict[str, Any]]:
    with db.tenant_transaction(tenant_id) as session:
        rows = session.execute(
            text("SELECT args FROM outbox_messages WHERE task = :t ORDER BY id"),
            {"t": DISPATCH_TASK},
        )
        return [dict(row.args)["event"] for row in rows]


def test_work_order_changes_emit_one_event_each_with_a_growing_sequence(
    runtime_db: Database, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    me = tenant.me()
    order = tenant.create_work_order()
    changed = tenant.patch(
        f"/v1/work-orders/{order['id']}",
        json={"status": "in_progress", "assigneeId": me["id"], "title": "Check pump P-102"},
    )
    assert changed.status_code == 200, changed.text

    events = _events(runtime_db, tenant.id)
    assert [e["type"] for e in events] == [
        "work_order.created",
        "work_order.status_changed",
        "work_order.assigned",
        "work_order.updated",
    ]
    assert [e["data"]["sequence"] for e in events] == [1, 2, 3, 4]
    assert {e["data"]["workOrder"]["id"] for e in events} == {order["id"]}
    assert events[-1]["data"]["workOrder"]["status"] == "in_progress"
    assert events[0]["actorId"] == me["id"]
    assert len({e["id"] for e in events}) == 4
    assert all(uuid.UUID(e["id"]).version == 7 for e in events)


def test_a_refused_change_emits_nothing(
    runtime_db: Database, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    order = tenant.create_work_order()
    refused = tenant.patch(
        f"/v1/work-orders/{order['id']}",
        json={"status": "complete", "title": ""},
    )
    assert refused.status_code >= 400
    assert [e["type"] for e in _events(runtime_db, tenant.id)] == ["work_order.created"]


def test_a_meter_reading_emits_reading_recorded(
    runtime_db: Database, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    asset = tenant.create("/v1/assets", {"name": "Pump P-101"})
    meter = tenant.create("/v1/meters", {"assetId": asset["id"], "name": "Hours", "unit": "h"})
    reading = tenant.create(f"/v1/meters/{meter['id']}/readings", {"value": 12.5})
    (event,) = [e for e in _events(runtime_db, tenant.id) if e["type"].startswith("meter.")]
    assert event["type"] == "meter.reading_recorded"
    assert event["data"]["reading"]["id"] == reading["id"]
    assert event["data"]["reading"]["assetId"] == asset["id"]
    assert event["data"]["reading"]["value"] == 12.5


def test_fan_out_hands_the_event_to_every_subscriber_in_the_tenant_transaction(
    runtime_db: Database, make_tenant: Callable[..., Tenant], monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant = make_tenant()
    seen: list[tuple[str, str]] = []

    def first(session: TenantSession, event: dict[str, Any]) -> None:
        tenant_now = session.execute(text("SELECT current_setting('app.current_tenant')"))
        seen.append(("first", f"{event['tenantId']}={tenant_now.scalar_one()}"))

    def second(_session: TenantSession, event: dict[str, Any]) -> None:
        seen.append(("second", event["type"]))

    monkeypatch.setattr(fan_out, "SUBSCRIBERS", [])
    fan_out.register_subscriber(first)
    fan_out.register_subscriber(second)
    fan_out.register_subscriber(first)  # twice is once
    event = {"id": str(uuid.uuid4()), "type": "work_order.created", "data": {}}
    with runtime_db.tenant_transaction(tenant.id) as session:
        fan_out.fan_out_event(session, str(tenant.id), event)
    assert seen == [("first", f"{tenant.id}={tenant.id}"), ("second", "work_order.created")]
