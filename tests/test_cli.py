"""The `maintrac` console command, run as a real subprocess against the test database."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import jwt
import pytest

from maintrac.core.auth import PERMISSIONS
from tests.conftest import ROOT, DatabaseUrls

_SETTINGS = {
    "DATABASE_URL",
    "MIGRATION_DATABASE_URL",
    "ADMIN_DATABASE_URL",
    "JWT_SECRET",
    "ENVIRONMENT",
    "REDIS_URL",
    "MAINTRAC_DATA_DIR",
    "MAINTRAC_DEBUG",
}


def _run(
    *args: str, env: dict[str, str], cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    # A developer's own .data/dev.env never leaks in unless a test puts one there.
    base = {k: v for k, v in os.environ.items() if k not in _SETTINGS}
    return subprocess.run(
        [sys.executable, "-m", "maintrac.cli", *args],
        env={"MAINTRAC_DATA_DIR": str(Path(cwd or ".") / ".no-dev-env"), **base, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_tenants_create_then_token(database_urls: DatabaseUrls) -> None:
    env = {
        "DATABASE_URL": database_urls.app,
        "MIGRATION_DATABASE_URL": database_urls.owner,
        "JWT_SECRET": "cli-test-secret-0123456789abcdef0123456789",
    }
    created = _run(
        "tenants", "create", "--name", "Acme Plant", "--time-zone", "Europe/Oslo", env=env
    )
    assert created.returncode == 0, created.stderr
    tenant_id = uuid.UUID(created.stdout.strip())

    minted = _run(
        "token",
        "--tenant",
        str(tenant_id),
        "--role",
        "technician",
        "--permission",
        "work_orders:read",
        env=env,
    )
    assert minted.returncode == 0, minted.stderr
    claims = jwt.decode(minted.stdout.strip(), env["JWT_SECRET"], algorithms=["HS256"])
    assert claims["tenantId"] == str(tenant_id)
    assert claims["role"] == "technician"
    assert claims["permissions"] == ["work_orders:read"]

    defaults = _run("token", "--tenant", str(tenant_id), "--role", "admin", env=env)
    claims = jwt.decode(defaults.stdout.strip(), env["JWT_SECRET"], algorithms=["HS256"])
    assert set(claims["permissions"]) == PERMISSIONS


def test_bad_time_zone_is_refused(database_urls: DatabaseUrls) -> None:
    env = {"MIGRATION_DATABASE_URL": database_urls.owner}
    result = _run("tenants", "create", "--name", "X", "--time-zone", "Mars/Olympus", env=env)
    assert result.returncode != 0
    assert "unknown time zone" in result.stderr


def test_db_lint_passes_on_the_migrated_schema(database_urls: DatabaseUrls) -> None:
    result = _run("db", "lint", "--database-url", database_urls.owner, env={})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "follows the database conventions" in result.stdout


def test_commands_read_the_settings_make_dev_wrote(
    database_urls: DatabaseUrls, tmp_path: Path
) -> None:
    data = tmp_path / ".data"
    data.mkdir()
    (data / "dev.env").write_text(
        "# written by maintrac dev\n"
        "ENVIRONMENT=development\n"
        f"DATABASE_URL={database_urls.app}\n"
        f"MIGRATION_DATABASE_URL={database_urls.owner}\n"
    )
    env = {"MAINTRAC_DATA_DIR": str(data), "PYTHONPATH": str(ROOT / "src")}
    created = _run("tenants", "create", "--name", "Dev Env Plant", env=env, cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    tenant_id = uuid.UUID(created.stdout.strip())
    assert f"settings from {data / 'dev.env'}" in created.stderr

    # ENVIRONMENT=development from the file: the built-in development secret signs tokens.
    minted = _run("token", "--tenant", str(tenant_id), "--role", "viewer", env=env, cwd=tmp_path)
    assert minted.returncode == 0, minted.stderr
    assert jwt.decode(minted.stdout.strip(), options={"verify_signature": False})["tenantId"] == (
        str(tenant_id)
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("tenants", "create", "--name", "X"), "Run `make dev` once"),
        (("migrate",), "Run `make dev` once"),
        (("token", "--tenant", str(uuid.UUID(int=5)), "--role", "admin"), "JWT_SECRET is not set"),
    ],
)
def test_failures_are_one_line_with_the_fix(
    args: tuple[str, ...], expected: str, tmp_path: Path
) -> None:
    nowhere = "postgresql+psycopg://maintrac_owner@127.0.0.1:1/maintrac"
    result = _run(
        *args, env={"MIGRATION_DATABASE_URL": nowhere, "DATABASE_URL": nowhere}, cwd=tmp_path
    )
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert lines[0].startswith("maintrac: error: ")
    assert expected in lines[0]


def test_worker_flags_pass_through_to_celery() -> None:
    result = _run("worker", "--help", env={})
    assert result.returncode == 0, result.stderr
    assert "--concurrency" in result.stdout
    assert "--queues" in result.stdout
