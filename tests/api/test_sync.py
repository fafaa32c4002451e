"""Offline sync over real HTTP: pull, push under the conflict policy, the conflict log.

Every test talks to the served app as a device would (WatermelonDB raw records: snake_case
columns, millisecond timestamps, device-made UUIDv7 ids), and checks what the database
holds as the superuser where "nothing changed" must be proved.

Change tracking uses transaction ids, and other sessions on the same PostgreSQL cluster
can hold a snapshot's ``xmin`` back (which only makes a pull send more). Assertions that a
record is *not* sent, or that the server did *not* change a field since a device's pull,
therefore start from a pull that no longer lists the records involved (``_settled``).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import httpx
import psycopg
import pytest
import uuid6

from maintrac.core.auth import PERMISSIONS
from tests.conftest import DatabaseUrls, Tenant

PROBLEM = "application/problem+json"
VALIDATION = "/problems/validation-failed"
INVALID_REFERENCE = "/problems/invalid-reference"
DEVICE = "tablet-7"
TABLES = (
    "work_orders",
    "work_log_entries",
    "asset_readings",
    "assets",
    "meters",
    "users",
    "task_codes",
    "asset_categories",
    "gl_codes",
)
#: What a push may add to, per tenant (work_order_events: every change is an event).
COUNTED = (
    "work_orders",
    "work_order_events",
    "work_log_entries",
    "asset_readings",
    "assets",
    "meters",
    "users",
    "sync_conflicts",
)

Changes = dict[str, dict[str, list[Any]]]


# ---------------------------------------------------------------- helpers


def _plain(url: str) -> str:
    return url.replace("+psycopg", "")


def _new_id() -> str:
    return str(uuid6.uuid7())


def _ms(iso: str) -> int:
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


def _now_ms() -> int:
    return int(datetime.now(UTC).timestamp() * 1000)


def _auth(tenant: Tenant, permissions: list[str] | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {tenant.token(permissions)}"} if permissions else {}


def _pull_response(
    tenant: Tenant, last: int | None, permissions: list[str] | None = None
) -> httpx.Response:
    return tenant.post(
        "/v1/sync/pull",
        json={"lastPulledAt": last, "schemaVersion": 1, "migration": None},
        headers=_auth(tenant, permissions),
    )


def _pull(tenant: Tenant, last: int | None = None, **kwargs: Any) -> dict[str, Any]:
    response = _pull_response(tenant, last, **kwargs)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert isinstance(body["timestamp"], int)
    return body


def _push_response(
    tenant: Tenant,
    changes: Changes,
    last: int | None,
    *,
    device: str | None = DEVICE,
    permissions: list[str] | None = None,
) -> httpx.Response:
    return tenant.post(
        "/v1/sync/push",
        json={"changes": changes, "lastPulledAt": last, "deviceId": device},
        headers=_auth(tenant, permissions),
    )


def _push(tenant: Tenant, changes: Changes, last: int | None, **kwargs: Any) -> dict[str, Any]:
    response = _push_response(tenant, changes, last, **kwargs)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _table(
    created: Iterable[dict[str, Any]] = (),
    updated: Iterable[dict[str, Any]] = (),
    deleted: Iterable[str] = (),
) -> dict[str, list[Any]]:
    return {"created": list(created), "updated": list(updated), "deleted": list(deleted)}


def _records(pulled: dict[str, Any], table: str) -> dict[str, dict[str, Any]]:
    """The created and updated records of ``table`` in a pull, by id."""
    changes = pulled["changes"][table]
    return {r["id"]: r for r in changes["created"] + changes["updated"]}


def _all_ids(pulled: dict[str, Any], table: str) -> list[str]:
    changes = pulled["changes"][table]
    deleted: list[str] = changes["deleted"]
    return [r["id"] for r in changes["created"] + changes["updated"]] + deleted


def _settled(tenant: Tenant, ids: Iterable[str], last: int | None = None) -> int:
    """A pull timestamp after which none of ``ids`` comes again until it changes.

    Pulls (chained) until one lists none of them: their writes are then older than that
    pull's snapshot, so the server counts nothing of theirs as "changed since" it.
    """
    wanted = set(ids)
    deadline = time.monotonic() + 15
    while True:
        pulled = _pull(tenant, last)
        last = pulled["timestamp"]
        if last is not None and not any(wanted & set(_all_ids(pulled, t)) for t in TABLES):
            return last
        assert time.monotonic() < deadline, "the records kept coming in every pull"
        time.sleep(0.05)


def _conflicts(tenant: Tenant, query: str = "") -> list[dict[str, Any]]:
    response = tenant.get(f"/v1/sync-conflicts?limit=200&{query}")
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def _counts(database_urls: DatabaseUrls, *tenants: Tenant) -> dict[tuple[str, str], int]:
    """Rows per tenant and table, read as the superuser (RLS does not apply)."""
    out: dict[tuple[str, str], int] = {}
    with psycopg.connect(_plain(database_urls.admin)) as conn:
        for tenant in tenants:
            for table in COUNTED:
                row = conn.execute(
                    f"SELECT count(*) FROM {table} WHERE tenant_id = %s",
                    (tenant.id,),
                ).fetchone()
                assert row is not None
                out[(str(tenant.id), table)] = int(row[0])
    return out


def _row_state(database_urls: DatabaseUrls, table: str, record_id: str) -> tuple[Any, ...] | None:
    """A row as the superuser sees it, every column (None when there is none)."""
    with psycopg.connect(_plain(database_urls.admin)) as conn:
        return conn.execute(
            f"SELECT * FROM {table} WHERE id = %s",
            (record_id,),
        ).fetchone()


def _asset(tenant: Tenant, name: str = "Pump P-101") -> dict[str, Any]:
    return tenant.create("/v1/assets", {"name": name})


def _meter(tenant: Tenant, asset_id: str | None = None) -> dict[str, Any]:
    asset_id = asset_id or _asset(tenant)["id"]
    return tenant.create("/v1/meters", {"assetId": asset_id, "name": "Run hours", "unit": "h"})


def _log(tenant: Tenant, work_order_id: str, minutes: int = 30) -> dict[str, Any]:
    return tenant.create(
        f"/v1/work-orders/{work_order_id}/log-entries", {"kind": "labor", "minutes": minutes}
    )


def _reading(tenant: Tenant, meter_id: str, value: float) -> dict[str, Any]:
    return tenant.create(f"/v1/meters/{meter_id}/readings", {"value": value})


def _events(tenant: Tenant, work_order_id: str) -> list[dict[str, Any]]:
    response = tenant.get(f"/v1/work-orders/{work_order_id}/events?limit=200")
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def _pulled_work_order(tenant: Tenant, work_order_id: str, last: int | None) -> dict[str, Any]:
    """The work order's raw record as a pull from ``last`` sends it (it must be there)."""
    pulled = _pull(tenant, last)
    records = _records(pulled, "work_orders")
    assert work_order_id in records, "the work order did not come back in the pull"
    return records[work_order_id]


