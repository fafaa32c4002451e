"""Work orders over real HTTP: the full lifecycle and the contract's promises."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import psycopg
import pytest

from tests.conftest import DatabaseUrls, Tenant

PROBLEM = "application/problem+json"


def test_create_returns_201_location_and_numbers_per_tenant(
    make_tenant: Callable[..., Tenant],
) -> None:
    a, b = make_tenant(), make_tenant()
    first = a.post("/v1/work-orders", json={"title": "Replace belt", "priority": "high"})
    assert first.status_code == 201
    body = first.json()
    assert first.headers["location"] == f"/v1/work-orders/{body['id']}"
    assert first.headers["content-type"] == "application/json"
    assert uuid.UUID(body["id"]).version == 7
    assert body["number"] == 1
    assert body["status"] == "open"
    assert body["priority"] == "high"
    assert body["createdAt"].endswith("Z")
    assert a.create_work_order()["number"] == 2
    # Numbers are per tenant: another tenant starts at 1.
    assert b.create_work_order()["number"] == 1


def test_defaults_and_utc_normalisation(tenant: Tenant) -> None:
    body = tenant.create_work_order(dueAt="2026-12-01T10:00:00+02:00", title="  Padded title ")
    assert body["dueAt"] == "2026-12-01T08:00:00Z"
    assert body["title"] == "Padded title"
    assert body["priority"] == "medium"
    assert body["description"] is None
    assert body["completedAt"] is None


def test_get_patch_and_clear_fields(tenant: Tenant) -> None:
    created = tenant.create_work_order(description="Noisy bearing", dueAt="2026-12-01T08:00:00Z")
    url = f"/v1/work-orders/{created['id']}"
    assert tenant.get(url).json() == created

    patched = tenant.patch(url, json={"description": None, "dueAt": None, "priority": "urgent"})
    assert patched.status_code == 200
    body = patched.json()
    assert body["description"] is None
    assert body["dueAt"] is None
    assert body["priority"] == "urgent"
    assert body["title"] == created["title"]
    assert body["updatedAt"] > created["updatedAt"]
    assert tenant.get(url).json() == body


def test_complete_sets_completed_at_and_is_final(tenant: Tenant) -> None:
    url = f"/v1/work-orders/{tenant.create_work_order()['id']}"
    assert tenant.patch(url, json={"status": "in_progress"}).json()["status"] == "in_progress"
    done = tenant.patch(url, json={"status": "complete"}).json()
    assert done["status"] == "complete"
    assert done["completedAt"] is not None

    refused = tenant.patch(url, json={"status": "in_progress"})
    assert refused.status_code == 409
    assert refused.headers["content-type"] == PROBLEM
    problem = refused.json()
    assert problem["type"] == "/problems/invalid-status-transition"
    assert problem["allowedStatuses"] == []
    assert "complete" in problem["detail"]
    # Nothing changed.
    assert tenant.get(url).json() == done


def test_illegal_change_names_allowed_states(tenant: Tenant) -> None:
    url = f"/v1/work-orders/{tenant.create_work_order()['id']}"
    tenant.patch(url, json={"status": "on_hold"})
    refused = tenant.patch(url, json={"status": "complete", "title": "Would be lost"})
    assert refused.status_code == 409
    assert refused.json()["allowedStatuses"] == ["open", "in_progress", "cancelled"]
    assert tenant.get(url).json()["title"] != "Would be lost"


def test_same_status_is_no_change(tenant: Tenant) -> None:
    created = tenant.create_work_order()
    url = f"/v1/work-orders/{created['id']}"
    same = tenant.patch(url, json={"status": "open"})
    assert same.status_code == 200
    assert same.json() == created


def test_delete_is_soft(tenant: Tenant, database_urls: DatabaseUrls) -> None:
    created = tenant.create_work_order()
    url = f"/v1/work-orders/{created['id']}"
    assert tenant.delete(url).status_code == 204
    assert tenant.get(url).status_code == 404
    assert tenant.patch(url, json={"title": "x"}).status_code == 404
    assert tenant.delete(url).status_code == 404
    listed = tenant.get("/v1/work-orders").json()["data"]
    assert created["id"] not in [w["id"] for w in listed]
    # The row is still there, marked deleted (read as the superuser, which bypasses RLS).
    with psycopg.connect(database_urls.admin.replace("+psycopg", "")) as conn:
        row = conn.execute(
            "SELECT deleted_at FROM work_orders WHERE id = %s", (created["id"],)
        ).fetchone()
    assert row is not None
    assert row[0] is not None
    # Its number is never reused.
    assert tenant.create_work_order()["number"] == created["number"] + 1


def _ids(tenant: Tenant, query: str) -> list[str]:
    response = tenant.get(f"/v1/work-orders?{query}")
    assert response.status_code == 200, response.text
    return [w["id"] for w in response.json()["data"]]


def test_filters_by_status_and_assignee(tenant: Tenant) -> None:
    alice, bob = tenant.create_user()["id"], tenant.create_user()["id"]
    a_open = tenant.create_work_order(assigneeId=alice)["id"]
    b_open = tenant.create_work_order(assigneeId=bob)["id"]
    a_hold = tenant.create_work_order(assigneeId=alice)["id"]
    tenant.patch(f"/v1/work-orders/{a_hold}", json={"status": "on_hold"})
    nobody = tenant.create_work_order()["id"]

    assert _ids(tenant, "status=open") == [nobody, b_open, a_open]
    assert _ids(tenant, "status=on_hold") == [a_hold]
    assert _ids(tenant, "status=open&status=on_hold") == [nobody, a_hold, b_open, a_open]
    assert _ids(tenant, f"assigneeId={alice}") == [a_hold, a_open]
    assert _ids(tenant, f"assigneeId={alice}&status=open") == [a_open]
    assert _ids(tenant, "status=complete") == []
    assert _ids(tenant, "sort=createdAt") == [a_open, b_open, a_hold, nobody]


def test_list_envelope_and_limit(tenant: Tenant) -> None:
    for _ in range(3):
        tenant.create_work_order()
    page = tenant.get("/v1/work-orders?limit=2").json()
    assert set(page) == {"data", "nextCursor", "hasMore"}
    assert len(page["data"]) == 2
    assert page["hasMore"] is True
    last = tenant.get(f"/v1/work-orders?limit=2&cursor={page['nextCursor']}").json()
    assert len(last["data"]) == 1
    assert last == {"data": last["data"], "nextCursor": None, "hasMore": False}


@pytest.mark.parametrize(
    ("query", "pointer"),
    [
        ("limit=0", "#/query/limit"),
        ("limit=201", "#/query/limit"),
        ("limit=abc", "#/query/limit"),
        ("status=done", "#/query/status"),
        ("assigneeId=42", "#/query/assigneeId"),
        ("sort=title", "#/query/sort"),
        ("color=red", "#/query/color"),
    ],
)
def test_bad_parameters_are_400_with_pointers(tenant: Tenant, query: str, pointer: str) -> None:
    response = tenant.get(f"/v1/work-orders?{query}")
    assert response.status_code == 400
    problem = response.json()
    assert problem["code"] == "invalid_parameter"
    assert [e["pointer"] for e in problem["errors"]] == [pointer]
    assert "jsonschema" not in response.text
    assert "Failed validating" not in response.text


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, [("/title", "Is required.")]),
        ({"title": "x" * 201}, [("/title", "Must be at most 200 characters long.")]),
        ({"title": "   "}, [("/title", "Must not be blank.")]),
        ({"title": "ok", "status": "open"}, [("/status", "Is not a field of this object.")]),
        (
            {"title": "ok", "priority": "p1"},
            [("/priority", "Must be one of: low, medium, high, urgent.")],
        ),
        ({"title": "ok", "dueAt": "tomorrow"}, [("/dueAt", "Must be a valid date-time.")]),
        (
            {"title": "ok", "dueAt": "2026-12-01T10:00:00"},
            [("/dueAt", "Must be a valid date-time.")],
        ),
        ({"title": "ok", "assigneeId": "not-a-uuid"}, [("/assigneeId", "Must be a valid uuid.")]),
        ({"title": 5}, [("/title", "Must be a string.")]),
        ([], [("", "Must be an object.")]),
    ],
)
def test_invalid_bodies_are_422_with_every_field(
    tenant: Tenant, body: Any, errors: list[tuple[str, str]]
) -> None:
    response = tenant.post("/v1/work-orders", json=body)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "validation_failed"
    assert [(e["pointer"], e["detail"]) for e in problem["errors"]] == errors
    # Nothing was created.
    assert tenant.get("/v1/work-orders").json()["data"] == []


def test_patch_needs_at_least_one_field(tenant: Tenant) -> None:
    url = f"/v1/work-orders/{tenant.create_work_order()['id']}"
    response = tenant.patch(url, json={})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"pointer": "", "detail": "Must have at least 1 field."}]


def test_malformed_json_is_400(tenant: Tenant) -> None:
    response = tenant.post(
        "/v1/work-orders", content=b'{"title": ', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_body"
    empty = tenant.post(
        "/v1/work-orders", content=b"", headers={"Content-Type": "application/json"}
    )
    assert empty.status_code == 400
    assert empty.json()["detail"] == "A JSON request body is required."
