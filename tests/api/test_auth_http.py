"""Authentication and permissions at the HTTP edge, as the spec declares them."""

from __future__ import annotations

import base64
import json
import re
import time
from typing import Any

import httpx
import jwt
import pytest

from maintrac.api.contract import Contract
from maintrac.core.auth import PERMISSIONS
from tests.conftest import TEST_SECRET, Tenant

CONTRACT = Contract.load()
SPEC = CONTRACT.spec
WORK_ORDER_ID = "01a21287-8dcf-7d18-8450-95d76b8bdd77"

OPERATIONS = [
    (op.method, CONTRACT.base_path + op.path, op.operation_id, op.permissions) for op in CONTRACT
]


#: Operations any valid token may call (the caller's own record).
TOKEN_ONLY = {"getCurrentUser", "updateCurrentUser"}


def _call(tenant: Tenant, method: str, path: str, headers: dict[str, str]) -> httpx.Response:
    url = re.sub(r"\{[A-Za-z]+\}", WORK_ORDER_ID, path)
    body = {"title": "x"} if method in ("POST", "PATCH") else None
    return tenant.http.request(method, url, headers=headers, json=body)


def test_every_operation_declares_bearer_auth_and_permissions() -> None:
    assert SPEC["security"] == [{"bearerAuth": []}]
    for method, path, op_id, permissions in OPERATIONS:
        assert permissions or op_id in TOKEN_ONLY, f"{method} {path} ({op_id}) declares none"


@pytest.mark.parametrize(("method", "path", "op_id", "permissions"), OPERATIONS)
def test_operation_requires_its_declared_permissions(
    tenant: Tenant, method: str, path: str, op_id: str, permissions: tuple[str, ...]
) -> None:
    # Without a token: 401 with a challenge.
    anonymous = _call(tenant, method, path, {})
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
    assert anonymous.headers["content-type"] == "application/problem+json"

    # With every permission but the declared ones: 403 naming what is missing.
    if permissions:
        others = sorted(set(tenant_permissions()) - set(permissions))
        denied = _call(tenant, method, path, {"Authorization": f"Bearer {tenant.token(others)}"})
        assert denied.status_code == 403, denied.text
        problem = denied.json()
        assert problem["code"] == "permission_denied"
        assert problem["missing"] == sorted(permissions)

    # With exactly the declared ones: past authorization (the ids are made up: 404 or 422).
    allowed = _call(
        tenant, method, path, {"Authorization": f"Bearer {tenant.token(list(permissions))}"}
    )
    assert allowed.status_code not in (401, 403), allowed.text
    assert allowed.status_code < 500, allowed.text


def tenant_permissions() -> list[str]:
    return sorted(PERMISSIONS)


def _token(tenant: Tenant, **overrides: Any) -> str:
    claims: dict[str, Any] = {
        "sub": "user-1",
        "tenantId": str(tenant.id),
        "role": "admin",
        "permissions": ["work_orders:read"],
        "exp": int(time.time()) + 600,
    }
    claims.update(overrides)
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, TEST_SECRET, "HS256")


def _unsigned(tenant: Tenant) -> str:
    """A well-formed token with ``alg: none`` and no signature."""

    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    claims = jwt.decode(_token(tenant), options={"verify_signature": False})
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("expired", lambda t: _token(t, exp=int(time.time()) - 3600)),
        ("wrong key", lambda _: jwt.encode({"sub": "x"}, "another-secret-" * 4, "HS256")),
        ("alg none", _unsigned),
        ("no tenant", lambda t: _token(t, tenantId=None)),
        ("bad tenant", lambda t: _token(t, tenantId="not-a-uuid")),
        ("no permissions", lambda t: _token(t, permissions=None)),
        ("garbage", lambda _: "not.a.jwt"),
    ],
)
def test_bad_tokens_are_401_problems(tenant: Tenant, name: str, make: Any) -> None:
    response = tenant.http.get(
        "/v1/work-orders", headers={"Authorization": f"Bearer {make(tenant)}"}
    )
    assert response.status_code == 401, name
    problem = response.json()
    assert problem["type"] == "/problems/unauthenticated"
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    assert "Traceback" not in problem["detail"]


def test_other_auth_schemes_are_401(tenant: Tenant) -> None:
    response = tenant.http.get("/v1/work-orders", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert response.status_code == 401


def test_public_routes_need_no_token(http: httpx.Client) -> None:
    for path in ("/healthz", "/readyz", "/v1/openapi.json", "/v1/openapi.yaml", "/v1/docs/"):
        assert http.get(path).status_code == 200, path
