"""Domain events: one outbox message per event, written in the change's own transaction,
and the fan-out hands each to every subscriber inside the tenant transaction."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import orjson
import pytest
from sqlalchemy import text

from maintrac.core import pm
from maintrac.core.work_orders import NewWorkOrder, Priority, creation_event
from maintrac.db.transaction import Database, TenantSession
from maintrac.jobs import events as fan_out
from maintrac.services import events, outbox, pm_plans, work_orders
from maintrac.services.events import DISPATCH_BATCH_TASK, DISPATCH_TASK
from tests.conftest import Tenant

if TYPE_CHECKING:
    from tests.services.test_pm_generation import Site


def _events(db: Database, tenant_id: uuid.UUID) -> list[dict[str, Any]]:
    """The events in the outbox, in order: one a message, or many (a batch message)."""
    with db.tenant_transaction(tenant_id) as session:
        rows = session.execute(
            text("SELECT task, args FROM outbox_messages WHERE task IN (:t, :b) ORDER BY id"),
            {"t": DISPATCH_TASK, "b": DISPATCH_BATCH_TASK},
        )
        found: list[dict[str, Any]] = []
        for row in rows:
            args = dict(row.args)
            found.extend([args["event"]] if row.task == DISPATCH_TASK else args["events"])
        return found


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


def test_pm_generation_emits_created_and_work_order_generated(
    runtime_db: Database, make_tenant: Callable[..., Tenant]
) -> None:
    from tests.services.test_pm_generation import NOW, Site, daily  # noqa: PLC0415

    site = Site(make_tenant(), runtime_db)
    plan_id = site.plan(daily(NOW - timedelta(hours=1), 1, pm.IntervalUnit.MONTH))
    assert site.run().created == 1
    (order,) = site.work_orders(plan_id)
    generated = [
        e
        for e in _events(runtime_db, site.tenant.id)
        if e["type"] in {"work_order.created", "pm_plan.work_order_generated"}
        and e["data"]["workOrder"]["id"] == order["id"]
    ]
    assert [e["type"] for e in generated] == ["work_order.created", "pm_plan.work_order_generated"]
    assert generated[1]["data"]["pmPlanId"] == str(plan_id)
    assert generated[1]["data"]["occurrence"] == 0
    assert generated[1]["actorId"] is None


def _plan_template(site: Site, *, full: bool) -> uuid.UUID:
    """A plan whose template has every reference (1.50 h), or none of them (2 h, no
    description: the JSON of an integral Decimal and of absent fields)."""
    from tests.services.test_pm_generation import NOW, daily  # noqa: PLC0415

    template = pm.WorkOrderTemplate(
        title="  Boiler 2 inspection ",  # stored trimmed; the history has it as given
        description="Check flue and burner." if full else None,
        task_code_id=site.task if full else None,
        priority=Priority.HIGH if full else Priority.LOW,
        assignee_id=site.user if full else None,
        estimated_hours=Decimal("1.50") if full else Decimal(2),
        gl_code_id=site.gl if full else None,
    )
    new = pm.NewPmPlan(
        name="Boiler plan",
        template=template,
        # Due on the hour (no microseconds in its JSON) and an hour ago.
        schedule=daily(NOW - timedelta(hours=1), 1, pm.IntervalUnit.MONTH),
        asset_id=site.asset,
    )
    with site.db.tenant_transaction(site.tenant.id) as session:
        return pm_plans.create_pm_plan(session, new).id


@pytest.mark.parametrize("full", [True, False])
def test_pm_generation_writes_the_events_and_history_the_python_builders_would(
    runtime_db: Database, make_tenant: Callable[..., Tenant], full: bool
) -> None:
    """PostgreSQL builds the generated work orders' events and ``created`` history entry
    (one statement per batch): they must be what ``services.events`` and
    ``core.work_orders.creation_event`` build for the same work order, key for key."""
    from tests.services.test_pm_generation import Site  # noqa: PLC0415

    site = Site(make_tenant(), runtime_db)
    plan_id = _plan_template(site, full=full)
    assert site.run().created == 1
    (listed,) = site.work_orders(plan_id)
    with runtime_db.tenant_transaction(site.tenant.id) as session:
        stored = work_orders.get_work_order(session, uuid.UUID(listed["id"]))
        plan = session.execute(
            text("SELECT wo_title, wo_description FROM pm_plans WHERE id = :id"), {"id": plan_id}
        ).one()
        history = session.execute(
            text("SELECT actor_id, type, changes FROM work_order_events WHERE work_order_id = :w"),
            {"w": stored.id},
        ).all()
    new = NewWorkOrder(
        title=plan.wo_title,
        description=plan.wo_description,
        priority=stored.priority,
        asset_id=stored.asset_id,
        assignee_id=stored.assignee_id,
        task_code_id=stored.task_code_id,
        gl_code_id=stored.gl_code_id,
        estimated_hours=stored.estimated_hours if full else Decimal(2),
        due_at=stored.due_at,
        pm_plan_id=plan_id,
        pm_occurrence=0,
    )
    assert stored.title == "Boiler 2 inspection"
    expected_changes = {**creation_event(new).changes, "pmReason": {"from": None, "to": "calendar"}}
    # As the one-by-one path stores them: the JSON of the Python values.
    assert [(r.actor_id, r.type, r.changes) for r in history] == [
        (None, "created", orjson.loads(orjson.dumps(expected_changes)))
    ]
    assert orjson.dumps(history[0].changes["estimatedHours"]["to"]) == (b"1.5" if full else b"2.0")

    def comparable(event: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in event.items() if k not in {"id", "occurredAt"}}

    # As the bulk path always wrote it (``changes`` is the history entry's to read).
    created_task, created_args = events.pending_event(
        "work_order.created",
        {"sequence": 1, "workOrder": events.work_order_snapshot(stored), "changes": {}},
    )
    generated_task, generated_args = events.pending_event(
        "pm_plan.work_order_generated",
        {
            "pmPlanId": str(plan_id),
            "occurrence": 0,
            "sequence": 1,
            "workOrder": events.work_order_snapshot(stored),
        },
    )
    found = [e for e in _events(runtime_db, site.tenant.id) if e["type"] != "ping"]
    found = [e for e in found if e.get("data", {}).get("workOrder", {}).get("id") == listed["id"]]
    assert created_task == generated_task == DISPATCH_TASK  # one by one; PM: a batch
    assert [comparable(e) for e in found] == [
        comparable(orjson.loads(orjson.dumps(created_args["event"]))),
        comparable(orjson.loads(orjson.dumps(generated_args["event"]))),
    ]
    for event in found:
        assert event["occurredAt"].endswith("Z")
        assert datetime.fromisoformat(event["occurredAt"]) <= datetime.now(UTC)
    assert found[0]["data"]["workOrder"]["dueAt"] == "2026-12-01T11:00:00Z"
    assert len({e["id"] for e in found}) == 2


def test_a_batch_fans_out_each_event_in_its_own_savepoint(
    runtime_db: Database, make_tenant: Callable[..., Tenant], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One event whose subscriber fails is rolled back (every subscriber's writes for it)
    and sent again alone; the batch's other events commit once, and the failed one's
    second run (the one-event task) redoes only that event."""
    tenant = make_tenant()
    broken = {"now": True}

    def writes(name: str) -> Callable[[TenantSession, dict[str, Any]], None]:
        def subscriber(session: TenantSession, event: dict[str, Any]) -> None:
            outbox.enqueue(session, "maintrac.test.seen", {"event": event["id"], "by": name})
            if name == "picky" and event["id"] == "b" and broken["now"]:
                raise RuntimeError("picky cannot take b")

        return subscriber

    monkeypatch.setattr(fan_out, "SUBSCRIBERS", [])
    fan_out.register_subscriber(writes("first"))
    fan_out.register_subscriber(writes("picky"))
    batch: list[dict[str, Any]] = [
        {"id": i, "type": "work_order.created", "data": {}} for i in ("a", "b", "c")
    ]
    with runtime_db.tenant_transaction(tenant.id) as session:
        assert fan_out.fan_out_events(session, str(tenant.id), batch) == 1

    def seen() -> list[tuple[str, str]]:
        with runtime_db.tenant_transaction(tenant.id) as session:
            rows = session.execute(
                text("SELECT args FROM outbox_messages WHERE task = 'maintrac.test.seen'")
            )
            return sorted((r.args["event"], r.args["by"]) for r in rows)

    everyone = [("a", "first"), ("a", "picky"), ("c", "first"), ("c", "picky")]
    assert seen() == everyone  # b's "first" write went with its savepoint
    again = [e for e in _events(runtime_db, tenant.id) if e["id"] == "b"]
    assert again == [batch[1]]  # as stored: the fan-out adds tenantId to its own copy

    broken["now"] = False  # the one-event task's run (a retry would do the same)
    with runtime_db.tenant_transaction(tenant.id) as session:
        fan_out.fan_out_event(session, str(tenant.id), again[0])
    assert seen() == sorted([*everyone, ("b", "first"), ("b", "picky")])


