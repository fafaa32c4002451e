"""Real processes for the job-layer tests: a private redis-server on a free port, and
``maintrac worker`` / ``beat`` / ``relay`` subprocesses against it and the test database.

Nothing here runs a task in-process or fakes the broker.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import redis
from sqlalchemy import text

from maintrac.cli.devenv import find_or_start
from maintrac.config import Settings
from maintrac.db.bootstrap import drop_database, ensure_roles_and_database, migrate, role_urls
from maintrac.db.transaction import Database
from maintrac.services import outbox
from maintrac.services.runtime import Runtime
from tests.conftest import ROOT, TEST_SECRET, DatabaseUrls


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(predicate: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.2)


@dataclass
class RedisServer:
    port: int
    directory: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_connect_timeout=2)

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is required (Debian: apt-get install redis-server)"
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, 10, "redis-server to answer")

    def _answers(self) -> bool:
        try:
            return bool(self.client().ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def queue_length(self, queue: str = "default") -> int:
        return int(self.client().llen(queue))


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(free_port(), tmp_path)
    server.start()
    yield server
    server.stop()


@dataclass
class Processes:
    """``maintrac`` subprocesses, each in its own process group, all stopped at the end."""

    env: dict[str, str]
    logs: Path
    started: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, *args: str, **env: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{args[0]}-{len(self.started)}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "maintrac.cli", *args],
            env={**self.env, **env},
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started.append(process)
        return process

    def worker(self, name: str, *extra: str, **env: str) -> subprocess.Popen[bytes]:
        return self.start(
            "worker",
            "--concurrency",
            "1",
            "--hostname",
            f"{name}@%h",
            "--without-gossip",
            "--without-mingle",
            *extra,
            **env,
        )

    @staticmethod
    def kill(process: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        """Signal the whole group (a prefork worker's children too)."""
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        process.wait(timeout=30)

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill(process)

    def log_text(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-4000:]}"
            for path in sorted(self.logs.glob("*.log"))
        )


@pytest.fixture
def processes(
    redis_server: RedisServer, database_urls: DatabaseUrls, tmp_path: Path
) -> Iterator[Processes]:
    env = {
        **os.environ,
        "ENVIRONMENT": "test",
        "DATABASE_URL": database_urls.app,
        "MIGRATION_DATABASE_URL": database_urls.owner,
        "REDIS_URL": redis_server.url,
        "JWT_SECRET": TEST_SECRET,
        "JOBS_EXTRA_TASK_MODULES": "tests.jobs.probe_tasks",
        "JOBS_MAX_RETRIES": "2",
        "JOBS_RETRY_BACKOFF": "1",
        "OUTBOX_POLL_SECONDS": "1",
        "DATABASE_POOL_SIZE": "2",
        "LOG_LEVEL": "INFO",
        # No developer's .data/dev.env leaks into the tests.
        "MAINTRAC_DATA_DIR": str(tmp_path / "data"),
    }
    logs = tmp_path / "logs"
    logs.mkdir()
    procs = Processes(env, logs)
    yield procs
    procs.stop_all()


@pytest.fixture
def app_db(runtime: Runtime) -> Database:
    return runtime.database


def enqueue(db: Database, tenant_id: uuid.UUID, task: str, **args: Any) -> uuid.UUID:
    with db.tenant_transaction(tenant_id) as session:
        return outbox.enqueue(session, task, args)


def count_titled(db: Database, tenant_id: uuid.UUID, title: str) -> int:
    with db.tenant_transaction(tenant_id) as session:
        return int(
            session.execute(
                text("SELECT count(*) FROM work_orders WHERE title = :t"), {"t": title}
            ).scalar_one()
        )


def pending_outbox(db: Database, tenant_id: uuid.UUID) -> int:
    with db.tenant_transaction(tenant_id) as session:
        return int(
            session.execute(
                text("SELECT count(*) FROM outbox_messages WHERE published_at IS NULL")
            ).scalar_one()
        )


@pytest.fixture
def job_settings(settings: Settings, redis_server: RedisServer) -> Settings:
    return settings.model_copy(update={"redis_url": redis_server.url})


@pytest.fixture(scope="module")
def private_database() -> Iterator[DatabaseUrls]:
    """A database of its own, for tests whose periodic work fans out to every tenant (the
    session's database holds every other test's tenants)."""
    admin = os.environ.get(
        "TEST_ADMIN_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    server = find_or_start(admin, ROOT / ".data" / "test")
    name = f"maintrac_jobs_{uuid.uuid4().hex[:12]}"
    ensure_roles_and_database(server.admin_url, name)
    owner, app = role_urls(server.admin_url, name)
    owner_url = owner.render_as_string(hide_password=False)
    app_url = app.render_as_string(hide_password=False)
    migrate(owner_url)
    yield DatabaseUrls(admin=server.admin_url, owner=owner_url, app=app_url, name=name)
    drop_database(server.admin_url, name)


@pytest.fixture
def runtime_db(runtime: Runtime) -> Database:
    """The app role's database (RLS applies), as a task gets it."""
    return runtime.database
