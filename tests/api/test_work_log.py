"""Work log entries over real HTTP: each kind, corrections by appending, the work order's
actual hours, append-only storage, and every cross-tenant path."""

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


def _entries_url(work_order_id: str) -> str:
    return f"/v1/work-orders/{work_order_id}/log-entries"


def _log(tenant: Tenant, work_order_id: str, **body: Any) -> dict[str, Any]:
    return tenant.create(_entries_url(work_order_id), body)


def _labor(tenant: Tenant, work_order_id: str, minutes: int, **body: Any) -> dict[str, Any]:
    return _log(tenant, work_order_id, kind="labor", minutes=minutes, **body)


def _listed(tenant: Tenant, work_order_id: str) -> list[dict[str, Any]]:
    response = tenant.get(_entries_url(work_order_id) + "?limit=200")
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def _actual_hours(tenant: Tenant, work_order_id: str) -> Any:
    response = tenant.get(f"/v1/work-orders/{work_order_id}")
    assert response.status_code == 200, response.text
    return response.json()["actualHours"]


# ---------------------------------------------------------------- each kind


def test_labor_entry(tenant: Tenant) -> None:
    work_order_id = tenant.create_work_order()["id"]
    me = tenant.me()
    before = datetime.now(UTC)
    response = tenant.post(
        _entries_url(work_order_id),
        json={"kind": "labor", "minutes": 45, "note": "Replaced belt and re-tensioned."},
    )
    assert response.status_code == 201, response.text
    entry = response.json()
    assert response.headers["location"] == f"{_entries_url(work_order_id)}/{entry['id']}"
    assert uuid.UUID(entry["id"]).version == 7
    assert entry["workOrderId"] == work_order_id
    assert entry["kind"] == "labor"
    assert entry["minutes"] == 45
    assert entry["note"] == "Replaced belt and re-tensioned."
    assert entry["authorId"] == me["id"]
    assert entry["materialName"] is None
    assert entry["quantity"] is None
    assert entry["correctsEntryId"] is None
    assert entry["supersededById"] is None
    logged_at = datetime.fromisoformat(entry["loggedAt"])
    assert before - timedelta(seconds=5) <= logged_at <= datetime.now(UTC) + timedelta(seconds=5)
    assert entry["loggedAt"].endswith("Z")

    got = tenant.get(response.headers["location"])
    assert got.status_code == 200
    assert got.json() == entry
    assert _actual_hours(tenant, work_order_id) == 0.75


def test_material_entry_keeps_exact_numbers(tenant: Tenant, database_urls: DatabaseUrls) -> None:
    work_order_id = tenant.create_work_order()["id"]
    entry = _log(
        tenant,
        work_order_id,
        kind="material",
        materialName="  V-belt SPA 1250 ",
        quantity=2,
        unit="pcs",
        unitCost=18.4,
        loggedAt="2026-01-10T10:00:00+01:00",
    )
    assert entry["materialName"] == "V-belt SPA 1250"
    assert entry["quantity"] == 2
    assert entry["unit"] == "pcs"
    assert entry["unitCost"] == 18.4
    assert entry["minutes"] is None
    assert entry["loggedAt"] == "2026-01-10T09:00:00Z"
    with psycopg.connect(_plain(database_urls.admin)) as conn:
        row = conn.execute(
            "SELECT quantity, unit_cost FROM work_log_entries WHERE id = %s", (entry["id"],)
        ).fetchone()
    assert row == (Decimal(2), Decimal("18.4"))
    # Material is not labour.
    assert _actual_hours(tenant, work_order_id) == 0


def test_observation_entry(tenant: Tenant) -> None:
    work_order_id = tenant.create_work_order()["id"]
    entry = _log(tenant, work_order_id, kind="observation", note="Bearing runs hot.")
    assert entry["kind"] == "observation"
    assert entry["note"] == "Bearing runs hot."
    assert entry["minutes"] is None