def _assert_problem(response: httpx.Response, status: int, type_: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["type"] == type_
    assert problem["status"] == status
    assert problem["detail"]
    return problem


# ---------------------------------------------------------------- pull


def test_first_pull_is_a_full_sync_of_raw_records(tenant: Tenant) -> None:
    me = tenant.me()
    asset = _asset(tenant)
    meter = _meter(tenant, asset["id"])
    reading = _reading(tenant, meter["id"], 1492.5)
    work_order = tenant.create_work_order(
        description="Belt squeals", priority="high", dueAt="2026-12-01T08:00:00Z"
    )
    entry = _log(tenant, work_order["id"], minutes=90)
    task_code = tenant.create("/v1/task-codes", {"code": "INSP", "name": "Inspection"})
    category = tenant.create("/v1/asset-categories", {"code": "PUMP", "name": "Pumps"})
    gl_code = tenant.create("/v1/gl-codes", {"code": "6100", "name": "Repairs"})
    gone = tenant.create_work_order(title="Deleted before the first sync")
    assert tenant.delete(f"/v1/work-orders/{gone['id']}").status_code == 204

    pulled = _pull(tenant, None)

    assert set(pulled["changes"]) == set(TABLES)
    for table in TABLES:
        # Live records come as updated (devices sync with sendCreatedAsUpdated), and a
        # first sync has nothing to delete.
        assert pulled["changes"][table]["created"] == []
        assert pulled["changes"][table]["deleted"] == []
    expected = {
        "work_orders": {work_order["id"]},
        "work_log_entries": {entry["id"]},
        "asset_readings": {reading["id"]},
        "assets": {asset["id"]},
        "meters": {meter["id"]},
        "users": {me["id"]},
        "task_codes": {task_code["id"]},
        "asset_categories": {category["id"]},
        "gl_codes": {gl_code["id"]},
    }
    for table, ids in expected.items():
        assert set(_records(pulled, table)) == ids, table

    raw = _records(pulled, "work_orders")[work_order["id"]]
    assert raw["title"] == work_order["title"]
    assert raw["description"] == "Belt squeals"
    assert raw["status"] == "open"
    assert raw["priority"] == "high"
    assert raw["number"] == work_order["number"]
    assert raw["due_at"] == _ms("2026-12-01T08:00:00Z")
    assert raw["created_at"] == _ms(work_order["createdAt"])
    assert raw["actual_hours"] == 1.5
    assert pulled["timestamp"] >= raw["updated_at"]
    raw_entry = _records(pulled, "work_log_entries")[entry["id"]]
    assert raw_entry["work_order_id"] == work_order["id"]
    assert raw_entry["minutes"] == 90
    assert raw_entry["author_id"] == me["id"]
    raw_reading = _records(pulled, "asset_readings")[reading["id"]]
    assert raw_reading["value"] == 1492.5
    assert raw_reading["meter_id"] == meter["id"]
    assert raw_reading["taken_at"] == _ms(reading["takenAt"])


def test_pull_returns_each_id_once(tenant: Tenant) -> None:
    work_order = tenant.create_work_order()
    other = tenant.create_work_order(title="Removed later")
    first = _pull(tenant, None)
    last = first["timestamp"]
    url = f"/v1/work-orders/{work_order['id']}"
    # The same work order written by many transactions, and sent again (twice) because
    # the server overrode a device's change to it: still one record in the next pull.
    for n in range(3):
        assert tenant.patch(url, json={"title": f"Revision {n}"}).status_code == 200
    _log(tenant, work_order["id"])
    _log(tenant, work_order["id"])
    assert tenant.patch(url, json={"status": "cancelled"}).status_code == 200
    record = _pulled_work_order(tenant, work_order["id"], last)
    for attempt in range(2):
        _push(
            tenant,
            {"work_orders": _table(updated=[{**record, "status": "in_progress"}])},
            last,
            device=f"device-{attempt}",
        )
    assert tenant.delete(f"/v1/work-orders/{other['id']}").status_code == 204
    created_after = tenant.create_work_order(title="New since the first pull")

    for pulled in (_pull(tenant, last), _pull(tenant, None)):
        for table in TABLES:
            ids = _all_ids(pulled, table)
            assert len(ids) == len(set(ids)), (table, ids)
    since = _pull(tenant, last)
    assert _all_ids(since, "work_orders").count(work_order["id"]) == 1
    assert _records(since, "work_orders")[work_order["id"]]["status"] == "cancelled"
    assert since["changes"]["work_orders"]["deleted"] == [other["id"]]
    # Later pulls list records as updated (WatermelonDB creates one it does not have).
    assert created_after["id"] in {r["id"] for r in since["changes"]["work_orders"]["updated"]}
    assert since["changes"]["work_orders"]["created"] == []


def test_later_pulls_send_only_what_changed(tenant: Tenant) -> None:
    kept = tenant.create_work_order(title="Not touched")
    changed = tenant.create_work_order(title="Touched")
    last = _settled(tenant, [kept["id"], changed["id"]])

    patched = tenant.patch(f"/v1/work-orders/{changed['id']}", json={"priority": "urgent"})
    assert patched.status_code == 200
    added = tenant.create_work_order(title="Added")
    pulled = _pull(tenant, last)

    records = _records(pulled, "work_orders")
    assert set(records) == {changed["id"], added["id"]}
    assert records[changed["id"]]["priority"] == "urgent"
    for table in TABLES:
        if table != "work_orders":
            assert _all_ids(pulled, table) == [], table


def test_soft_deleted_rows_appear_in_deleted(tenant: Tenant) -> None:
    work_order = tenant.create_work_order()
    asset = _asset(tenant, "Old compressor")
    meter = _meter(tenant)
    task_code = tenant.create("/v1/task-codes", {"code": "OLD", "name": "Retired"})
    last = _pull(tenant, None)["timestamp"]

    assert tenant.delete(f"/v1/work-orders/{work_order['id']}").status_code == 204
    assert tenant.delete(f"/v1/assets/{asset['id']}").status_code == 204
    assert tenant.delete(f"/v1/meters/{meter['id']}").status_code == 204
    assert tenant.delete(f"/v1/task-codes/{task_code['id']}").status_code == 204

    pulled = _pull(tenant, last)
    for table, record_id in (
        ("work_orders", work_order["id"]),
        ("assets", asset["id"]),
        ("meters", meter["id"]),
        ("task_codes", task_code["id"]),
    ):
        assert pulled["changes"][table]["deleted"] == [record_id], table
        assert record_id not in _records(pulled, table), table
    # A device that never synced gets no trace of them.
    full = _pull(tenant, None)
    for table in ("work_orders", "assets", "meters", "task_codes"):
        assert full["changes"][table]["deleted"] == []
    assert work_order["id"] not in _records(full, "work_orders")
    assert asset["id"] not in _records(full, "assets")


def test_a_device_receives_only_its_own_tenants_rows(make_tenant: Callable[..., Tenant]) -> None:
    a, b = make_tenant(), make_tenant()
    a_work_order = a.create_work_order(title="A's job")
    b_work_order = b.create_work_order(title="B's job")
    b_meter = _meter(b)
    b_reading = _reading(b, b_meter["id"], 3)
    b_entry = _log(b, b_work_order["id"])
    b.create("/v1/task-codes", {"code": "B", "name": "B only"})
    b_user = b.me()
    first = _pull(a, None)
    # B keeps changing things while A's device is synced.
    patched = b.patch(f"/v1/work-orders/{b_work_order['id']}", json={"title": "B again"})
    assert patched.status_code == 200
    assert b.delete(f"/v1/meters/{b_meter['id']}").status_code == 204
    later = _pull(a, first["timestamp"])

    b_ids = {b_work_order["id"], b_meter["id"], b_reading["id"], b_entry["id"], b_user["id"]}
    for pulled in (first, later):
        seen = {i for table in TABLES for i in _all_ids(pulled, table)}
        assert not seen & b_ids
        assert _all_ids(pulled, "task_codes") == []
        assert set(_records(pulled, "users")) <= {a.me()["id"]}
    assert set(_records(first, "work_orders")) == {a_work_order["id"]}


@pytest.mark.parametrize(
    ("missing", "absent"),
    [
        ("users:read", {"users"}),
        ("assets:read", {"assets", "meters", "asset_readings"}),
        ("reference_data:read", {"task_codes", "asset_categories", "gl_codes"}),
        ("work_orders:read", {"work_orders", "work_log_entries"}),
    ],
)
def test_pull_leaves_out_tables_the_token_may_not_read(
    tenant: Tenant, missing: str, absent: set[str]
) -> None:
    tenant.create_user(displayName="Someone else")
    tenant.create_work_order()
    _meter(tenant)
    permissions = sorted(PERMISSIONS - {missing})
    for last in (None, _pull(tenant, None)["timestamp"]):
        pulled = _pull(tenant, last, permissions=permissions)
        assert set(pulled["changes"]) == set(TABLES) - absent


def test_pull_with_only_sync_and_work_orders(tenant: Tenant) -> None:
    tenant.create_work_order()
    pulled = _pull(tenant, None, permissions=["sync:use", "work_orders:read"])
    assert set(pulled["changes"]) == {"work_orders", "work_log_entries"}


def test_sync_needs_sync_use(tenant: Tenant, database_urls: DatabaseUrls) -> None:
    work_order = _raw_work_order(tenant, tenant.create_work_order()["id"])
    permissions = sorted(PERMISSIONS - {"sync:use"})
    refused = _pull_response(tenant, None, permissions=permissions)
    problem = _assert_problem(refused, 403, "/problems/permission-denied")
    assert "sync:use" in problem["detail"]

    before = _counts(database_urls, tenant)
    change = {"id": _new_id(), "title": "Offline job", "status": "open", "priority": "low"}
    pushed = _push_response(
        tenant,
        {
            "work_orders": _table(
                created=[change], updated=[{**work_order, "title": "Renamed offline"}]
            )
        },
        None,
        permissions=permissions,
    )
    _assert_problem(pushed, 403, "/problems/permission-denied")
    assert _counts(database_urls, tenant) == before
    assert tenant.get(f"/v1/work-orders/{work_order['id']}").json()["title"] == work_order["title"]


def _raw_work_order(tenant: Tenant, work_order_id: str) -> dict[str, Any]:
    return _pulled_work_order(tenant, work_order_id, None)


# ---------------------------------------------------------------- push: creating


def test_device_creates_records_with_its_own_uuid7_ids(tenant: Tenant) -> None:
    me = tenant.me()
    meter = _meter(tenant)
    last = _pull(tenant, None)["timestamp"]
    work_order_id, entry_id, reading_id = _new_id(), _new_id(), _new_id()
    written = _now_ms()
    outcome = _push(
        tenant,
        {
            "work_orders": _table(
                created=[
                    {
                        "id": work_order_id,
                        "title": "  Leak at valve V-3 ",
                        "description": "Found on the round",
                        "status": "in_progress",
                        "priority": "high",
                        "asset_id": meter["assetId"],
                        "assignee_id": me["id"],
                        "estimated_hours": 1.5,
                        "due_at": 1795600000000,
                        "number": 999,  # server-owned: ignored
                        "created_at": 1,  # server-owned: ignored
                        "updated_at": written,
                        "_status": "created",
                        "_changed": "",
                    }
                ]
            ),
            "work_log_entries": _table(
                created=[
                    {
                        "id": entry_id,
                        "work_order_id": work_order_id,
                        "kind": "labor",
                        "minutes": 45,
                        "note": "Replaced gasket",
                        "logged_at": written,
                    }
                ]
            ),
            "asset_readings": _table(
                created=[
                    {
                        "id": reading_id,
                        "meter_id": meter["id"],
                        "value": 1500.25,
                        "taken_at": written,
                        "work_order_id": work_order_id,
                    }
                ]
            ),
        },
        last,
    )
    assert outcome == {
        "accepted": {
            "work_orders": [work_order_id],
            "work_log_entries": [entry_id],
            "asset_readings": [reading_id],
        },
        "rejected": {},
        "overridden": {},
        "experimentalRejectedIds": {},
    }
    work_order = tenant.get(f"/v1/work-orders/{work_order_id}").json()
    assert work_order["title"] == "Leak at valve V-3"
    assert work_order["status"] == "in_progress"
    assert work_order["priority"] == "high"
    assert work_order["assigneeId"] == me["id"]
    assert work_order["assetId"] == meter["assetId"]
    assert work_order["estimatedHours"] == 1.5
    assert work_order["dueAt"] == "2026-11-25T09:46:40Z"
    assert work_order["number"] == 1
    assert work_order["actualHours"] == 0.75
    assert [e["type"] for e in _events(tenant, work_order_id)] == [
        "created",
        "status_changed",
        "log_entry_added",
    ]
    assert all(e["actorId"] == me["id"] for e in _events(tenant, work_order_id))
    entry = tenant.get(f"/v1/work-orders/{work_order_id}/log-entries/{entry_id}").json()
    assert entry["minutes"] == 45
    assert entry["authorId"] == me["id"]
    assert _ms(entry["loggedAt"]) == written
    readings = tenant.get(f"/v1/meters/{meter['id']}/readings").json()["data"]
    assert [(r["id"], r["value"], r["source"]) for r in readings] == [(reading_id, 1500.25, "sync")]
    assert _conflicts(tenant) == []
    # The device's own records come back (applied idempotently by the client).
    pulled = _pull(tenant, last)
    assert _records(pulled, "work_orders")[work_order_id]["status"] == "in_progress"
    assert entry_id in _records(pulled, "work_log_entries")
    assert reading_id in _records(pulled, "asset_readings")


def test_an_id_that_is_not_uuid7_is_rejected(tenant: Tenant, database_urls: DatabaseUrls) -> None:
    work_order = tenant.create_work_order()
    meter = _meter(tenant)
    last = _pull(tenant, None)["timestamp"]
    before = _counts(database_urls, tenant)
    v4 = [str(uuid.uuid4()) for _ in range(3)]
    outcome = _push(
        tenant,
        {
            "work_orders": _table(
                created=[{"id": v4[0], "title": "x", "status": "open", "priority": "low"}]
            ),
            "work_log_entries": _table(
                created=[
                    {"id": v4[1], "work_order_id": work_order["id"], "kind": "labor", "minutes": 5}
                ]
            ),
            "asset_readings": _table(created=[{"id": v4[2], "meter_id": meter["id"], "value": 1}]),
        },
        last,
    )
    assert outcome["accepted"] == {}
    assert outcome["overridden"] == {}
    assert outcome["rejected"] == {
        "work_orders": [v4[0]],
        "work_log_entries": [v4[1]],
        "asset_readings": [v4[2]],
    }
    after = _counts(database_urls, tenant)
    assert (
        after[(str(tenant.id), "sync_conflicts")] == before[(str(tenant.id), "sync_conflicts")] + 3
    )
    assert {k: v for k, v in after.items() if k[1] != "sync_conflicts"} == {
        k: v for k, v in before.items() if k[1] != "sync_conflicts"
    }
    assert {c["resolution"] for c in _conflicts(tenant)} == {"rejected_id"}
    # The device drops them: they come as deleted in its next pull.
    pulled = _pull(tenant, last)
    assert pulled["changes"]["work_orders"]["deleted"] == [v4[0]]
    assert pulled["changes"]["work_log_entries"]["deleted"] == [v4[1]]
    assert pulled["changes"]["asset_readings"]["deleted"] == [v4[2]]


def test_an_id_another_tenant_has_is_rejected_without_saying_why(
    make_tenant: Callable[..., Tenant], database_urls: DatabaseUrls
) -> None:
    a, b = make_tenant(), make_tenant()
    a_work_order = a.create_work_order()
    a_meter = _meter(a)
    b_work_order = b.create_work_order(title="B's secret job")
    b_entry = _log(b, b_work_order["id"])
    b_reading = _reading(b, _meter(b)["id"], 7)
    b_rows = {
        ("work_orders", b_work_order["id"]),
        ("work_log_entries", b_entry["id"]),
        ("asset_readings", b_reading["id"]),
    }
    b_state = {key: _row_state(database_urls, *key) for key in b_rows}
    last = _pull(a, None)["timestamp"]
    before = _counts(database_urls, a, b)
    fresh = _new_id()  # the same push with an unused UUIDv7, for comparison

    outcome = _push(
        a,
        {
            "work_orders": _table(
                created=[
                    {"id": b_work_order["id"], "title": "Mine", "status": "open", "priority": "low"}
                ],
                updated=[{"id": fresh, "title": "Fresh", "status": "open", "priority": "low"}],
            ),
            "work_log_entries": _table(
                created=[
                    {
                        "id": b_entry["id"],
                        "work_order_id": a_work_order["id"],
                        "kind": "labor",
                        "minutes": 1,
                    }
                ]
            ),
            "asset_readings": _table(
                updated=[{"id": b_reading["id"], "meter_id": a_meter["id"], "value": 1}]
            ),
        },
        last,
    )
    assert outcome == {
        "accepted": {"work_orders": [fresh]},
        "rejected": {
            "work_orders": [b_work_order["id"]],
            "work_log_entries": [b_entry["id"]],
            "asset_readings": [b_reading["id"]],
        },
        "overridden": {},
        "experimentalRejectedIds": {},
    }
    after = _counts(database_urls, a, b)
    # Nothing of B changed; A got the fresh work order (and its event) and 3 conflicts.
    for key in before:
        grew = {"work_orders": 1, "work_order_events": 1, "sync_conflicts": 3}
        expected = before[key] + (grew.get(key[1], 0) if key[0] == str(a.id) else 0)
        assert after[key] == expected, key
    assert {key: _row_state(database_urls, *key) for key in b_rows} == b_state
    # The conflict says as much as for any refused id: no more.
    logged = _conflicts(a)
    assert {(c["table"], c["recordId"]) for c in logged} == b_rows
    for conflict in logged:
        assert conflict["resolution"] == "rejected_id"
        assert conflict["field"] is None
        assert conflict["clientValue"] is None
        assert conflict["serverValue"] is None
    # A's device drops them, and never sees B's data.
    pulled = _pull(a, last)
    for table, record_id in b_rows:
        assert pulled["changes"][table]["deleted"] == [record_id]
        assert record_id not in _records(pulled, table)
    assert b.get(f"/v1/work-orders/{b_work_order['id']}").json()["title"] == "B's secret job"


# ---------------------------------------------------------------- push: refused as a whole


def _foreign_pushes(a: Tenant, b: Tenant) -> dict[str, tuple[Changes, str]]:
    """Pushes by A that name one of B's rows, each with the field the 422 must name."""
    a_work_order = a.create_work_order()
    a_meter = _meter(a)
    b_work_order = b.create_work_order()
    b_meter = _meter(b)
    b_user = b.me()
    raw = _raw_work_order(a, a_work_order["id"])

    def work_order(**values: Any) -> dict[str, Any]:
        return {"id": _new_id(), "title": "x", "status": "open", "priority": "low", **values}

    return {
        "created work order asset_id": (
            {"work_orders": _table(created=[work_order(asset_id=b_meter["assetId"])])},
            "asset_id",
        ),
        "created work order assignee_id": (
            {"work_orders": _table(created=[work_order(assignee_id=b_user["id"])])},
            "assignee_id",
        ),
        "updated work order asset_id": (
            {"work_orders": _table(updated=[{**raw, "asset_id": b_meter["assetId"]}])},
            "asset_id",
        ),
        "updated work order assignee_id": (
            {"work_orders": _table(updated=[{**raw, "assignee_id": b_user["id"]}])},
            "assignee_id",
        ),
        "log entry work_order_id": (
            {
                "work_log_entries": _table(
                    created=[
                        {
                            "id": _new_id(),
                            "work_order_id": b_work_order["id"],
                            "kind": "labor",
                            "minutes": 5,
                        }
                    ]
                )
            },
            "work_order_id",
        ),
        "reading meter_id": (
            {
                "asset_readings": _table(
                    created=[{"id": _new_id(), "meter_id": b_meter["id"], "value": 1}]
                )
            },
            "meter_id",
        ),
        "reading work_order_id": (
            {
                "asset_readings": _table(
                    created=[
                        {
                            "id": _new_id(),
                            "meter_id": a_meter["id"],
                            "value": 1,
                            "work_order_id": b_work_order["id"],
                        }
                    ]
                )
            },
            "work_order_id",
        ),
    }


FOREIGN_CASES = [
    "created work order asset_id",
    "created work order assignee_id",
    "updated work order asset_id",
    "updated work order assignee_id",
    "log entry work_order_id",
    "reading meter_id",
    "reading work_order_id",
]


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


@pytest.mark.parametrize("case", FOREIGN_CASES)
def test_a_push_naming_another_tenants_row_is_422_and_changes_nothing(
    make_tenant: Callable[..., Tenant], database_urls: DatabaseUrls, case: str
) -> None:
    a, b = make_tenant(), make_tenant()
    changes, column = _foreign_pushes(a, b)[case]
    last = _pull(a, None)["timestamp"]
    # A valid record in the same push is not applied either: one transaction.
    valid = {"id": _new_id(), "title": "Would be created", "status": "open", "priority": "low"}
    work_orders = changes.setdefault("work_orders", _table())
    work_orders["created"] = [valid, *work_orders["created"]]
    before = _counts(database_urls, a, b)

    response = _push_response(a, changes, last)

    problem = _assert_problem(response, 422, INVALID_REFERENCE)
    assert problem["code"] == "invalid_reference"
    assert column in problem["detail"] or _camel(column) in problem["detail"]
    assert _counts(database_urls, a, b) == before
    assert a.get(f"/v1/work-orders/{valid['id']}").status_code == 404


def _malformed(work_order: dict[str, Any], meter_id: str) -> dict[str, tuple[Any, str]]:
    """Bodies of pushes with one fault each, and a pointer the 422 must name."""
    new = {"id": _new_id(), "title": "x", "status": "open", "priority": "low"}
    return {
        "unknown table": ({"spare_parts": _table(created=[{"id": _new_id()}])}, "spare_parts"),
        "unknown column": (
            {"work_orders": _table(updated=[{**work_order, "colour": "red"}])},
            "colour",
        ),
        "bad status": (
            {"work_orders": _table(updated=[{**work_order, "status": "reopened"}])},
            "status",
        ),
        "bad priority type": (
            {"work_orders": _table(created=[{**new, "priority": 3}])},
            "priority",
        ),
        "id not a uuid": ({"work_orders": _table(created=[{**new, "id": "WO-1"}])}, "id"),
        "missing title": (
            {"work_orders": _table(created=[{k: v for k, v in new.items() if k != "title"}])},
            "title",
        ),
        "title too long": ({"work_orders": _table(created=[{**new, "title": "x" * 201}])}, "title"),
        "due_at before year 1": (
            {"work_orders": _table(created=[{**new, "due_at": -62_135_596_800_001}])},
            "due_at",
        ),
        "date string timestamp": (
            {"work_orders": _table(created=[{**new, "due_at": "2026-12-01T08:00:00Z"}])},
            "due_at",
        ),
        "deleted not a uuid": ({"work_orders": _table(deleted=["nope"])}, "deleted"),
        "minutes as text": (
            {
                "work_log_entries": _table(
                    created=[
                        {
                            "id": _new_id(),
                            "work_order_id": work_order["id"],
                            "kind": "labor",
                            "minutes": "thirty",
                        }
                    ]
                )
            },
            "minutes",
        ),
        "labor without minutes": (
            {
                "work_log_entries": _table(
                    created=[{"id": _new_id(), "work_order_id": work_order["id"], "kind": "labor"}]
                )
            },
            "minutes",
        ),
        "reading value text": (
            {
                "asset_readings": _table(
                    created=[{"id": _new_id(), "meter_id": meter_id, "value": "12"}]
                )
            },
            "value",
        ),
        "changes not an object": ([], "changes"),
    }


MALFORMED_CASES = [
    "unknown table",
    "unknown column",
    "bad status",
    "bad priority type",
    "id not a uuid",
    "missing title",
    "title too long",
    "due_at before year 1",
    "date string timestamp",
    "deleted not a uuid",
    "minutes as text",
    "labor without minutes",
    "reading value text",
    "changes not an object",
]


@pytest.mark.parametrize("case", MALFORMED_CASES)
def test_a_malformed_push_is_422_and_changes_nothing(
    tenant: Tenant, database_urls: DatabaseUrls, case: str
) -> None:
    work_order = _raw_work_order(tenant, tenant.create_work_order()["id"])
    meter = _meter(tenant)
    last = _pull(tenant, None)["timestamp"]
    changes, where = _malformed(work_order, meter["id"])[case]
    if isinstance(changes, dict):
        # Valid changes alongside are not applied either.
        valid = {"id": _new_id(), "title": "Would be created", "status": "open", "priority": "low"}
        table = changes.setdefault("work_orders", _table())
        table["created"] = [valid, *table["created"]]
        table["updated"] = [{**work_order, "title": "Would be renamed"}, *table["updated"]]
    before = _counts(database_urls, tenant)

    response = _push_response(tenant, changes, last)

    problem = _assert_problem(response, 422, VALIDATION)
    assert problem["code"] == "validation_failed"
    pointers = [e["pointer"] for e in problem["errors"]]
    assert any(where in p for p in pointers), pointers
    assert _counts(database_urls, tenant) == before
    assert tenant.get(f"/v1/work-orders/{work_order['id']}").json()["title"] == work_order["title"]


# ---------------------------------------------------------------- the conflict policy


def test_status_change_against_a_terminal_status_is_rejected(tenant: Tenant) -> None:
    me = tenant.me()
    work_order = tenant.create_work_order()
    url = f"/v1/work-orders/{work_order['id']}"
    last = _pull(tenant, None)["timestamp"]
    record = _pulled_work_order(tenant, work_order["id"], None)
    # Meanwhile the office completes it; offline, the technician starts it.
    assert tenant.patch(url, json={"status": "complete"}).json()["status"] == "complete"
    completed = tenant.get(url).json()

    outcome = _push(
        tenant,
        {"work_orders": _table(updated=[{**record, "status": "in_progress"}])},
        last,
    )

    assert outcome["overridden"] == {"work_orders": [work_order["id"]]}
    assert outcome["accepted"] == {}
    assert tenant.get(url).json() == completed
    (conflict,) = _conflicts(tenant)
    assert conflict["table"] == "work_orders"
    assert conflict["recordId"] == work_order["id"]
    assert conflict["field"] == "status"
    assert conflict["clientValue"] == "in_progress"
    assert conflict["serverValue"] == "complete"
    assert conflict["resolution"] == "rejected_terminal_status"
    assert conflict["userId"] == me["id"]
    assert conflict["deviceId"] == DEVICE
    assert uuid.UUID(conflict["id"]).version == 7
    # The device converges: the work order comes back, complete.
    again = _pulled_work_order(tenant, work_order["id"], last)
    assert again["status"] == "complete"
    assert again["completed_at"] == _ms(completed["completedAt"])


def test_status_change_the_state_machine_refuses_is_rejected(tenant: Tenant) -> None:
    work_order = tenant.create_work_order()
    url = f"/v1/work-orders/{work_order['id']}"
    assert tenant.patch(url, json={"status": "on_hold"}).status_code == 200
    last = _settled(tenant, [work_order["id"]])
    record = _pulled_work_order(tenant, work_order["id"], None)
    assert record["status"] == "on_hold"

    outcome = _push(
        tenant, {"work_orders": _table(updated=[{**record, "status": "complete"}])}, last
    )

    assert outcome["overridden"] == {"work_orders": [work_order["id"]]}
    assert tenant.get(url).json()["status"] == "on_hold"
    (conflict,) = _conflicts(tenant)
    assert (conflict["field"], conflict["clientValue"], conflict["serverValue"]) == (
        "status",
        "complete",
        "on_hold",
    )
    assert conflict["resolution"] == "rejected_invalid_transition"
    assert _pulled_work_order(tenant, work_order["id"], last)["status"] == "on_hold"


def test_status_the_server_changed_since_the_pull_wins(tenant: Tenant) -> None:
    work_order = tenant.create_work_order()
    url = f"/v1/work-orders/{work_order['id']}"
    last = _pull(tenant, None)["timestamp"]
    record = _pulled_work_order(tenant, work_order["id"], None)
    assert tenant.patch(url, json={"status": "in_progress"}).status_code == 200

    outcome = _push(
        tenant, {"work_orders": _table(updated=[{**record, "status": "on_hold"}])}, last
    )

    assert outcome["overridden"] == {"work_orders": [work_order["id"]]}
    assert tenant.get(url).json()["status"] == "in_progress"
    (conflict,) = _conflicts(tenant)
    assert conflict["resolution"] == "server_wins"
    assert (conflict["clientValue"], conflict["serverValue"]) == ("on_hold", "in_progress")
    assert _pulled_work_order(tenant, work_order["id"], last)["status"] == "in_progress"


def test_a_valid_status_change_is_applied(tenant: Tenant) -> None:
    me = tenant.me()
    work_order = tenant.create_work_order()
    url = f"/v1/work-orders/{work_order['id']}"
    last = _settled(tenant, [work_order["id"]])
    record = _pulled_work_order(tenant, work_order["id"], None)

    outcome = _push(
        tenant,
        {"work_orders": _table(updated=[{**record, "status": "complete", "title": "Done"}])},
        last,
    )

    assert outcome == {
        "accepted": {"work_orders": [work_order["id"]]},
        "rejected": {},
        "overridden": {},
        "experimentalRejectedIds": {},
    }
    body = tenant.get(url).json()
    assert (body["status"], body["title"]) == ("complete", "Done")
    assert body["completedAt"] is not None
    assert _conflicts(tenant) == []
    changed = _events(tenant, work_order["id"])[1:]
    assert [e["type"] for e in changed] == ["status_changed", "updated"]
    assert all(e["actorId"] == me["id"] for e in changed)


def test_assignment_the_server_changed_since_the_pull_wins(tenant: Tenant) -> None:
    planner_choice = tenant.create_user(displayName="Planner's choice")
    device_choice = tenant.create_user(displayName="Device's choice")
    work_order = tenant.create_work_order()
    url = f"/v1/work-orders/{work_order['id']}"
    last = _pull(tenant, None)["timestamp"]
    record = _pulled_work_order(tenant, work_order["id"], None)
    assert tenant.patch(url, json={"assigneeId": planner_choice["id"]}).status_code == 200

    outcome = _push(
        tenant,
        {
            "work_orders": _table(
                updated=[
                    {
                        **record,
                        "assignee_id": device_choice["id"],
                        # Even written after the server's change: assignment is server-wins.
                        "updated_at": _now_ms() + 60_000,
                    }
                ]
            )
        },
        last,
    )

    assert outcome["overridden"] == {"work_orders": [work_order["id"]]}
    assert tenant.get(url).json()["assigneeId"] == planner_choice["id"]
    (conflict,) = _conflicts(tenant)
    assert conflict["field"] == "assignee_id"
    assert conflict["clientValue"] == device_choice["id"]
    assert conflict["serverValue"] == planner_choice["id"]
    assert conflict["resolution"] == "server_wins"
    assert _pulled_work_order(tenant, work_order["id"], last)["assignee_id"] == planner_choice["id"]


def test_assignment_the_server_did_not_change_is_applied(tenant: Tenant) -> None:
    assignee = tenant.create_user(displayName="Alex Fitter")
    work_order = tenant.create_work_order()
    last = _settled(tenant, [work_order["id"]])
    record = _pulled_work_order(tenant, work_order["id"], None)

    outcome = _push(
        tenant, {"work_orders": _table(updated=[{**record, "assignee_id": assignee["id"]}])}, last
    )

    assert outcome["accepted"] == {"work_orders": [work_order["id"]]}
    assert tenant.get(f"/v1/work-orders/{work_order['id']}").json()["assigneeId"] == assignee["id"]
    assert [e["type"] for e in _events(tenant, work_order["id"])][-1] == "assigned"
    assert _conflicts(tenant) == []


@pytest.mark.parametrize(
    ("client_offset_ms", "resolution", "winner"),
    [(-60_000, "server_wins_last_write", "server"), (60_000, "client_wins_last_write", "client")],
)
def test_description_is_last_write_wins(
    tenant: Tenant, client_offset_ms: int, resolution: str, winner: str
) -> None:
    work_order = tenant.create_work_order(description="As planned")
    url = f"/v1/work-orders/{work_order['id']}"
    last = _pull(tenant, None)["timestamp"]
    record = _pulled_work_order(tenant, work_order["id"], None)
    server = tenant.patch(url, json={"description": "Office note"}).json()
    server_changed = _ms(server["updatedAt"])

    outcome = _push(
        tenant,
        {
            "work_orders": _table(
                updated=[
                    {
                        **record,
                        "description": "Technician note",
                        "updated_at": server_changed + client_offset_ms,
                    }
                ]
            )
        },
        last,
    )

    expected = {"server": "Office note", "client": "Technician note"}[winner]
    assert tenant.get(url).json()["description"] == expected
    bucket = "overridden" if winner == "server" else "accepted"
    assert outcome[bucket] == {"work_orders": [work_order["id"]]}
    (conflict,) = _conflicts(tenant)
    assert conflict["field"] == "description"
    assert (conflict["clientValue"], conflict["serverValue"]) == ("Technician note", "Office note")
    assert conflict["resolution"] == resolution
    assert _pulled_work_order(tenant, work_order["id"], last)["description"] == expected


def test_description_the_server_did_not_change_is_applied(tenant: Tenant) -> None:
    work_order = tenant.create_work_order(description="As planned")
    last = _settled(tenant, [work_order["id"]])
    record = _pulled_work_order(tenant, work_order["id"], None)

    outcome = _push(
        tenant,
        # An old updated_at does not matter when only the device changed the field.
        {"work_orders": _table(updated=[{**record, "description": "Seen", "updated_at": 1}])},
        last,
    )

    assert outcome["accepted"] == {"work_orders": [work_order["id"]]}
    assert tenant.get(f"/v1/work-orders/{work_order['id']}").json()["description"] == "Seen"
    assert _conflicts(tenant) == []


def test_a_log_entry_edited_offline_becomes_a_correcting_entry(tenant: Tenant) -> None:
    me = tenant.me()
    work_order = tenant.create_work_order()
    original = _log(tenant, work_order["id"], minutes=30)
    last = _pull(tenant, None)["timestamp"]
    raw = _records(_pull(tenant, None), "work_log_entries")[original["id"]]

    outcome = _push(
        tenant,
        {"work_log_entries": _table(updated=[{**raw, "minutes": 50, "note": "It took longer"}])},
        last,
    )

    assert outcome["overridden"] == {"work_log_entries": [original["id"]]}
    entries = tenant.get(f"/v1/work-orders/{work_order['id']}/log-entries").json()["data"]
    assert len(entries) == 2
    kept, correction = entries
    assert kept["id"] == original["id"]
    assert kept["minutes"] == 30  # never edited
    assert kept["supersededById"] == correction["id"]
    assert correction["correctsEntryId"] == original["id"]
    assert (correction["kind"], correction["minutes"], correction["note"]) == (
        "labor",
        50,
        "It took longer",
    )
    assert correction["authorId"] == me["id"]
    # The correction is what counts.
    assert tenant.get(f"/v1/work-orders/{work_order['id']}").json()["actualHours"] == 0.83
    (conflict,) = _conflicts(tenant)
    assert (conflict["table"], conflict["recordId"]) == ("work_log_entries", original["id"])
    assert conflict["resolution"] == "appended"
    assert (conflict["userId"], conflict["deviceId"]) == (me["id"], DEVICE)
    # The device converges: its edited record comes back as the server has it, with
    # the correction as a record of its own.
    pulled = _records(_pull(tenant, last), "work_log_entries")
    assert pulled[original["id"]]["minutes"] == 30
    assert pulled[correction["id"]]["minutes"] == 50
    assert pulled[correction["id"]]["corrects_id"] == original["id"]

    # Editing it again corrects the correction (the chain's latest version).
    second = _push(tenant, {"work_log_entries": _table(updated=[{**raw, "minutes": 55}])}, last)
    assert second["overridden"] == {"work_log_entries": [original["id"]]}
    entries = tenant.get(f"/v1/work-orders/{work_order['id']}/log-entries").json()["data"]
    assert [e["minutes"] for e in entries] == [30, 50, 55]
    assert entries[2]["correctsEntryId"] == correction["id"]
    # The same edit pushed again (a retry) appends nothing more.
    again = _push(tenant, {"work_log_entries": _table(updated=[{**raw, "minutes": 55}])}, last)
    assert again == second
    entries = tenant.get(f"/v1/work-orders/{work_order['id']}/log-entries").json()["data"]
    assert [e["minutes"] for e in entries] == [30, 50, 55]
    assert len(_conflicts(tenant)) == 1


def test_a_reading_edited_offline_becomes_a_second_reading(tenant: Tenant) -> None:
    me = tenant.me()
    meter = _meter(tenant)
    original = _reading(tenant, meter["id"], 100)
    last = _pull(tenant, None)["timestamp"]
    raw = _records(_pull(tenant, None), "asset_readings")[original["id"]]

    outcome = _push(tenant, {"asset_readings": _table(updated=[{**raw, "value": 110.5}])}, last)

    assert outcome["overridden"] == {"asset_readings": [original["id"]]}
    readings = tenant.get(f"/v1/meters/{meter['id']}/readings").json()["data"]
    assert sorted(r["value"] for r in readings) == [100, 110.5]
    assert original["id"] in {r["id"] for r in readings}
    (added,) = [r for r in readings if r["id"] != original["id"]]
    assert (added["takenBy"], added["source"]) == (me["id"], "sync")
    (conflict,) = _conflicts(tenant)
    assert (conflict["table"], conflict["recordId"], conflict["field"]) == (
        "asset_readings",
        original["id"],
        "value",
    )
    assert (conflict["clientValue"], conflict["serverValue"]) == (110.5, 100)
    assert conflict["resolution"] == "appended"
    pulled = _records(_pull(tenant, last), "asset_readings")
    assert pulled[original["id"]]["value"] == 100
    assert pulled[added["id"]]["value"] == 110.5
    # The same edit pushed again (a retry) adds no third reading.
    again = _push(tenant, {"asset_readings": _table(updated=[{**raw, "value": 110.5}])}, last)
    assert again == outcome
    assert len(tenant.get(f"/v1/meters/{meter['id']}/readings").json()["data"]) == 2
    assert len(_conflicts(tenant)) == 1


def test_an_edit_whose_parent_the_server_deleted_is_refused_not_failed(
    tenant: Tenant, database_urls: DatabaseUrls
) -> None:
    meter = _meter(tenant)
    reading = _reading(tenant, meter["id"], 5)
    work_order = tenant.create_work_order()
    entry = _log(tenant, work_order["id"])
    first = _pull(tenant, None)
    last = first["timestamp"]
    raw_reading = _records(first, "asset_readings")[reading["id"]]
    raw_entry = _records(first, "work_log_entries")[entry["id"]]
    assert tenant.delete(f"/v1/meters/{meter['id']}").status_code == 204
    assert tenant.delete(f"/v1/work-orders/{work_order['id']}").status_code == 204
    before = _counts(database_urls, tenant)

    # Otherwise the device could never push again: its edit would fail every time.
    outcome = _push(
        tenant,
        {
            "asset_readings": _table(updated=[{**raw_reading, "value": 6}]),
            "work_log_entries": _table(updated=[{**raw_entry, "minutes": 99}]),
        },
        last,
    )

    assert outcome["rejected"] == {
        "asset_readings": [reading["id"]],
        "work_log_entries": [entry["id"]],
    }
    after = _counts(database_urls, tenant)
    assert after.pop((str(tenant.id), "sync_conflicts")) == 2 + before.pop(
        (str(tenant.id), "sync_conflicts")
    )
    assert after == before
    assert {c["resolution"] for c in _conflicts(tenant)} == {"server_wins"}
    pulled = _pull(tenant, last)
    assert pulled["changes"]["meters"]["deleted"] == [meter["id"]]
    assert pulled["changes"]["work_orders"]["deleted"] == [work_order["id"]]
    assert _records(pulled, "asset_readings")[reading["id"]]["value"] == 5
    assert _records(pulled, "work_log_entries")[entry["id"]]["minutes"] == 30


def test_tables_a_device_migration_added_are_sent_in_full(tenant: Tenant) -> None:
    work_order = tenant.create_work_order()
    task_code = tenant.create("/v1/task-codes", {"code": "INSP", "name": "Inspection"})
    last = _settled(tenant, [work_order["id"], task_code["id"]])

    response = tenant.post(
        "/v1/sync/pull",
        json={
            "lastPulledAt": last,
            "schemaVersion": 2,
            "migration": {
                "from": 1,
                "tables": ["task_codes"],
                "columns": [{"table": "work_orders", "columns": ["gl_code_id"]}],
            },
        },
    )

    assert response.status_code == 200, response.text
    changes = response.json()["changes"]
    assert [r["id"] for r in changes["task_codes"]["updated"]] == [task_code["id"]]
    assert [r["id"] for r in changes["work_orders"]["updated"]] == [work_order["id"]]
    assert _all_ids(response.json(), "gl_codes") == []


@pytest.mark.parametrize(
    ("migration", "pointer"),
    [
        # WatermelonDB's migration info is {from, tables, columns}: the schema says so.
        ({"from": 1, "tables": [], "columns": [], "extra\x00": 1}, "/migration"),
        (
            {"from": 1, "tables": [], "columns": [{"table": "t", "columns": [], "x": 1}]},
            "/migration",
        ),
        # Text holds no U+0000, in the migration's names too (the schema's pattern).
        ({"from": 1, "tables": ["work\x00orders"], "columns": []}, "/migration"),
    ],
)
def test_a_migration_is_exactly_what_watermelondb_sends(
    tenant: Tenant, migration: dict[str, object], pointer: str
) -> None:
    response = tenant.post(
        "/v1/sync/pull",
        json={"lastPulledAt": None, "schemaVersion": 2, "migration": migration},
    )

    assert response.status_code == 422, response.text
    assert any(e["pointer"].startswith(pointer) for e in response.json()["errors"])


@pytest.mark.parametrize("table", ["assets", "meters", "users", "task_codes", "gl_codes"])
def test_read_only_tables_refuse_changes(
    tenant: Tenant, database_urls: DatabaseUrls, table: str
) -> None:
    _meter(tenant)
    tenant.create("/v1/task-codes", {"code": "INSP", "name": "Inspection"})
    tenant.create("/v1/gl-codes", {"code": "6100", "name": "Repairs"})
    tenant.me()
    first = _pull(tenant, None)
    last = first["timestamp"]
    (record,) = first["changes"][table]["updated"][:1]
    text_column = {"users": "display_name", "assets": "name", "meters": "name"}.get(table, "name")
    state = _row_state(database_urls, table, record["id"])
    invented = _new_id()
    before = _counts(database_urls, tenant)

    outcome = _push(
        tenant,
        {
            table: _table(
                created=[{"id": invented}],
                updated=[{**record, text_column: "Renamed offline"}],
                deleted=[record["id"]],
            )
        },
        last,
    )

    assert outcome["accepted"] == {}
    assert outcome["rejected"] == {table: [invented, record["id"]]}
    assert _row_state(database_urls, table, record["id"]) == state
    after = _counts(database_urls, tenant)
    assert after.pop((str(tenant.id), "sync_conflicts")) == 2 + before.pop(
        (str(tenant.id), "sync_conflicts")
    )
    assert after == before
    assert {(c["table"], c["recordId"], c["resolution"]) for c in _conflicts(tenant)} == {
        (table, invented, "rejected_read_only"),
        (table, record["id"], "rejected_read_only"),
    }
    # The device converges: the record comes back as the server has it, the invented
    # one as deleted.
    pulled = _pull(tenant, last)
    assert _records(pulled, table)[record["id"]] == record
    assert pulled["changes"][table]["deleted"] == [invented]


def test_a_table_the_token_may_not_write_is_refused(
    tenant: Tenant, database_urls: DatabaseUrls
) -> None:
    meter = _meter(tenant)
    last = _pull(tenant, None)["timestamp"]
    reading_id = _new_id()
    before = _counts(database_urls, tenant)

    outcome = _push(
        tenant,
        {
            "asset_readings": _table(
                created=[{"id": reading_id, "meter_id": meter["id"], "value": 5}]
            )
        },
        last,
        permissions=sorted(PERMISSIONS - {"readings:write"}),
    )

    assert outcome["rejected"] == {"asset_readings": [reading_id]}
    assert (
        _counts(database_urls, tenant)[(str(tenant.id), "asset_readings")]
        == before[(str(tenant.id), "asset_readings")]
    )
    (conflict,) = _conflicts(tenant)
    assert conflict["resolution"] == "rejected_permission"
    assert _pull(tenant, last)["changes"]["asset_readings"]["deleted"] == [reading_id]


def test_deletes_soft_delete_work_orders_and_refuse_append_only_records(
    tenant: Tenant, database_urls: DatabaseUrls
) -> None:
    work_order = tenant.create_work_order()
    entry = _log(tenant, work_order["id"])
    meter = _meter(tenant)
    reading = _reading(tenant, meter["id"], 3)
    last = _pull(tenant, None)["timestamp"]

    outcome = _push(
        tenant,
        {
            "work_orders": _table(deleted=[work_order["id"], _new_id()]),
            "work_log_entries": _table(deleted=[entry["id"]]),
            "asset_readings": _table(deleted=[reading["id"]]),
        },
        last,
    )

    assert outcome["accepted"] == {"work_orders": [work_order["id"]]}
    assert outcome["rejected"] == {
        "work_log_entries": [entry["id"]],
        "asset_readings": [reading["id"]],
    }
    assert tenant.get(f"/v1/work-orders/{work_order['id']}").status_code == 404
    assert _event_types(database_urls, work_order["id"])[-1] == "deleted"
    assert {c["resolution"] for c in _conflicts(tenant)} == {"rejected_append_only"}
    assert len(tenant.get(f"/v1/meters/{meter['id']}/readings").json()["data"]) == 1
    pulled = _pull(tenant, last)
    assert pulled["changes"]["work_orders"]["deleted"] == [work_order["id"]]
    assert _records(pulled, "asset_readings")[reading["id"]]["value"] == 3


def _event_types(database_urls: DatabaseUrls, work_order_id: str) -> list[str]:
    """A work order's history as the superuser reads it (also once it is deleted)."""
    with psycopg.connect(_plain(database_urls.admin)) as conn:
        rows = conn.execute(
            "SELECT type FROM work_order_events WHERE work_order_id = %s ORDER BY id",
            (work_order_id,),
        ).fetchall()
    return [r[0] for r in rows]


def test_a_work_order_deleted_on_the_server_is_not_revived(tenant: Tenant) -> None:
    work_order = tenant.create_work_order()
    last = _pull(tenant, None)["timestamp"]
    record = _pulled_work_order(tenant, work_order["id"], None)
    assert tenant.delete(f"/v1/work-orders/{work_order['id']}").status_code == 204

    outcome = _push(tenant, {"work_orders": _table(updated=[{**record, "title": "Edited"}])}, last)

    assert outcome["rejected"] == {"work_orders": [work_order["id"]]}
    assert tenant.get(f"/v1/work-orders/{work_order['id']}").status_code == 404
    assert _conflicts(tenant)[0]["resolution"] == "server_wins"
    assert _pull(tenant, last)["changes"]["work_orders"]["deleted"] == [work_order["id"]]


# ---------------------------------------------------------------- pushing twice


def test_pushing_the_same_changes_twice_changes_nothing_the_second_time(
    tenant: Tenant, database_urls: DatabaseUrls
) -> None:
    meter = _meter(tenant)
    assignee = tenant.create_user(displayName="Alex Fitter")
    finished = tenant.create_work_order(title="Finished in the office")
    entry_owner = tenant.create_work_order(title="Has a log entry")
    entry = _log(tenant, entry_owner["id"], minutes=20)
    reading = _reading(tenant, meter["id"], 40)
    first = _pull(tenant, None)
    last = first["timestamp"]
    finished_raw = _records(first, "work_orders")[finished["id"]]
    owner_raw = _records(first, "work_orders")[entry_owner["id"]]
    entry_raw = _records(first, "work_log_entries")[entry["id"]]
    reading_raw = _records(first, "asset_readings")[reading["id"]]
    patched = tenant.patch(f"/v1/work-orders/{finished['id']}", json={"status": "complete"})
    assert patched.status_code == 200
    new_work_order = _new_id()

    changes: Changes = {
        "work_orders": _table(
            created=[
                {
                    "id": new_work_order,
                    "title": "  Found offline  ",
                    "status": "in_progress",
                    "priority": "urgent",
                    "estimated_hours": 1.333,
                    "due_at": 1795600000123,
                    "assignee_id": assignee["id"],
                    "updated_at": _now_ms(),
                }
            ],
            updated=[
                {**finished_raw, "status": "in_progress", "title": "Renamed offline"},
                {**owner_raw, "description": "Checked", "estimated_hours": 2.005},
            ],
            deleted=[_new_id()],
        ),
        "work_log_entries": _table(
            created=[
                {
                    "id": _new_id(),
                    "work_order_id": new_work_order,
                    "kind": "material",
                    "material_name": " V-belt ",
                    "quantity": 2,
                    "unit": "pcs",
                }
            ],
            updated=[{**entry_raw, "minutes": 25, "note": "Edited offline"}],
        ),
        "asset_readings": _table(
            created=[{"id": _new_id(), "meter_id": meter["id"], "value": 41}],
            updated=[{**reading_raw, "value": 42}],
        ),
        "assets": _table(updated=[_records(first, "assets")[meter["assetId"]]]),
        "users": _table(created=[{"id": str(uuid.uuid4())}]),
    }
    first_outcome = _push(tenant, changes, last)
    me = tenant.me()["id"]
    conflicts = _conflicts(tenant)
    # The push did meet conflicts, and each refused or overridden record is in the log.
    refused = {
        (table, record_id)
        for bucket in ("overridden", "rejected")
        for table, ids in first_outcome[bucket].items()
        for record_id in ids
    }
    assert {t for t, _ in refused} == {
        "work_orders",
        "work_log_entries",
        "asset_readings",
        "assets",
        "users",
    }
    assert refused <= {(c["table"], c["recordId"]) for c in conflicts}
    assert all((c["userId"], c["deviceId"]) == (me, DEVICE) for c in conflicts)
    counts = _counts(database_urls, tenant)
    events = _event_types(database_urls, new_work_order)
    state = {
        key: _row_state(database_urls, *key)
        for key in (
            ("work_orders", new_work_order),
            ("work_orders", finished["id"]),
            ("work_orders", entry_owner["id"]),
            ("meters", meter["id"]),
        )
    }

    second_outcome = _push(tenant, changes, last)

    assert second_outcome == first_outcome
    assert _counts(database_urls, tenant) == counts
    assert _conflicts(tenant) == conflicts
    assert _event_types(database_urls, new_work_order) == events
    assert {key: _row_state(database_urls, *key) for key in state} == state


# ---------------------------------------------------------------- the conflict log


def test_conflict_log_filters_pages_and_needs_work_orders_read(tenant: Tenant) -> None:
    work_orders = [tenant.create_work_order(title=f"Job {n}") for n in range(3)]
    meter = _meter(tenant)
    first = _pull(tenant, None)
    last = first["timestamp"]
    for work_order in work_orders:
        patched = tenant.patch(f"/v1/work-orders/{work_order['id']}", json={"status": "cancelled"})
        assert patched.status_code == 200
    records = _records(first, "work_orders")
    _push(
        tenant,
        {
            "work_orders": _table(
                updated=[{**records[w["id"]], "status": "in_progress"} for w in work_orders]
            ),
            "meters": _table(updated=[_records(first, "meters")[meter["id"]]]),
        },
        last,
        device=None,
    )

    everything = _conflicts(tenant)
    assert len(everything) == 4
    assert [c["id"] for c in everything] == sorted((c["id"] for c in everything), reverse=True)
    assert all(c["deviceId"] is None for c in everything)
    assert {c["recordId"] for c in _conflicts(tenant, "table=work_orders")} == {
        w["id"] for w in work_orders
    }
    (only,) = _conflicts(tenant, f"recordId={meter['id']}")
    assert (only["table"], only["resolution"]) == ("meters", "rejected_read_only")

    page = tenant.get("/v1/sync-conflicts?limit=3").json()
    assert page["hasMore"] is True
    rest = tenant.get(f"/v1/sync-conflicts?limit=3&cursor={page['nextCursor']}").json()
    assert rest["hasMore"] is False
    assert [c["id"] for c in page["data"] + rest["data"]] == [c["id"] for c in everything]

    refused = tenant.get(
        "/v1/sync-conflicts",
        headers=_auth(tenant, sorted(PERMISSIONS - {"work_orders:read"})),
    )
    _assert_problem(refused, 403, "/problems/permission-denied")


def test_conflict_log_is_per_tenant(make_tenant: Callable[..., Tenant]) -> None:
    a, b = make_tenant(), make_tenant()
    work_order = a.create_work_order()
    last = _pull(a, None)["timestamp"]
    record = _pulled_work_order(a, work_order["id"], None)
    patched = a.patch(f"/v1/work-orders/{work_order['id']}", json={"status": "cancelled"})
    assert patched.status_code == 200
    _push(a, {"work_orders": _table(updated=[{**record, "status": "open"}])}, last)
    assert len(_conflicts(a)) == 1
    assert _conflicts(b) == []
    assert _conflicts(b, f"recordId={work_order['id']}") == []


def test_offline_edits_are_judged_against_the_device_s_previous_sync(tenant: Tenant) -> None:
    """WatermelonDB pulls, then pushes with that pull's timestamp: the server's changes
    made while the device was offline are in that pull already. The push must still see
    them as conflicts with the device's offline edits (its window opens at the previous
    pull), while the device's own earlier pushes are not conflicts."""
    web_choice = tenant.create_user(displayName="Web choice")
    device_choice = tenant.create_user(displayName="Device choice")
    work_order = tenant.create_work_order()
    url = f"/v1/work-orders/{work_order['id']}"
    first = _pull(tenant, None)["timestamp"]
    record = _pulled_work_order(tenant, work_order["id"], None)
    # The device's own sync pushes a change (its own pushes never conflict with it later).
    _push(tenant, {"work_orders": _table(updated=[{**record, "priority": "urgent"}])}, first)
    # Offline: the device reassigns; meanwhile the web reassigns too.
    assert tenant.patch(url, json={"assigneeId": web_choice["id"]}).status_code == 200
    second = _pull(tenant, first)["timestamp"]  # the pull of the next sync...
    outcome = _push(  # ...and its push, with that pull's timestamp
        tenant,
        {
            "work_orders": _table(
                updated=[
                    {
                        **record,
                        "priority": "low",
                        "assignee_id": device_choice["id"],
                        "updated_at": _now_ms(),
                    }
                ]
            )
        },
        second,
    )
    assert outcome["overridden"] == {"work_orders": [work_order["id"]]}
    body = tenant.get(url).json()
    assert body["assigneeId"] == web_choice["id"]  # server wins
    assert body["priority"] == "low"  # the device's own earlier push is no conflict
    (conflict,) = _conflicts(tenant)
    assert (conflict["field"], conflict["resolution"]) == ("assignee_id", "server_wins")


def test_changes_a_pull_saw_are_no_conflict_while_an_older_transaction_runs(
    tenant: Tenant, database_urls: DatabaseUrls
) -> None:
    """A pull's ``xmin`` is the oldest transaction running anywhere in the cluster, so a
    change committed before the pull (and sent by it) can have a transaction id above it.
    Such a change is no conflict with the device's edit: the device had it. Holding an
    older transaction open makes that the case every time (on a busy server it happens
    by chance, which made the test above flaky)."""
    work_order = tenant.create_work_order()
    url = f"/v1/work-orders/{work_order['id']}"
    with psycopg.connect(_plain(database_urls.admin)) as older:
        older.execute("SELECT pg_current_xact_id()")  # holds the cluster's xmin from now on
        assert tenant.patch(url, json={"priority": "high"}).status_code == 200
        last = _pull(tenant, None)["timestamp"]
        record = _pulled_work_order(tenant, work_order["id"], None)
        assert record["priority"] == "high"  # the device has the web's change
        outcome = _push(
            tenant,
            {"work_orders": _table(updated=[{**record, "title": "Edited offline"}])},
            last,
        )
        second = _pull(tenant, last)["timestamp"]
        outcome_after = _push(
            tenant,
            {
                "work_orders": _table(
                    updated=[{**record, "title": "Edited offline", "priority": "low"}]
                )
            },
            second,
        )
        older.rollback()
    assert outcome["accepted"] == {"work_orders": [work_order["id"]]}
    assert outcome_after["accepted"] == {"work_orders": [work_order["id"]]}
    body = tenant.get(url).json()
    assert (body["title"], body["priority"]) == ("Edited offline", "low")
    assert _conflicts(tenant) == []


# ---------------------------------------------------------------- local-only tables


def test_a_push_naming_local_only_tables_with_no_changes_is_applied(tenant: Tenant) -> None:
    # WatermelonDB pushes every table of the app's schema; apps keep local-only ones.
    last = _pull(tenant, None)["timestamp"]
    new = {"id": _new_id(), "title": "Made offline", "status": "open", "priority": "low"}
    changes = {"work_orders": _table(created=[new]), "drafts": _table(), "settings": {}}

    result = _push(tenant, changes, last)

    assert result["accepted"] == {"work_orders": [new["id"]]}
    assert result["rejected"] == {}
    assert result["overridden"] == {}
    assert tenant.get(f"/v1/work-orders/{new['id']}").json()["title"] == "Made offline"
    pulled = _pull(tenant, None)["changes"]
    assert new["id"] in _all_ids({"changes": pulled}, "work_orders")
    assert "drafts" not in pulled


def test_a_push_with_records_in_local_only_tables_is_422_naming_each_table(
    tenant: Tenant, database_urls: DatabaseUrls
) -> None:
    last = _pull(tenant, None)["timestamp"]
    valid = {"id": _new_id(), "title": "Would be created", "status": "open", "priority": "low"}
    changes = {
        "work_orders": _table(created=[valid]),
        "drafts": _table(created=[{"id": _new_id(), "body": "x"}]),
        "settings": _table(deleted=[_new_id()]),
        "empty_one": _table(),
    }
    before = _counts(database_urls, tenant)

    response = _push_response(tenant, changes, last)

    problem = _assert_problem(response, 422, VALIDATION)
    pointers = [e["pointer"] for e in problem["errors"]]
    tables = {p.split("/")[2] for p in pointers}
    assert tables == {"drafts", "settings"}, pointers
    assert _counts(database_urls, tenant) == before
    assert tenant.get(f"/v1/work-orders/{valid['id']}").status_code == 404


def test_a_work_order_due_before_1970_syncs_as_negative_milliseconds(tenant: Tenant) -> None:
    """REST accepts any instant from year 1; a pull sends it (negative before 1970, which
    WatermelonDB stores as a plain number) and a push of such an instant is applied."""
    work_order = tenant.create_work_order(dueAt="1969-07-20T20:17:40.500Z")
    url = f"/v1/work-orders/{work_order['id']}"
    last = _settled(tenant, [work_order["id"]])
    record = _pulled_work_order(tenant, work_order["id"], None)
    assert record["due_at"] == _ms("1969-07-20T20:17:40.500Z") == -14_182_939_500

    earlier = _ms("1901-01-01T00:00:00Z")
    outcome = _push(tenant, {"work_orders": _table(updated=[{**record, "due_at": earlier}])}, last)

    assert outcome["accepted"] == {"work_orders": [work_order["id"]]}, outcome
    assert tenant.get(url).json()["dueAt"] in ("1901-01-01T00:00:00Z", "1901-01-01T00:00:00+00:00")
    assert _pulled_work_order(tenant, work_order["id"], None)["due_at"] == earlier
