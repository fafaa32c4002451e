"""Meters and readings over real HTTP: CRUD with ETags, append-only readings, the meter's
latest reading, and every cross-tenant path."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import psycopg
import pytest

from tests.conftest import DatabaseUrls, Tenant

PROBLEM = "application/problem+json"


def _plain(url: str) -> str:
    return url.replace("+psycopg", "")


def _asset(tenant: Tenant, name: str = "Pump P-101") -> str:
    return str(tenant.create("/v1/assets", {"name": name})["id"])


def _meter(tenant: Tenant, asset_id: str | None = None, **fields: Any) -> dict[str, Any]:
    body = {"assetId": asset_id or _asset(tenant), "name": "Run hours", "unit": "h", **fields}
    return tenant.create("/v1/meters", body)


def _read(tenant: Tenant, meter_id: str, value: Any, **fields: Any) -> dict[str, Any]:
    return tenant.create(f"/v1/meters/{meter_id}/readings", {"value": value, **fields})


def _at(minutes_ago: float) -> str:
    moment = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


def _reading_ids(tenant: Tenant, meter_id: str, query: str = "") -> list[str]:
    response = tenant.get(f"/v1/meters/{meter_id}/readings?{query}")
    assert response.status_code == 200, response.text
    return [r["id"] for r in response.json()["data"]]


# ---------------------------------------------------------------- meters


def test_meter_crud_with_etags(tenant: Tenant) -> None:
    asset_id = _asset(tenant)
    created = tenant.post(
        "/v1/meters", json={"assetId": asset_id, "name": "  Run hours ", "unit": "h"}
    )
    assert created.status_code == 201, created.text
    meter = created.json()
    url = f"/v1/meters/{meter['id']}"
    assert created.headers["location"] == url
    assert created.headers["etag"] == '"1"'
    assert uuid.UUID(meter["id"]).version == 7
    assert meter["assetId"] == asset_id
    assert meter["name"] == "Run hours"
    assert meter["kind"] == "cumulative"
    assert meter["lastReadingValue"] is None
    assert meter["lastReadingAt"] is None

    got = tenant.get(url)
    assert got.status_code == 200
    assert got.json() == meter
    assert got.headers["etag"] == '"1"'

    patched = tenant.patch(url, json={"name": "Engine hours"}, headers={"If-Match": '"1"'})
    assert patched.status_code == 200, patched.text
    assert patched.headers["etag"] == '"2"'
    assert patched.json()["name"] == "Engine hours"
    assert patched.json()["unit"] == "h"
    assert patched.json()["updatedAt"] > meter["updatedAt"]

    stale = tenant.patch(url, json={"unit": "min"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == PROBLEM
    assert stale.json()["code"] == "precondition_failed"
    assert tenant.get(url).json()["unit"] == "h"

    assert tenant.delete(url, headers={"If-Match": '"1"'}).status_code == 412
    assert tenant.get(url).status_code == 200
    assert tenant.delete(url, headers={"If-Match": '"2"'}).status_code == 204
    assert tenant.get(url).status_code == 404
    assert tenant.patch(url, json={"name": "x"}).status_code == 404
    assert tenant.delete(url).status_code == 404
    assert tenant.get("/v1/meters").json()["data"] == []


def test_gauge_and_patch_without_change(tenant: Tenant) -> None:
    meter = _meter(tenant, kind="gauge", unit="bar", name="Discharge pressure")
    assert meter["kind"] == "gauge"
    url = f"/v1/meters/{meter['id']}"
    same = tenant.patch(url, json={"unit": "bar"})
    assert same.status_code == 200
    assert same.json() == meter
    assert same.headers["etag"] == '"1"'


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"name": "x", "unit": "h"}, "/assetId"),
        ({"assetId": "not-a-uuid", "name": "x", "unit": "h"}, "/assetId"),
        ({"name": "   ", "unit": "h"}, "/name"),
        ({"name": "x", "unit": "u" * 21}, "/unit"),
        ({"name": "x", "unit": "h", "kind": "counter"}, "/kind"),
        ({"name": "x", "unit": "h", "lastReadingValue": 3}, "/lastReadingValue"),
    ],
)
def test_invalid_meter_bodies_are_422(tenant: Tenant, body: dict[str, Any], pointer: str) -> None:
    if "assetId" not in body and pointer != "/assetId":
        body = {"assetId": _asset(tenant), **body}
    response = tenant.post("/v1/meters", json=body)
    assert response.status_code == 422, response.text
    assert pointer in [e["pointer"] for e in response.json()["errors"]]


def test_meter_needs_a_live_asset_of_the_tenant(tenant: Tenant) -> None:
    missing = tenant.post(
        "/v1/meters", json={"assetId": str(uuid.uuid4()), "name": "x", "unit": "h"}
    )
    assert missing.status_code == 422
    problem = missing.json()
    assert problem["type"] == "/problems/invalid-reference"
    assert problem["errors"] == [
        {"pointer": "/assetId", "detail": "Does not exist in your tenant."}
    ]

    asset_id = _asset(tenant)
    assert tenant.delete(f"/v1/assets/{asset_id}").status_code == 204
    deleted = tenant.post("/v1/meters", json={"assetId": asset_id, "name": "x", "unit": "h"})
    assert deleted.status_code == 422
    assert deleted.json()["code"] == "invalid_reference"
    assert tenant.get("/v1/meters").json()["data"] == []


def test_list_meters_newest_first_by_asset_with_cursor(tenant: Tenant) -> None:
    pump, fan = _asset(tenant, "Pump"), _asset(tenant, "Fan")
    first = _meter(tenant, pump)["id"]
    second = _meter(tenant, fan)["id"]
    third = _meter(tenant, pump, name="Starts", unit="cycles")["id"]

    def ids(query: str) -> list[str]:
        response = tenant.get(f"/v1/meters?{query}")
        assert response.status_code == 200, response.text
        return [m["id"] for m in response.json()["data"]]

    assert ids("") == [third, second, first]
    assert ids(f"assetId={pump}") == [third, first]
    assert ids(f"assetId={fan}") == [second]
    assert ids(f"assetId={uuid.uuid4()}") == []

    page = tenant.get("/v1/meters?limit=2").json()
    assert [m["id"] for m in page["data"]] == [third, second]
    assert page["hasMore"] is True
    rest = tenant.get(f"/v1/meters?limit=2&cursor={page['nextCursor']}").json()
    assert rest == {"data": rest["data"], "nextCursor": None, "hasMore": False}
    assert [m["id"] for m in rest["data"]] == [first]
    assert tenant.get("/v1/meters?cursor=garbage").json()["code"] == "invalid_cursor"


# ---------------------------------------------------------------- readings


def test_reading_defaults_and_exact_value(tenant: Tenant, database_urls: DatabaseUrls) -> None:
    meter = _meter(tenant)
    me = tenant.me()
    before = datetime.now(UTC)
    response = tenant.post(f"/v1/meters/{meter['id']}/readings", json={"value": 0.1})
    assert response.status_code == 201, response.text
    reading = response.json()
    assert uuid.UUID(reading["id"]).version == 7
    assert reading["meterId"] == meter["id"]
    assert reading["value"] == 0.1
    assert reading["takenBy"] == me["id"]
    assert reading["workOrderId"] is None
    assert reading["note"] is None
    assert reading["source"] == "api"
    taken_at = datetime.fromisoformat(reading["takenAt"])
    assert before - timedelta(seconds=5) <= taken_at <= datetime.now(UTC) + timedelta(seconds=5)
    assert reading["takenAt"].endswith("Z")
    # Stored as the decimal that was sent, not as binary float noise.
    with psycopg.connect(_plain(database_urls.admin)) as conn:
        row = conn.execute(
            "SELECT value FROM asset_readings WHERE id = %s", (reading["id"],)
        ).fetchone()
    assert row == (Decimal("0.1"),)

    updated = tenant.get(f"/v1/meters/{meter['id']}")
    assert updated.json()["lastReadingValue"] == 0.1
    assert updated.json()["lastReadingAt"] == reading["takenAt"]
    # The latest reading is part of the meter: its ETag moved.
    assert updated.headers["etag"] == '"2"'


def test_reading_with_work_order_and_note(tenant: Tenant) -> None:
    meter = _meter(tenant)
    work_order = tenant.create_work_order()
    reading = _read(
        tenant,
        meter["id"],
        1523.5,
        workOrderId=work_order["id"],
        note="Read at start of shift.",
        takenAt="2026-01-10T10:00:00+01:00",
    )
    assert reading["workOrderId"] == work_order["id"]
    assert reading["note"] == "Read at start of shift."
    assert reading["takenAt"] == "2026-01-10T09:00:00Z"

    unknown = tenant.post(
        f"/v1/meters/{meter['id']}/readings", json={"value": 1, "workOrderId": str(uuid.uuid4())}
    )
    assert unknown.status_code == 422
    assert unknown.json()["code"] == "invalid_reference"
    assert [e["pointer"] for e in unknown.json()["errors"]] == ["/workOrderId"]


def test_same_taken_at_twice_keeps_both(tenant: Tenant) -> None:
    meter_id = _meter(tenant)["id"]
    at = "2026-01-10T09:00:00Z"
    first = _read(tenant, meter_id, 100, takenAt=at)
    second = _read(tenant, meter_id, 101, takenAt=at)
    assert first["id"] != second["id"]
    # Same instant: the later-recorded comes first, and is the meter's latest.
    assert _reading_ids(tenant, meter_id) == [second["id"], first["id"]]
    meter = tenant.get(f"/v1/meters/{meter_id}").json()
    assert meter["lastReadingValue"] == 101
    assert meter["lastReadingAt"] == at


def test_late_older_reading_does_not_move_the_latest(tenant: Tenant) -> None:
    meter_id = _meter(tenant)["id"]
    url = f"/v1/meters/{meter_id}"
    _read(tenant, meter_id, 500, takenAt=_at(10))
    latest = tenant.get(url).json()
    late = _read(tenant, meter_id, 450, takenAt=_at(60))
    assert tenant.get(url).json() == latest
    # The late reading is recorded all the same, in its place by takenAt.
    assert _reading_ids(tenant, meter_id)[-1] == late["id"]

    newer = _read(tenant, meter_id, 510, takenAt=_at(1))
    meter = tenant.get(url).json()
    assert meter["lastReadingValue"] == 510
    assert meter["lastReadingAt"] == newer["takenAt"]


def test_lower_cumulative_value_is_still_recorded(tenant: Tenant) -> None:
    meter_id = _meter(tenant)["id"]
    _read(tenant, meter_id, 1000, takenAt=_at(10))
    lower = tenant.post(f"/v1/meters/{meter_id}/readings", json={"value": 12, "takenAt": _at(5)})
    assert lower.status_code == 201, lower.text
    assert tenant.get(f"/v1/meters/{meter_id}").json()["lastReadingValue"] == 12


def test_future_taken_at_is_refused(tenant: Tenant) -> None:
    meter_id = _meter(tenant)["id"]
    url = f"/v1/meters/{meter_id}/readings"
    refused = tenant.post(url, json={"value": 1, "takenAt": _at(-6)})
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["code"] == "validation_failed"
    assert [e["pointer"] for e in problem["errors"]] == ["/takenAt"]
    assert _reading_ids(tenant, meter_id) == []
    # Within five minutes (clock skew) is fine.
    assert tenant.post(url, json={"value": 1, "takenAt": _at(-4)}).status_code == 201


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({}, "/value"),
        ({"value": "12"}, "/value"),
        ({"value": 1e13}, "/value"),
        ({"value": 1, "takenAt": "yesterday"}, "/takenAt"),
        ({"value": 1, "source": "sync"}, "/source"),
        ({"value": 1, "note": "n" * 2001}, "/note"),
    ],
)
def test_invalid_reading_bodies_are_422(tenant: Tenant, body: dict[str, Any], pointer: str) -> None:
    meter_id = _meter(tenant)["id"]
    response = tenant.post(f"/v1/meters/{meter_id}/readings", json=body)
    assert response.status_code == 422, response.text
    assert pointer in [e["pointer"] for e in response.json()["errors"]]


def test_readings_order_filters_and_cursor(tenant: Tenant) -> None:
    meter_id = _meter(tenant)["id"]
    t = ["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z"]
    # Recorded out of order; two share an instant.
    r2 = _read(tenant, meter_id, 2, takenAt=t[1])["id"]
    r0 = _read(tenant, meter_id, 0, takenAt=t[0])["id"]
    r3 = _read(tenant, meter_id, 3, takenAt=t[2])["id"]
    r2b = _read(tenant, meter_id, 2.5, takenAt=t[1])["id"]
    everything = [r3, r2b, r2, r0]
    assert _reading_ids(tenant, meter_id) == everything
    assert _reading_ids(tenant, meter_id, f"takenAfter={t[1]}") == [r3, r2b, r2]
    assert _reading_ids(tenant, meter_id, f"takenBefore={t[1]}") == [r0]
    assert _reading_ids(tenant, meter_id, f"takenAfter={t[1]}&takenBefore={t[2]}") == [r2b, r2]
    assert _reading_ids(tenant, meter_id, "takenAfter=2026-01-02T01:00:00%2B01:00") == [
        r3,
        r2b,
        r2,
    ]

    # Page through with limit=1: the tie at t[1] is neither skipped nor repeated, even
    # with a reading inserted between pages.
    seen: list[str] = []
    cursor = None
    while True:
        query = "limit=1" + (f"&cursor={cursor}" if cursor else "")
        page = tenant.get(f"/v1/meters/{meter_id}/readings?{query}").json()
        seen += [r["id"] for r in page["data"]]
        if len(seen) == 2:
            _read(tenant, meter_id, 9, takenAt="2026-01-04T00:00:00Z")
        if not page["hasMore"]:
            break
        cursor = page["nextCursor"]
    assert seen == everything

    bad = tenant.get(f"/v1/meters/{meter_id}/readings?takenAfter=yesterday")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["pointer"] == "#/query/takenAfter"
    # A cursor of another list does not fit.
    _meter(tenant)
    meters_cursor = tenant.get("/v1/meters?limit=1").json()["nextCursor"]
    assert meters_cursor
    wrong = tenant.get(f"/v1/meters/{meter_id}/readings?cursor={meters_cursor}")
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "invalid_cursor"


def test_deleted_meter_takes_no_readings_but_keeps_them(
    tenant: Tenant, database_urls: DatabaseUrls
) -> None:
    meter_id = _meter(tenant)["id"]
    reading = _read(tenant, meter_id, 7)
    assert tenant.delete(f"/v1/meters/{meter_id}").status_code == 204
    url = f"/v1/meters/{meter_id}/readings"
    assert tenant.post(url, json={"value": 8}).status_code == 404
    assert tenant.get(url).status_code == 404
    assert tenant.post(f"/v1/meters/{uuid.uuid4()}/readings", json={"value": 8}).status_code == 404
    with psycopg.connect(_plain(database_urls.admin)) as conn:
        count = conn.execute(
            "SELECT count(*) FROM asset_readings WHERE meter_id = %s", (meter_id,)
        ).fetchone()
    assert count == (1,)
    assert reading["id"]


def test_retried_reading_with_idempotency_key_is_recorded_once(tenant: Tenant) -> None:
    meter_id = _meter(tenant)["id"]
    url = f"/v1/meters/{meter_id}/readings"
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"value": 12.5, "takenAt": "2026-01-10T09:00:00Z"}
    first = tenant.post(url, json=body, headers=headers)
    assert first.status_code == 201, first.text
    again = tenant.post(url, json=body, headers=headers)
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert _reading_ids(tenant, meter_id) == [first.json()["id"]]
    # Without a key, a retry is a second reading: readings never overwrite each other.
    assert tenant.post(url, json=body).status_code == 201
    assert len(_reading_ids(tenant, meter_id)) == 2


def test_readings_cannot_be_changed_over_http(tenant: Tenant) -> None:
    meter_id = _meter(tenant)["id"]
    _read(tenant, meter_id, 1)
    url = f"/v1/meters/{meter_id}/readings"
    for method in ("PATCH", "DELETE", "PUT"):
        response = tenant.request(method, url, json={"value": 2})
        assert response.status_code == 405, method
        assert response.headers["content-type"] == PROBLEM
    assert len(_reading_ids(tenant, meter_id)) == 1


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE asset_readings SET value = value + 1",
        "DELETE FROM asset_readings",
    ],
)
def test_readings_are_immutable_in_the_database(
    tenant: Tenant, database_urls: DatabaseUrls, statement: str
) -> None:
    meter_id = _meter(tenant)["id"]
    _read(tenant, meter_id, 1)
    with psycopg.connect(_plain(database_urls.app)) as conn:
        conn.execute("SELECT app_set_tenant(%s)", (tenant.id,))
        assert conn.execute("SELECT count(*) FROM asset_readings").fetchone() == (1,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement)
        conn.rollback()
    assert tenant.get(f"/v1/meters/{meter_id}/readings").json()["data"][0]["value"] == 1


@pytest.fixture
def clients(live_url: str) -> Iterator[list[httpx.Client]]:
    opened = [httpx.Client(base_url=live_url, timeout=30) for _ in range(6)]
    yield opened
    for client in opened:
        client.close()


def test_concurrent_readings_leave_the_latest_by_taken_at(
    tenant: Tenant, clients: list[httpx.Client]
) -> None:
    meter_id = _meter(tenant)["id"]
    headers = tenant.headers()
    values = list(range(len(clients) * 3))

    def post(value: int) -> int:
        client = clients[value % len(clients)]
        body = {"value": value, "takenAt": _at(100 - value)}
        return client.post(
            f"/v1/meters/{meter_id}/readings", json=body, headers=headers
        ).status_code

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        statuses = list(pool.map(post, reversed(values)))
    assert statuses == [201] * len(values)
    meter = tenant.get(f"/v1/meters/{meter_id}").json()
    assert meter["lastReadingValue"] == values[-1]
    assert len(_reading_ids(tenant, meter_id, "limit=200")) == len(values)


# ---------------------------------------------------------------- cross-tenant


def test_cross_tenant_meters_and_readings(make_tenant: Callable[..., Tenant]) -> None:
    a, b = make_tenant(), make_tenant()
    a_asset = _asset(a)
    a_meter = _meter(a, a_asset)
    a_reading = _read(a, a_meter["id"], 42)
    a_work_order = a.create_work_order()
    url = f"/v1/meters/{a_meter['id']}"
    a_before = a.get(url).json()
    assert a_before["lastReadingValue"] == 42

    # Read, list, change, delete A's meter: 404 / absent, as if it did not exist.
    assert b.get(url).status_code == 404
    assert b.get("/v1/meters").json()["data"] == []
    assert b.get(f"/v1/meters?assetId={a_asset}").json()["data"] == []
    assert b.patch(url, json={"name": "Hacked"}).status_code == 404
    assert b.patch(url, json={"name": "Hacked"}, headers={"If-Match": '"1"'}).status_code == 404
    assert b.delete(url).status_code == 404
    # Its readings: neither listed nor appended to.
    assert b.get(f"{url}/readings").status_code == 404
    assert b.post(f"{url}/readings", json={"value": 1}).status_code == 404

    # Every foreign key: a meter on A's asset, a reading on A's work order.
    on_a_asset = b.post("/v1/meters", json={"assetId": a_asset, "name": "x", "unit": "h"})
    assert on_a_asset.status_code == 422
    assert on_a_asset.json()["type"] == "/problems/invalid-reference"
    b_meter = _meter(b)
    on_a_work_order = b.post(
        f"/v1/meters/{b_meter['id']}/readings",
        json={"value": 1, "workOrderId": a_work_order["id"]},
    )
    assert on_a_work_order.status_code == 422
    assert on_a_work_order.json()["code"] == "invalid_reference"
    assert _reading_ids(b, b_meter["id"]) == []

    # A's data is untouched.
    assert a.get(url).json() == a_before
    assert _reading_ids(a, a_meter["id"]) == [a_reading["id"]]
