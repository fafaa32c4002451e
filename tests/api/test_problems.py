"""Every layer answers with problem+json, and every problem type is documented."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import httpx
from starlette.testclient import TestClient

from maintrac.api.app import create_app
from maintrac.api.problems import CATALOG
from maintrac.api.security import mint_token
from maintrac.config import Settings
from maintrac.core.errors import ALL_ERRORS
from maintrac.services.runtime import open_runtime
from tests.conftest import Tenant

SPEC_TEXT = (Path(__file__).resolve().parents[2] / "openapi" / "openapi.yaml").read_text()


def test_every_domain_error_has_a_problem_kind() -> None:
    for error in ALL_ERRORS:
        assert error.code in CATALOG, error


def test_every_problem_type_is_documented_in_the_spec() -> None:
    for kind in CATALOG.values():
        assert kind.type in SPEC_TEXT, f"{kind.type} is not documented in openapi.yaml"


def test_problem_pages_explain_each_type(http: httpx.Client) -> None:
    for kind in CATALOG.values():
        page = http.get(f"/problems/{kind.slug}")
        assert page.status_code == 200
        assert kind.title in page.text


def _is_problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = response.json()
    assert {"type", "title", "status", "detail", "instance", "code"} <= set(body)
    assert body["status"] == status
    assert str(body["type"]).startswith("/problems/")
    assert response.headers.get("x-request-id")
    return body


def test_routing_errors(tenant: Tenant) -> None:
    _is_problem(tenant.get("/v1/no-such-thing"), 404)
    _is_problem(tenant.get("/nothing-at-all"), 404)
    _is_problem(tenant.request("PUT", "/v1/work-orders", json={}), 405)
    _is_problem(
        tenant.post(
            "/v1/work-orders",
            content=b"title=x",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
        415,
    )


def test_request_id_is_echoed(tenant: Tenant) -> None:
    response = tenant.get("/v1/work-orders", headers={"X-Request-Id": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"


def test_a_new_request_id_is_a_time_ordered_uuid7(tenant: Tenant) -> None:
    before = int(time.time() * 1000)
    ids = [tenant.get("/v1/work-orders").headers["x-request-id"] for _ in range(3)]
    after = int(time.time() * 1000)
    assert len(set(ids)) == 3
    for text in ids:
        parsed = uuid.UUID(text)
        assert str(parsed) == text
        assert parsed.version == 7
        assert parsed.variant == uuid.RFC_4122
        assert before <= parsed.int >> 80 <= after


def test_unreachable_database_is_a_503_problem_and_readyz_fails(settings: Settings) -> None:
    """With the database unreachable, a request fails cleanly: 503 with Retry-After, no
    stack trace, no dump (tests/faults/ covers the other database faults)."""
    broken = settings.model_copy(
        update={"database_url": "postgresql+psycopg://maintrac_app@127.0.0.1:9/none"}
    )
    runtime = open_runtime(broken)
    app = create_app(broken, runtime)
    token = mint_token(
        broken.effective_jwt_secret() or "",
        subject="u",
        tenant_id=uuid.uuid4(),
        role="admin",
        permissions=["work_orders:read"],
    )
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/v1/work-orders", headers={"Authorization": f"Bearer {token}"})
        body = _is_problem(response, 503)
        assert body["code"] == "service_unavailable"
        assert response.headers["retry-after"].isdigit()
        assert "psycopg" not in response.text
        assert "Traceback" not in response.text
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["code"] == "service_unavailable"
        assert ready.headers["retry-after"].isdigit()


def test_a_nul_in_a_query_parameter_is_one_error(tenant: Tenant) -> None:
    # The schema's pattern and the server's own text check both refuse it: said once.
    response = tenant.get("/v1/task-codes", params={"q": "pu\x00mp"})
    assert response.status_code == 400, response.text
    assert response.json()["errors"] == [
        {"pointer": "#/query/q", "detail": "Must not contain the NUL character (U+0000)."}
    ]
