"""The TypeScript SDK (clients/typescript) end to end against the live server, as an
integrator gets it: ``npm pack`` makes the package's tarball (its ``prepack`` compiles it),
a scratch project installs that tarball, and the test (clients/typescript/test/e2e.test.ts,
with its import of ``../index.js`` pointed at ``@maintrac/client``) is compiled there by tsc
against the installed package's types and run by Node's test runner, with the API root and
a fresh tenant's token in its environment. The scenario is the Python SDK's: create, page
to the end, change status, a 409 problem as a typed ApiProblem, an asset with a meter and a
reading (idempotency key, ETag and a stale If-Match), and a sync pull round trip.

It needs Node.js 20+ and `npm ci` in clients/typescript (`make sdk-tools`; CI runs
scripts/ci/install-sdk-tools.sh). Without them it is skipped, except in CI, where it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, Tenant

TS_DIR = ROOT / "clients" / "typescript"
TSC = TS_DIR / "node_modules" / ".bin" / "tsc"
PACKAGE = json.loads((TS_DIR / "package.json").read_text())


def _need(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def _run(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def _consumer(tmp: Path) -> Path:
    """A scratch project with the packed tarball installed and the e2e test in it."""
    packed = _run(["npm", "pack", "--silent", "--pack-destination", str(tmp)], TS_DIR)
    assert packed.returncode == 0, f"npm pack failed:\n{packed.stdout}{packed.stderr}"
    tarball = tmp / packed.stdout.strip().splitlines()[-1]
    assert tarball.name == f"maintrac-client-{PACKAGE['version']}.tgz", tarball
    project = tmp / "consumer"
    project.mkdir()
    (project / "package.json").write_text(
        json.dumps({"name": "sdk-consumer", "private": True, "type": "module"})
    )
    installed = _run(
        ["npm", "install", "--no-audit", "--no-fund", "--prefer-offline", str(tarball)], project
    )
    assert installed.returncode == 0, f"npm install failed:\n{installed.stdout}{installed.stderr}"
    source = (TS_DIR / "test" / "e2e.test.ts").read_text()
    assert 'from "../index.js"' in source
    (project / "e2e.test.ts").write_text(source.replace('"../index.js"', f'"{PACKAGE["name"]}"'))
    base = json.loads((TS_DIR / "tsconfig.json").read_text())["compilerOptions"]
    options = {
        **base,
        "rootDir": ".",
        "outDir": "build",
        "declaration": False,
        "typeRoots": [str(TS_DIR / "node_modules" / "@types")],
    }
    (project / "tsconfig.json").write_text(
        json.dumps({"compilerOptions": options, "include": ["e2e.test.ts"]})
    )
    return project


def test_typescript_sdk_e2e_from_its_tarball(live_url: str, tenant: Tenant, tmp_path: Path) -> None:
    node = shutil.which("node")
    _need(node is not None and shutil.which("npm") is not None, "Node.js is not installed")
    _need(TSC.exists(), "clients/typescript has no node_modules: run 'make sdk-tools'")
    assert node is not None

    project = _consumer(tmp_path)
    build = _run([str(TSC), "-p", "."], project)
    assert build.returncode == 0, f"tsc failed:\n{build.stdout}{build.stderr}"

    env = {
        **os.environ,
        "MAINTRAC_BASE_URL": f"{live_url}/v1",
        "MAINTRAC_TOKEN": tenant.token(ttl=600),
        "NO_COLOR": "1",
    }
    result = _run([node, "--test", "--test-reporter=spec", "build/e2e.test.js"], project, env)
    assert result.returncode == 0, f"node --test failed:\n{result.stdout}{result.stderr}"
    summary = result.stdout.splitlines()
    assert any(line.endswith("pass 2") for line in summary), result.stdout
    assert any(line.endswith("fail 0") for line in summary), result.stdout
