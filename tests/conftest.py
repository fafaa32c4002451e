"""Shared fixtures: a real PostgreSQL built by the real migrations, the app served over
real HTTP by uvicorn, and tenants with tokens.

The database is created once per test session (``maintrac_test_<random>``) on the
server at ``TEST_ADMIN_DATABASE_URL`` (default: postgres on 127.0.0.1:5432), or on an
embedded cluster in ``.data/test`` when none is reachable. The app connects as the
non-owner ``maintrac_app`` role, so RLS applies exactly as in production. Tests isolate
by tenant: each one makes fresh tenants, which RLS keeps apart from every other test's.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

from maintrac.api.app import create_app
from maintrac.api.http_protocol import CoalescingHttpToolsProtocol
from maintrac.api.security import mint_token
from maintrac.cli.devenv import find_or_start
from maintrac.config import Settings
from maintrac.core.auth import PERMISSIONS
from maintrac.db.bootstrap import drop_database, ensure_roles_and_database, migrate, role_urls
from maintrac.db.engine import make_engine
from maintrac.db.transaction import Database
from maintrac.services.runtime import Runtime, open_runtime
from maintrac.services.tenants import provision_tenant

TEST_SECRET = "maintrac-test-secret-0123456789abcdef-0123456789"
ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class DatabaseUrls:
    admin: str
    owner: str
    app: str
    name: str


def _render(url: Any) -> str:
    return str(url.render_as_string(hide_password=False))


@pytest.fixture(scope="session")
def database_urls() -> Iterator[DatabaseUrls]:
    admin = os.environ.get(
        "TEST_ADMIN_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    server = find_or_start(admin, ROOT / ".data" / "test")
    name = f"maintrac_test_{uuid.uuid4().hex[:12]}"
    ensure_roles_and_database(server.admin_url, name)
    owner, app = role_urls(server.admin_url, name)
    migrate(_render(owner))
    admin_db = _render(owner.set(username="postgres"))
    yield DatabaseUrls(admin=admin_db, owner=_render(owner), app=_render(app), name=name)
    drop_database(server.admin_url, name)


@pytest.fixture(scope="session")
def settings(database_urls: DatabaseUrls) -> Settings:
    return Settings(
        environment="test",
        database_url=database_urls.app,
        migration_database_url=database_urls.owner,
        admin_database_url=database_urls.admin,
        jwt_secret=TEST_SECRET,
        validate_responses=True,
        database_pool_size=5,
        # Tests that exercise the cache point it at a Redis of their own.
        cache_enabled=False,
    )


@pytest.fixture(scope="session")
def runtime(settings: Settings) -> Iterator[Runtime]:
    rt = open_runtime(settings)
    yield rt
    rt.close()


@pytest.fixture(scope="session")
def owner_db(database_urls: DatabaseUrls) -> Iterator[Database]:
    db = Database(make_engine(database_urls.owner, pool_size=2))
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def app(settings: Settings, runtime: Runtime) -> Starlette:
    return create_app(settings, runtime)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_url(app: Starlette) -> Iterator[str]:
    """The app served by a real uvicorn on a loopback port, for the session."""
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="off",
            http=CoalescingHttpToolsProtocol,  # as `maintrac serve` serves it
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def http(live_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_url, timeout=30) as client:
        yield client


@dataclass
class Tenant:
    """A fresh tenant and a way to call the API as one of its users."""

    id: uuid.UUID
    http: httpx.Client
    subject: str = field(default_factory=lambda: str(uuid.uuid4()))

    def token(
        self,
        permissions: list[str] | None = None,
        role: str = "admin",
        subject: str | None = None,
        ttl: int = 600,
    ) -> str:
        return mint_token(
            TEST_SECRET,
            subject=subject or self.subject,
            tenant_id=self.id,
            role=role,
            permissions=sorted(PERMISSIONS) if permissions is None else permissions,
            ttl_seconds=ttl,
        )

    def headers(self, permissions: list[str] | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(permissions)}"}

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers(), **kwargs.pop("headers", {})}
        return self.http.request(method, url, headers=headers, **kwargs)

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def patch(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("PATCH", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", url, **kwargs)

    def create(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST ``body`` to ``path`` and return the created resource (asserting 201)."""
        response = self.post(path, json=body)
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    def create_work_order(self, **fields: Any) -> dict[str, Any]:
        return self.create("/v1/work-orders", {"title": "Check pump P-101", **fields})

    def create_user(self, **fields: Any) -> dict[str, Any]:
        return self.create("/v1/users", {"displayName": "Alex Fitter", **fields})

    def me(self) -> dict[str, Any]:
        """The calling user's record (created on its first request)."""
        response = self.get("/v1/users/me")
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
def make_tenant(owner_db: Database, http: httpx.Client) -> Callable[..., Tenant]:
    def make(name: str = "Test Plant", time_zone: str = "UTC") -> Tenant:
        return Tenant(id=provision_tenant(owner_db, name, time_zone), http=http)

    return make


@pytest.fixture
def tenant(make_tenant: Callable[..., Tenant]) -> Tenant:
    return make_tenant()