def test_pm_generation_writes_its_events_a_few_hundred_to_a_message(
    runtime_db: Database, make_tenant: Callable[..., Tenant], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two events per work order (created, then generated), the events of
    ``WORK_ORDERS_PER_BATCH_MESSAGE`` work orders a message, in order."""
    from tests.services.test_pm_generation import NOW, Site, daily  # noqa: PLC0415

    monkeypatch.setattr(events, "WORK_ORDERS_PER_BATCH_MESSAGE", 2)
    site = Site(make_tenant(), runtime_db)
    schedule = daily(NOW - timedelta(hours=1), 1, pm.IntervalUnit.MONTH)
    plans = [site.plan(schedule) for _ in range(3)]
    assert site.run().created == 3
    with runtime_db.tenant_transaction(site.tenant.id) as session:
        rows = session.execute(
            text(
                "SELECT task, args FROM outbox_messages WHERE task LIKE 'maintrac.events.%' "
                "ORDER BY id"
            )
        ).all()
    assert [(r.task, len(r.args["events"])) for r in rows] == [
        (DISPATCH_BATCH_TASK, 4),
        (DISPATCH_BATCH_TASK, 2),
    ]
    found = [
        (e["data"]["workOrder"]["pmPlanId"], e["type"]) for r in rows for e in r.args["events"]
    ]
    assert [t for _, t in found] == ["work_order.created", "pm_plan.work_order_generated"] * 3
    assert [p for p, _ in found][::2] == [p for p, _ in found][1::2]
    assert sorted(p for p, _ in found[::2]) == sorted(str(p) for p in plans)