@pytest.mark.parametrize(
    ("body", "pointers"),
    [
        ({"kind": "labor"}, ["/minutes"]),
        ({"kind": "labor", "note": "no time"}, ["/minutes"]),
        ({"kind": "material"}, ["/materialName", "/quantity"]),
        ({"kind": "material", "materialName": "Belt"}, ["/quantity"]),
        ({"kind": "material", "quantity": 1}, ["/materialName"]),
        ({"kind": "observation"}, ["/note"]),
        ({"kind": "observation", "minutes": 3}, ["/note"]),
    ],
)
def test_each_kind_needs_its_fields(
    tenant: Tenant, body: dict[str, Any], pointers: list[str]
) -> None:
    work_order_id = tenant.create_work_order()["id"]
    response = tenant.post(_entries_url(work_order_id), json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["code"] == "validation_failed"
    assert [e["pointer"] for e in problem["errors"]] == pointers
    assert _listed(tenant, work_order_id) == []


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({}, "/kind"),
        ({"kind": "travel", "minutes": 5}, "/kind"),
        ({"kind": "labor", "minutes": -1}, "/minutes"),
        ({"kind": "labor", "minutes": 10081}, "/minutes"),
        ({"kind": "labor", "minutes": 5, "authorId": str(uuid.uuid4())}, "/authorId"),
        ({"kind": "observation", "note": "   "}, "/note"),
        ({"kind": "labor", "minutes": 5, "correctsEntryId": "nope"}, "/correctsEntryId"),
    ],
)
def test_schema_failures_are_422(tenant: Tenant, body: dict[str, Any], pointer: str) -> None:
    work_order_id = tenant.create_work_order()["id"]
    response = tenant.post(_entries_url(work_order_id), json=body)
    assert response.status_code == 422, response.text
    assert pointer in [e["pointer"] for e in response.json()["errors"]]


# ---------------------------------------------------------------- corrections


def test_correction_flow(tenant: Tenant) -> None:
    work_order_id = tenant.create_work_order()["id"]
    original = _labor(tenant, work_order_id, 120)
    other = _labor(tenant, work_order_id, 30)
    assert _actual_hours(tenant, work_order_id) == 2.5

    correction = _labor(tenant, work_order_id, 90, correctsEntryId=original["id"])
    assert correction["correctsEntryId"] == original["id"]
    assert correction["supersededById"] is None
    # Only the correction counts: 90 + 30 minutes.
    assert _actual_hours(tenant, work_order_id) == 2.0

    listed = _listed(tenant, work_order_id)
    assert [e["id"] for e in listed] == [original["id"], other["id"], correction["id"]]
    assert listed[0] == original | {"supersededById": correction["id"]}
    assert listed[1] == other
    assert listed[2] == correction
    single = tenant.get(f"{_entries_url(work_order_id)}/{original['id']}").json()
    assert single["supersededById"] == correction["id"]

    # An entry is corrected once.
    again = tenant.post(
        _entries_url(work_order_id),
        json={"kind": "labor", "minutes": 60, "correctsEntryId": original["id"]},
    )
    assert again.status_code == 409
    assert again.headers["content-type"] == PROBLEM
    problem = again.json()
    assert problem["type"] == "/problems/entry-already-corrected"
    assert problem["code"] == "entry_already_corrected"
    assert problem["supersededById"] == correction["id"]
    assert len(_listed(tenant, work_order_id)) == 3

    # Correct the correction instead.
    second = _labor(tenant, work_order_id, 75, correctsEntryId=correction["id"])
    assert _actual_hours(tenant, work_order_id) == 1.75
    listed = _listed(tenant, work_order_id)
    assert [e["supersededById"] for e in listed] == [correction["id"], None, second["id"], None]


def test_correction_to_zero_minutes(tenant: Tenant) -> None:
    work_order_id = tenant.create_work_order()["id"]
    wrong = _labor(tenant, work_order_id, 60)
    _labor(tenant, work_order_id, 0, correctsEntryId=wrong["id"], note="Logged on wrong job.")
    assert _actual_hours(tenant, work_order_id) == 0


def test_material_and_observation_corrections(tenant: Tenant) -> None:
    work_order_id = tenant.create_work_order()["id"]
    material = _log(tenant, work_order_id, kind="material", materialName="Belt", quantity=3)
    fixed = _log(
        tenant,
        work_order_id,
        kind="material",
        materialName="Belt",
        quantity=2,
        correctsEntryId=material["id"],
    )
    seen = _log(tenant, work_order_id, kind="observation", note="Leak at flange.")
    _log(
        tenant, work_order_id, kind="observation", note="Leak at valve.", correctsEntryId=seen["id"]
    )
    listed = {e["id"]: e for e in _listed(tenant, work_order_id)}
    assert listed[material["id"]]["supersededById"] == fixed["id"]
    assert listed[seen["id"]]["supersededById"] is not None


