"""The TypeScript SDK (clients/typescript) end to end against the live server: tsc compiles
the SDK and its test (clients/typescript/test/e2e.test.ts, type-checked against the
contract), then Node's test runner runs it with the API root and a fresh tenant's token
in its environment. The scenario is the Python SDK's: create, page to the end, change
status, and a 409 problem as a typed ApiProblem.

It needs Node.js 20+ and `npm ci` in clients/typescript (`make sdk-tools`; CI runs
scripts/ci/install-sdk-tools.sh). Without them it is skipped, except in CI, where it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, Tenant

TS_DIR = ROOT / "clients" / "typescript"
TSC = TS_DIR / "node_modules" / ".bin" / "tsc"


def _need(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def _run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=TS_DIR, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_typescript_sdk_e2e(live_url: str, tenant: Tenant) -> None:
    node = shutil.which("node")
    _need(node is not None, "Node.js is not installed")
    _need(TSC.exists(), "clients/typescript has no node_modules: run 'make sdk-tools'")
    assert node is not None

    build = _run([str(TSC), "-p", "."])
    assert build.returncode == 0, f"tsc failed:\n{build.stdout}{build.stderr}"

    env = {
        **os.environ,
        "MAINTRAC_BASE_URL": f"{live_url}/v1",
        "MAINTRAC_TOKEN": tenant.token(ttl=600),
        "NO_COLOR": "1",
    }
    test_file = Path("build") / "test" / "e2e.test.js"
    result = _run([node, "--test", "--test-reporter=spec", str(test_file)], env=env)
    assert result.returncode == 0, f"node --test failed:\n{result.stdout}{result.stderr}"
    summary = result.stdout.splitlines()
    assert any(line.endswith("pass 1") for line in summary), result.stdout
    assert any(line.endswith("fail 0") for line in summary), result.stdout
