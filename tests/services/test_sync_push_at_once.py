"""A push applied a table at a time writes exactly what the same push applied one record
at a time writes: the same outcome, rows, field history, conflicts, resends, outbox
messages (events with their sequences, PM generation requests) and meter reading, with
the work orders' versions bumped as often. Both run on the same tenant in a transaction
that is rolled back, so every id and every pre-existing row is the same."""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event, text

from maintrac.core import pm
from maintrac.core.auth import PERMISSIONS, Principal
from maintrac.core.ids import new_id
from maintrac.core.sync import PushOutcome
from maintrac.services import sync
from maintrac.services.runtime import Runtime
from tests.services.test_pm_generation import Site

#: What each run leaves in the tenant, less what differs between two transactions by
#: nature (generated ids of server-made rows, clocks, transaction ids).
STATE = {
    "work_orders": "SELECT id, number, title, description, status, priority, estimated_hours,"
    " actual_minutes, completed_at IS NULL AS open, version, deleted_at IS NULL AS live"
    " FROM work_orders ORDER BY id",
    "history": "SELECT work_order_id, actor_id, type, changes, device_id,"
    " CASE WHEN occurred_at = now() THEN NULL ELSE occurred_at END AS written_at"
    " FROM work_order_events ORDER BY id",
    "log": "SELECT id, work_order_id, kind, author_id, logged_at, minutes, material_name,"
    " quantity, unit, note, corrects_id FROM work_log_entries ORDER BY id",
    "readings": "SELECT id, meter_id, value, taken_at, taken_by, work_order_id, note, source"
    " FROM asset_readings ORDER BY id",
    "meters": "SELECT id, last_reading_value, last_reading_at, version FROM meters",
    "plans": "SELECT id, version, next_due_meter FROM pm_plans",
    "conflicts": "SELECT table_name, record_id, field, client_value, server_value, resolution,"
    " user_id, device_id FROM sync_conflicts ORDER BY id",
    "resends": "SELECT table_name, record_id FROM sync_resends ORDER BY id",
    "outbox": "SELECT task, args FROM outbox_messages ORDER BY not_before, id",
}


class _Rollback(Exception):
    pass


def _message(args: dict[str, Any]) -> dict[str, Any]:
    """An outbox message without what is made fresh each time (ids, clocks, trace)."""
    args = json.loads(json.dumps(args))
    args.pop("_trace", None)
    event_ = args.get("event")
    if isinstance(event_, dict):
        event_.pop("id", None)
        event_.pop("occurredAt", None)
        work_order = event_.get("data", {}).get("workOrder")
        if isinstance(work_order, dict):
            work_order.pop("updatedAt", None)
    return args


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _device_id(version: int = 7) -> str:
    """A device-made id: a UUIDv7 (``version`` 4 is one the server refuses)."""
    return str(uuid.uuid4() if version == 4 else new_id())


@pytest.fixture
def scene(make_tenant: Callable[..., Any], runtime: Runtime) -> dict[str, Any]:
    """A tenant with five work orders (one deleted on the server, one whose priority the
    server changed after the device's pull), a meter with a reading and a meter plan due
    at 500; and a push that creates work orders (one open, one in progress, one with an
    id the server refuses), updates the others, adds log entries (two of labour on one
    work order, one on a work order the push creates, one with an id the server refuses)
    and readings (one older than the meter's latest, one reaching the plan, one
    refused)."""
    site = Site(make_tenant(), runtime.database)
    tenant = site.tenant
    schedule = pm.Schedule(
        pm.TriggerType.METER,
        meter_id=site.meter,
        meter_interval=Decimal(500),
        meter_anchor=Decimal(500),
    )
    site.plan(schedule)
    now = datetime.now(UTC)
    site.read(100, now - timedelta(hours=1))
    ids = [tenant.create_work_order(title=f"Pump {i}")["id"] for i in range(5)]
    pulled = tenant.post("/v1/sync/pull", json={"lastPulledAt": None, "schemaVersion": 1})
    assert pulled.status_code == 200, pulled.text
    body = pulled.json()
    records = {r["id"]: r for r in body["changes"]["work_orders"]["updated"]}
    time.sleep(0.01)
    assert tenant.delete(f"/v1/work-orders/{ids[4]}").status_code == 204
    patched = tenant.patch(f"/v1/work-orders/{ids[3]}", json={"priority": "urgent"})
    assert patched.status_code == 200, patched.text
    written = _ms(now - timedelta(minutes=5))
    work_orders = [
        {
            **records[ids[0]],
            "status": "in_progress",
            "description": "On site.",
            "updated_at": written,
        },
        {
            **records[ids[1]],
            "description": "Parts ordered.",
            "estimated_hours": 1.255,
            "updated_at": written,
        },
        {**records[ids[2]], "title": "  Pump 2 (north)  ", "updated_at": written},
        {
            **records[ids[3]],
            "priority": "low",
            "description": "Low after all.",
            "updated_at": written,
        },
        {**records[ids[4]], "status": "in_progress", "updated_at": written},
    ]

    def created(status: str, version: int = 7) -> dict[str, Any]:
        return {
            "id": _device_id(version),
            "title": f"Leak under pump ({status})",
            "description": None,
            "status": status,
            "priority": "high",
            "asset_id": str(site.asset),
            "updated_at": written,
        }

    new_work_orders = [created("open"), created("in_progress"), created("open", version=4)]

    def entry(work_order: str, kind: str, version: int = 7, **fields: Any) -> dict[str, Any]:
        return {
            "id": _device_id(version),
            "work_order_id": work_order,
            "kind": kind,
            "logged_at": written,
            "note": "Checked.",
            **fields,
        }

    entries = [
        entry(new_work_orders[1]["id"], "labor", minutes=45),
        entry(ids[0], "labor", minutes=30),
        entry(ids[0], "labor", minutes=15),
        entry(ids[1], "material", material_name="  Seal kit ", quantity=2, unit="pcs"),
        entry(ids[2], "labor", version=4, minutes=5),
        entry(ids[2], "observation"),
    ]

    def reading(value: float, minutes_ago: int, version: int = 7, **fields: Any) -> dict[str, Any]:
        taken = _ms(now - timedelta(minutes=minutes_ago))
        return {
            "id": _device_id(version),
            "meter_id": str(site.meter),
            "value": value,
            "taken_at": taken,
            "note": None,
            **fields,
        }

    readings = [
        reading(300, 30, work_order_id=ids[0]),
        reading(250, 40),
        reading(600, 10),
        reading(700, 5, version=4),
    ]

    changes = {
        "work_orders": {"created": new_work_orders, "updated": work_orders, "deleted": []},
        "work_log_entries": {"created": entries, "updated": [], "deleted": []},
        "asset_readings": {"created": readings, "updated": [], "deleted": []},
    }
    return {
        "site": site,
        "changes": changes,
        "last": body["timestamp"],
        "user_id": uuid.UUID(tenant.me()["id"]),
    }