@pytest.mark.parametrize(
    "target",
    ["other kind", "other work order", "unknown"],
)
def test_correction_target_must_be_same_kind_on_same_work_order(
    tenant: Tenant, target: str
) -> None:
    work_order_id = tenant.create_work_order()["id"]
    elsewhere = tenant.create_work_order()["id"]
    observation = _log(tenant, work_order_id, kind="observation", note="Noisy.")
    foreign = _labor(tenant, elsewhere, 30)
    corrects = {
        "other kind": observation["id"],
        "other work order": foreign["id"],
        "unknown": str(uuid.uuid4()),
    }[target]
    response = tenant.post(
        _entries_url(work_order_id),
        json={"kind": "labor", "minutes": 10, "correctsEntryId": corrects},
    )
    assert response.status_code == 422, response.text
    problem = response.json()
    # An entry that is not on this work order is a reference to nothing; one of another
    # kind exists but breaks the rule.
    expected = "validation_failed" if target == "other kind" else "invalid_reference"
    assert problem["code"] == expected
    assert [e["pointer"] for e in problem["errors"]] == ["/correctsEntryId"]
    assert [e["id"] for e in _listed(tenant, work_order_id)] == [observation["id"]]
    assert _actual_hours(tenant, work_order_id) == 0
    assert _actual_hours(tenant, elsewhere) == 0.5


@pytest.fixture
def clients(live_url: str) -> Iterator[list[httpx.Client]]:
    opened = [httpx.Client(base_url=live_url, timeout=30) for _ in range(6)]
    yield opened
    for client in opened:
        client.close()


