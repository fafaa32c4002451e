"""Keyset pagination through 1,000+ rows while another client keeps inserting."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

import psycopg

from tests.conftest import DatabaseUrls, Tenant

SEED = 1_050


def _seed(tenant: Tenant, database_urls: DatabaseUrls, count: int) -> None:
    """Bulk-insert ``count`` work orders as the app role, through RLS (fast, same rules)."""
    with psycopg.connect(database_urls.app.replace("+psycopg", "")) as conn, conn.transaction():
        conn.execute("SELECT app_set_tenant(%s)", (tenant.id,))
        conn.execute(
            """
            INSERT INTO work_orders (tenant_id, id, number, title)
            SELECT NULLIF(current_setting('app.current_tenant', true), '')::uuid,
                   uuid_generate_v7(), n, 'Seeded ' || n
            FROM generate_series(1, %s) AS n
            """,
            (count,),
        )
        conn.execute(
            "INSERT INTO tenant_counters (tenant_id, name, value) VALUES "
            "(NULLIF(current_setting('app.current_tenant', true), '')::uuid, 'work_orders', %s)",
            (count,),
        )


def _walk(tenant: Tenant, sort: str, limit: int) -> tuple[list[str], int]:
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": limit, "sort": sort}
        if cursor:
            params["cursor"] = cursor
        response = tenant.get("/v1/work-orders", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        pages += 1
        seen.extend(w["id"] for w in page["data"])
        assert page["hasMore"] == (page["nextCursor"] is not None)
        if not page["hasMore"]:
            return seen, pages
        cursor = page["nextCursor"]


def test_pagination_with_concurrent_inserts(tenant: Tenant, database_urls: DatabaseUrls) -> None:
    _seed(tenant, database_urls, SEED)
    before = set(_walk(tenant, "createdAt", 200)[0])
    assert len(before) == SEED

    stop = threading.Event()
    inserted: list[str] = []

    def writer() -> None:
        while not stop.is_set() and len(inserted) < 300:
            inserted.append(tenant.create_work_order(title="Concurrent")["id"])

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        for sort in ("-createdAt", "createdAt"):
            seen, pages = _walk(tenant, sort, 37)
            # Each id once, and every row that existed before paging started is there.
            assert len(seen) == len(set(seen)), f"{sort}: a row was repeated"
            assert before <= set(seen), f"{sort}: a row was lost"
            expected = sorted(seen, reverse=sort.startswith("-"))
            assert seen == expected, f"{sort}: not in order"
            assert pages >= SEED // 37
    finally:
        stop.set()
        thread.join()
    assert inserted, "the writer inserted nothing while pages were read"


def _next_cursor(tenant: Tenant, path: str, params: dict[str, Any]) -> str:
    page = tenant.get(path, params={**params, "limit": 1})
    assert page.status_code == 200, page.text
    cursor = page.json()["nextCursor"]
    assert isinstance(cursor, str)
    return cursor


def _assert_invalid_cursor(response: Any) -> None:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "invalid_cursor"


def test_a_cursor_is_bound_to_its_tenant(make_tenant: Callable[..., Tenant]) -> None:
    a, b = make_tenant(), make_tenant()
    for tenant in (a, b):
        for _ in range(3):
            tenant.create_work_order()
    cursor = _next_cursor(a, "/v1/work-orders", {})
    assert a.get("/v1/work-orders", params={"cursor": cursor}).status_code == 200
    _assert_invalid_cursor(b.get("/v1/work-orders", params={"cursor": cursor}))


def test_a_cursor_is_bound_to_its_filters_not_to_the_page_size(tenant: Tenant) -> None:
    for priority in ("low", "low", "low", "high", "high"):
        tenant.create_work_order(priority=priority)
    cursor = _next_cursor(tenant, "/v1/work-orders", {"priority": "low,high"})

    # The same query (list filters in any order), any page size: the next page.
    same = tenant.get(
        "/v1/work-orders", params={"priority": "high,low", "cursor": cursor, "limit": 2}
    )
    assert same.status_code == 200, same.text
    assert len(same.json()["data"]) == 2
    # Other filters, a filter dropped, or another list: refused.
    for path, params in (
        ("/v1/work-orders", {"priority": "low"}),
        ("/v1/work-orders", {}),
        ("/v1/work-orders", {"priority": "low,high", "status": "open"}),
        ("/v1/assets", {}),
        ("/v1/users", {}),
    ):
        _assert_invalid_cursor(tenant.get(path, params={**params, "cursor": cursor}))


def test_a_cursor_is_bound_to_the_resource_it_pages(tenant: Tenant) -> None:
    first, second = tenant.create_work_order(), tenant.create_work_order()
    for work_order in (first, second):
        for status in ("in_progress", "on_hold"):
            response = tenant.patch(f"/v1/work-orders/{work_order['id']}", json={"status": status})
            assert response.status_code == 200, response.text
    cursor = _next_cursor(tenant, f"/v1/work-orders/{first['id']}/events", {})
    ok = tenant.get(f"/v1/work-orders/{first['id']}/events", params={"cursor": cursor})
    assert ok.status_code == 200, ok.text
    _assert_invalid_cursor(
        tenant.get(f"/v1/work-orders/{second['id']}/events", params={"cursor": cursor})
    )


def test_every_sort_pages_through_every_row_once_in_order(tenant: Tenant) -> None:
    # Each sort's keyset (columns, cursor parsers, key values) is declared once: walking
    # every sort with small pages finds each row once, in the sort's order, undated
    # work orders last by due date.
    made = []
    for n in range(7):
        due = None if n % 3 == 0 else f"2026-12-{1 + n % 4:02d}T08:00:00Z"
        made.append(tenant.create_work_order(title=f"Sort {n}", dueAt=due))
    tenant.patch(f"/v1/work-orders/{made[2]['id']}", json={"title": "Touched"})
    rows = {w["id"]: tenant.get(f"/v1/work-orders/{w['id']}").json() for w in made}
    far = "9999-12-31T00:00:00Z"
    expected = {
        "-createdAt": sorted(rows, reverse=True),
        "createdAt": sorted(rows),
        "dueAt": sorted(rows, key=lambda i: (rows[i]["dueAt"] or far, i)),
        "updatedAt": sorted(rows, key=lambda i: (datetime.fromisoformat(rows[i]["updatedAt"]), i)),
    }
    for sort, order in expected.items():
        seen, pages = _walk(tenant, sort, 2)
        assert seen == order, sort
        assert pages == 4, sort


def test_a_cursor_for_another_sort_says_so(tenant: Tenant) -> None:
    for _ in range(3):
        tenant.create_work_order()
    cursor = _next_cursor(tenant, "/v1/work-orders", {"sort": "dueAt"})
    response = tenant.get("/v1/work-orders", params={"sort": "createdAt", "cursor": cursor})
    _assert_invalid_cursor(response)
    assert "another sort order" in response.json()["detail"]
