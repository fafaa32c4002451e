"""The `maintrac` console command, run as a real subprocess against the test database."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import jwt

from maintrac.core.auth import PERMISSIONS
from tests.conftest import DatabaseUrls


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "maintrac.cli", *args],
        env={**os.environ, **env},
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
