"""Content that gave 500s in the drills: each is now a 4xx problem with a pointer.

Dates at the calendar's edge (valid RFC 3339, but outside what a UTC instant can hold),
JSON nested 10,000 deep, a 5,000-digit number, a validly signed token whose ``sub`` or
``name`` holds NUL or an unpaired surrogate, and a POST without ``Content-Type``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import jwt
import pytest

from maintrac.core.auth import PERMISSIONS
from tests.conftest import TEST_SECRET, Tenant

EDGE_DATES = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"]
JSON = {"Content-Type": "application/json"}


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert "Traceback" not in response.text
    return body


def _pointers(body: dict[str, Any]) -> list[str]:
    return [e["pointer"] for e in body.get("errors", [])]


@pytest.mark.parametrize("when", EDGE_DATES)
def test_dates_at_the_calendar_edge_are_422_on_create_and_update(tenant: Tenant, when: str) -> None:
    body = _problem(tenant.post("/v1/work-orders", json={"title": "Edge", "dueAt": when}), 422)
    assert _pointers(body) == ["/dueAt"]
    created = tenant.create_work_order()
    patched = tenant.patch(f"/v1/work-orders/{created['id']}", json={"dueAt": when})
    assert _pointers(_problem(patched, 422)) == ["/dueAt"]


@pytest.mark.parametrize("when", EDGE_DATES)
def test_dates_at_the_calendar_edge_are_compared_exactly_in_query_parameters(
    tenant: Tenant, when: str
) -> None:
    """A bound is not stored: it is compared as given (tests/api/test_pm_plans.py too)."""
    tenant.create_work_order()
    response = tenant.get("/v1/work-orders", params={"updatedSince": when})
    assert response.status_code == 200, response.text
    assert bool(response.json()["data"]) is when.startswith("0001")


def test_the_latest_and_earliest_representable_dates_are_accepted(tenant: Tenant) -> None:
    for when in ("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"):
        created = tenant.post("/v1/work-orders", json={"title": "Edge", "dueAt": when})
        assert created.status_code == 201, created.text


@pytest.mark.parametrize("path", ["/v1/work-orders", "/v1/sync/push"])
def test_json_nested_10000_deep_is_a_problem(tenant: Tenant, path: str) -> None:
    deep = "[" * 10_000 + "]" * 10_000
    raw = '{"title": ' + deep + "}" if path == "/v1/work-orders" else '{"changes": ' + deep + "}"
    body = _problem(tenant.post(path, content=raw, headers=JSON), 400)
    assert body["code"] == "malformed_body"
    assert _pointers(body) == [""]


@pytest.mark.parametrize("depth", [200, 900])
def test_json_nested_a_few_hundred_deep_is_a_problem_with_a_pointer(
    tenant: Tenant, depth: int
) -> None:
    """Deep enough for the validators' recursion, not for the parser's."""
    raw = '{"title": "x", "description": ' + "[" * depth + "]" * depth + "}"
    body = _problem(tenant.post("/v1/work-orders", content=raw, headers=JSON), 422)
    assert _pointers(body)[0].startswith("/description")


def test_a_5000_digit_number_is_422_with_a_pointer(tenant: Tenant) -> None:
    raw = '{"title": "Big", "estimatedHours": ' + "9" * 5000 + "}"
    body = _problem(tenant.post("/v1/work-orders", content=raw, headers=JSON), 422)
    assert _pointers(body) == ["/estimatedHours"]
    raw = '{"title": "Big", "estimatedHours": 1' + "0" * 400 + ".5}"
    assert _pointers(_problem(tenant.post("/v1/work-orders", content=raw, headers=JSON), 422)) == [
        "/estimatedHours"
    ]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_numbers_are_422(tenant: Tenant, literal: str) -> None:
    raw = '{"title": "Big", "estimatedHours": ' + literal + "}"
    body = _problem(tenant.post("/v1/work-orders", content=raw, headers=JSON), 422)
    assert _pointers(body) == ["/estimatedHours"]


def _signed(tenant: Tenant, **claims: Any) -> str:
    payload = {
        "sub": tenant.subject,
        "tenantId": str(tenant.id),
        "role": "admin",
        "permissions": sorted(PERMISSIONS),
        "exp": 4_102_444_800,
        **claims,
    }
    # PyJWT encodes with ensure_ascii, so a lone surrogate travels as "\\ud800" in the JSON.
    return jwt.encode(payload, TEST_SECRET, algorithm="HS256")


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "user\x00one"},
        {"sub": "user\ud800"},
        {"name": "Alex\x00"},
        {"name": "Alex \udc00 Fitter"},
        {"email": "a\x00@example.com"},
        {"role": "admin\ud800"},
    ],
    ids=["sub-nul", "sub-surrogate", "name-nul", "name-surrogate", "email-nul", "role-surrogate"],
)
def test_token_claims_with_nul_or_lone_surrogates_are_401(
    tenant: Tenant, claims: dict[str, str]
) -> None:
    token = _signed(tenant, **claims)
    response = tenant.http.get("/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    body = _problem(response, 401)
    assert body["reason"] == "invalid_claim"
    assert body["claim"] == next(iter(claims))


def test_post_without_content_type_is_415(tenant: Tenant) -> None:
    raw = json.dumps({"title": "No type"}).encode()
    response = tenant.http.post("/v1/work-orders", content=raw, headers=tenant.headers())
    assert "content-type" not in {k.lower() for k in response.request.headers}
    assert _problem(response, 415)["code"] == "unsupported_media_type"
    empty = tenant.http.post("/v1/work-orders", headers=tenant.headers())
    assert _problem(empty, 415)["code"] == "unsupported_media_type"


def test_an_unpaired_surrogate_in_a_body_is_a_422_with_its_pointer(
    make_tenant: Callable[..., Tenant],
) -> None:
    """JSON's \\ud800 escape decodes to a lone surrogate, which is not text: UTF-8 cannot
    encode it, so the database could not store it (a 500 before this was checked)."""
    tenant = make_tenant()
    raw = b'{"title": "Pump \\ud800 check", "description": "fine"}'
    response = tenant.post(
        "/v1/work-orders", content=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["errors"][0]["pointer"] == "/title"
    assert "surrogate" in body["errors"][0]["detail"]
    push = tenant.post(
        "/v1/sync/push",
        content=b'{"lastPulledAt": 1, "changes": {"work_orders": {"created": [], "updated":'
        b' [], "deleted": ["\\udfff"]}}}',
        headers={"Content-Type": "application/json"},
    )
    assert push.status_code in (400, 422), push.text
