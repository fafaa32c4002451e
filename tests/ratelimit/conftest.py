"""The app with rate limits on, served by a real uvicorn, against a private redis-server.

Tenants are provisioned before the app is built, so the settings can put one of them on a
plan of its own (plans are read at start-up). The quotas are small and their windows long
(a unit comes back every 6-10 s), so a slow machine cannot refill a quota mid-test; the
"fast" plan is the one used to watch a quota come back.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import redis
import uvicorn

from maintrac.api.app import create_app
from maintrac.api.security import mint_token
from maintrac.config import Settings
from maintrac.core.auth import PERMISSIONS
from maintrac.db.transaction import Database
from maintrac.services.runtime import Runtime
from maintrac.services.tenants import provision_tenant
from tests.conftest import TEST_SECRET

PLANS = {
    "standard": {"tenant": "5/30", "sub": "3/30"},
    "fast": {"tenant": "2/2", "sub": "2/2"},
}
ANONYMOUS = "3/30"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RedisServer:
    port: int
    directory: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_connect_timeout=2, socket_timeout=2)

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is required (Debian: apt-get install redis-server)"
        self.process = subprocess.Popen(
            [
                *(binary, "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.directory)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                if self.client().ping():
                    return
            except redis.RedisError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("redis-server did not answer")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def freeze(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(free_port(), tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@dataclass(frozen=True)
class Caller:
    """A token of one subject in one tenant."""

    http: httpx.Client
    tenant_id: uuid.UUID
    subject: str

    def get(self, path: str = "/v1/work-orders") -> httpx.Response:
        token = mint_token(
            TEST_SECRET,
            subject=self.subject,
            tenant_id=self.tenant_id,
            role="admin",
            permissions=sorted(PERMISSIONS),
        )
        return self.http.get(path, headers={"Authorization": f"Bearer {token}"})


@dataclass
class Limited:
    url: str
    http: httpx.Client
    tenants: list[uuid.UUID]
    fast_tenant: uuid.UUID
    redis: RedisServer

    def caller(self, tenant_id: uuid.UUID, subject: str | None = None) -> Caller:
        return Caller(self.http, tenant_id, subject or str(uuid.uuid4()))


@pytest.fixture(scope="module")
def limited(
    settings: Settings, runtime: Runtime, owner_db: Database, redis_server: RedisServer
) -> Iterator[Limited]:
    tenants = [provision_tenant(owner_db, f"Limited {i}", "UTC") for i in range(6)]
    fast = provision_tenant(owner_db, "Limited fast", "UTC")
    app_settings = settings.model_copy(
        update={
            "rate_limits_enabled": True,
            "rate_limit_redis_url": redis_server.url,
            "rate_limit_plans": PLANS,
            "rate_limit_tenant_plans": {str(fast): "fast"},
            "rate_limit_anonymous": ANONYMOUS,
            "rate_limit_retry_seconds": 0.5,
        }
    )
    app = create_app(app_settings, runtime)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    url = f"http://127.0.0.1:{port}"
    with httpx.Client(base_url=url, timeout=30) as http:
        yield Limited(url, http, tenants, fast, redis_server)
    server.should_exit = True
    thread.join(timeout=10)