def test_concurrent_corrections_one_wins(tenant: Tenant, clients: list[httpx.Client]) -> None:
    work_order_id = tenant.create_work_order()["id"]
    original = _labor(tenant, work_order_id, 60)
    headers = tenant.headers()

    def correct(client: httpx.Client) -> int:
        body = {"kind": "labor", "minutes": 30, "correctsEntryId": original["id"]}
        return client.post(_entries_url(work_order_id), json=body, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        statuses = sorted(pool.map(correct, clients))
    assert statuses == [201] + [409] * (len(clients) - 1)
    assert _actual_hours(tenant, work_order_id) == 0.5


def test_concurrent_labor_adds_up(tenant: Tenant, clients: list[httpx.Client]) -> None:
    work_order_id = tenant.create_work_order()["id"]
    headers = tenant.headers()

    def log(i: int) -> int:
        body = {"kind": "labor", "minutes": 10}
        client = clients[i % len(clients)]
        return client.post(_entries_url(work_order_id), json=body, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        statuses = list(pool.map(log, range(18)))
    assert statuses == [201] * 18
    assert _actual_hours(tenant, work_order_id) == 3.0


# ---------------------------------------------------------------- listing, history, absence


def test_list_oldest_first_with_cursor(tenant: Tenant) -> None:
    work_order_id = tenant.create_work_order()["id"]
    ids = [_labor(tenant, work_order_id, i)["id"] for i in range(1, 4)]
    url = _entries_url(work_order_id)
    page = tenant.get(f"{url}?limit=2").json()
    assert [e["id"] for e in page["data"]] == ids[:2]
    assert page["hasMore"] is True
    # An entry appended meanwhile shows up on the later page, nothing repeats.
    later = _labor(tenant, work_order_id, 4)["id"]
    rest = tenant.get(f"{url}?limit=2&cursor={page['nextCursor']}").json()
    assert [e["id"] for e in rest["data"]] == [ids[2], later]
    assert rest["hasMore"] is False
    assert tenant.get(f"{url}?cursor=garbage").json()["code"] == "invalid_cursor"


def test_each_entry_is_recorded_in_the_history(tenant: Tenant, database_urls: DatabaseUrls) -> None:
    work_order_id = tenant.create_work_order()["id"]
    me = tenant.me()
    first = _labor(tenant, work_order_id, 30)
    second = _labor(tenant, work_order_id, 20, correctsEntryId=first["id"])
    with psycopg.connect(_plain(database_urls.admin)) as conn:
        rows = conn.execute(
            "SELECT actor_id, type, changes FROM work_order_events "
            "WHERE work_order_id = %s AND type = 'log_entry_added' ORDER BY id",
            (work_order_id,),
        ).fetchall()
    assert [(str(r[0]), r[1]) for r in rows] == [(me["id"], "log_entry_added")] * 2
    assert rows[0][2] == {
        "logEntryId": {"from": None, "to": first["id"]},
        "kind": {"from": None, "to": "labor"},
    }
    assert rows[1][2]["logEntryId"] == {"from": None, "to": second["id"]}
    assert rows[1][2]["correctsEntryId"] == {"from": None, "to": first["id"]}


def test_missing_or_deleted_work_order_is_404(tenant: Tenant) -> None:
    work_order_id = tenant.create_work_order()["id"]
    entry = _labor(tenant, work_order_id, 5)
    unknown = _entries_url(str(uuid.uuid4()))
    assert tenant.post(unknown, json={"kind": "labor", "minutes": 5}).status_code == 404
    assert tenant.get(unknown).status_code == 404
    assert tenant.get(f"{unknown}/{entry['id']}").status_code == 404
    # An entry is only found under its own work order.
    elsewhere = tenant.create_work_order()["id"]
    assert tenant.get(f"{_entries_url(elsewhere)}/{entry['id']}").status_code == 404
    assert tenant.get(f"{_entries_url(work_order_id)}/{uuid.uuid4()}").status_code == 404

    assert tenant.delete(f"/v1/work-orders/{work_order_id}").status_code == 204
    url = _entries_url(work_order_id)
    gone = tenant.post(url, json={"kind": "labor", "minutes": 5})
    assert gone.status_code == 404
    assert gone.json()["code"] == "not_found"
    assert tenant.get(url).status_code == 404
    assert tenant.get(f"{url}/{entry['id']}").status_code == 404


def test_entries_cannot_be_changed_over_http(tenant: Tenant) -> None:
    work_order_id = tenant.create_work_order()["id"]
    entry = _labor(tenant, work_order_id, 5)
    url = f"{_entries_url(work_order_id)}/{entry['id']}"
    for method in ("PATCH", "DELETE", "PUT"):
        response = tenant.request(method, url, json={"minutes": 1})
        assert response.status_code == 405, method
    assert tenant.get(url).json() == entry


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE work_log_entries SET minutes = 1",
        "DELETE FROM work_log_entries",
    ],
)
def test_entries_are_immutable_in_the_database(
    tenant: Tenant, database_urls: DatabaseUrls, statement: str
) -> None:
    work_order_id = tenant.create_work_order()["id"]
    entry = _labor(tenant, work_order_id, 5)
    with psycopg.connect(_plain(database_urls.app)) as conn:
        conn.execute("SELECT app_set_tenant(%s)", (tenant.id,))
        assert conn.execute("SELECT count(*) FROM work_log_entries").fetchone() == (1,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement)
        conn.rollback()
    assert _listed(tenant, work_order_id) == [entry]


# ---------------------------------------------------------------- cross-tenant


def test_cross_tenant_log_entries(make_tenant: Callable[..., Tenant]) -> None:
    a, b = make_tenant(), make_tenant()
    a_work_order = a.create_work_order()["id"]
    a_entry = _labor(a, a_work_order, 60)
    url = _entries_url(a_work_order)

    # Log on, list, or read A's work order's entries: 404.
    assert b.post(url, json={"kind": "labor", "minutes": 600}).status_code == 404
    assert b.get(url).status_code == 404
    assert b.get(f"{url}/{a_entry['id']}").status_code == 404
    # Correct A's entry from B's own work order: the reference does not exist for B.
    b_work_order = b.create_work_order()["id"]
    corrected = b.post(
        _entries_url(b_work_order),
        json={"kind": "labor", "minutes": 0, "correctsEntryId": a_entry["id"]},
    )
    assert corrected.status_code == 422
    assert [e["pointer"] for e in corrected.json()["errors"]] == ["/correctsEntryId"]
    assert _listed(b, b_work_order) == []

    # A's log and hours are untouched.
    assert _listed(a, a_work_order) == [a_entry]
    assert _actual_hours(a, a_work_order) == 1.0