def _run(
    runtime: Runtime, scene: dict[str, Any], *, at_once: bool, times: int = 1
) -> tuple[PushOutcome, dict[str, list[Any]], list[str]]:
    """Push ``scene`` ``times`` times (a device retrying a push whose answer it lost) in a
    transaction that is rolled back; the last outcome, the state, the statements run."""
    site = scene["site"]
    principal = Principal(site.tenant.subject, site.tenant.id, "admin", frozenset(PERMISSIONS))
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(" ".join(statement.split()))

    state: dict[str, list[Any]] = {}
    outcome = PushOutcome()
    engine = runtime.database.engine
    # Rolled back at the end: the other run starts from the same rows.
    with (
        contextlib.suppress(_Rollback),
        runtime.database.tenant_transaction(site.tenant.id) as session,
    ):
        for _ in range(times):
            statements.clear()
            event.listen(engine, "before_cursor_execute", count)
            try:
                outcome = sync.push(
                    session,
                    principal,
                    scene["user_id"],
                    scene["changes"],
                    last_pulled_at=scene["last"],
                    device_id="tablet-7",
                    at_once=at_once,
                )
            finally:
                event.remove(engine, "before_cursor_execute", count)
        for name, query in STATE.items():
            rows = [dict(row._mapping) for row in session.execute(text(query))]
            if name == "outbox":
                rows = [{**row, "args": _message(row["args"])} for row in rows]
            state[name] = rows
        raise _Rollback
    assert state, "the run did not get to read its state"
    return outcome, state, statements


def test_a_push_applied_a_table_at_a_time_writes_what_one_by_one_writes(
    runtime: Runtime, scene: dict[str, Any]
) -> None:
    one_outcome, one_state, one_statements = _run(runtime, scene, at_once=False)
    outcome, state, statements = _run(runtime, scene, at_once=True)
    assert outcome == one_outcome
    for name in STATE:
        assert state[name] == one_state[name], name
    # The scene covers what it says: refusals, an override, events, a plan request.
    assert len(outcome.accepted["work_orders"]) == 5
    assert outcome.overridden["work_orders"] == [
        scene["changes"]["work_orders"]["updated"][3]["id"]
    ]
    assert len(outcome.rejected["work_orders"]) == 2
    assert len(outcome.rejected["work_log_entries"]) == 1
    assert len(outcome.rejected["asset_readings"]) == 1
    tasks = [row["task"] for row in state["outbox"]]
    assert "maintrac.pm.generate" in tasks
    assert state["meters"][0]["last_reading_value"] == Decimal(600)
    assert {e["type"] for e in state["history"]} >= {"created", "status_changed", "updated"}
    # ... and the set-based path applied every table (one by one looks each record up).
    lookups = ("sync_id_taken(%(kind)s, %(record)s)", "FROM work_orders WHERE work_orders.id = %(")
    assert not [s for s in statements if any(lookup in s for lookup in lookups)]
    assert [s for s in one_statements if any(lookup in s for lookup in lookups)]
    assert len(statements) < len(one_statements) / 2


def test_a_retried_push_applied_a_table_at_a_time_writes_what_one_by_one_writes(
    runtime: Runtime, scene: dict[str, Any]
) -> None:
    one_outcome, one_state, one_statements = _run(runtime, scene, at_once=False, times=2)
    outcome, state, statements = _run(runtime, scene, at_once=True, times=2)
    assert outcome == one_outcome
    for name in STATE:
        assert state[name] == one_state[name], name
    assert len(statements) < len(one_statements) / 2
