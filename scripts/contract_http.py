"""Contract conformance over real HTTP: ``st run`` against the API served by uvicorn.

The in-process run (``tests/contract/test_schemathesis.py``) sends its requests through the
ASGI transport; this one starts the service exactly as ``maintrac serve`` does and lets the
Schemathesis CLI fuzz it over loopback TCP, so the HTTP server, its parsing and the served
``/v1/openapi.json`` are in the loop too. End to end:

1. a scratch database (``maintrac_contract_<random>``) with the real bootstrap and
   migrations, on the server at ``TEST_ADMIN_DATABASE_URL`` (else ``ADMIN_DATABASE_URL``,
   default postgres@127.0.0.1:5432), or the embedded cluster the tests use (``.data/test``);
2. the run's tenant with two work orders (so that the first page of work orders has a next
   page, for the cursor hook); the hooks mint its tokens (every permission), and give each
   stateful scenario a tenant of its own, as the in-process run does;
3. the API in a subprocess (``bench/list_throughput.py``'s server: uvicorn, one worker,
   ``ENVIRONMENT=production``, a random ``JWT_SECRET``) with ``VALIDATE_RESPONSES=true``;
4. ``st run`` over every operation, with every check, the examples, coverage, fuzzing and
   stateful (OpenAPI links) phases, deterministic, configured by
   ``tests/contract/schemathesis-http.toml`` and ``tests/contract/hooks_http.py``;
5. the server is stopped and the database dropped, also on failure or Ctrl-C.

Prints the test cases sent per phase and exits with ``st``'s status (non-zero on any
failure or error; also when a phase sent nothing). Extra arguments are passed to ``st run``
(e.g. ``--max-examples 5`` for a quick look). The JUnit report, the server's log and, after
a failure, every request and response (``events.ndjson``) are left in
``tests/artifacts/contract-http/`` (git-ignored).

Run: ``make contract-http`` or ``.venv/bin/python scripts/contract_http.py`` (about 2 min).
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from types import ModuleType

import httpx

from maintrac.api.security import mint_token
from maintrac.cli.devenv import find_or_start
from maintrac.core.auth import PERMISSIONS
from maintrac.db.bootstrap import drop_database, ensure_roles_and_database, migrate, role_urls
from maintrac.db.engine import make_engine
from maintrac.db.transaction import Database
from maintrac.services.tenants import provision_tenant

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "tests" / "contract" / "schemathesis-http.toml"
HOOKS = ROOT / "tests" / "contract" / "hooks_http.py"
ARTIFACTS = ROOT / "tests" / "artifacts" / "contract-http"
ST = Path(sys.executable).with_name("st")
PHASES = ("examples", "coverage", "fuzzing", "stateful")


def _bench() -> ModuleType:
    """``bench/list_throughput.py``, which already serves the app the way production does."""
    spec = importlib.util.spec_from_file_location(
        "maintrac_bench_list_throughput", ROOT / "bench" / "list_throughput.py"
    )
    if spec is None or spec.loader is None:
        raise RuntimeError("cannot load bench/list_throughput.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it executes
    spec.loader.exec_module(module)
    return module


def _provision(owner_url: str) -> uuid.UUID:
    owner = Database(make_engine(owner_url, pool_size=1))
    try:
        return provision_tenant(owner, "Contract HTTP")
    finally:
        owner.dispose()


def _seed(base: str, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        for i in range(2):
            created = client.post("/v1/work-orders", json={"title": f"Cursor seed {i}"})
            if created.status_code != 201:
                raise RuntimeError(f"seeding failed: {created.status_code} {created.text}")


def _summary(ndjson: Path) -> tuple[Counter[str], Counter[str]]:
    """From ``st``'s NDJSON events: test cases by phase (what ``st`` reports as "generated";
    the extra requests some checks send are not counted), and scenarios run by phase."""
    cases: Counter[str] = Counter()
    scenarios: Counter[str] = Counter()
    if not ndjson.exists():
        return cases, scenarios
    for line in ndjson.read_text().splitlines():
        finished = json.loads(line).get("ScenarioFinished")
        if not isinstance(finished, dict):
            continue
        phase = str(finished.get("phase"))
        recorder = finished.get("recorder") or {}
        cases[phase] += len(recorder.get("interactions") or {})
        if finished.get("status") != "skip":  # rejected before any request was sent
            scenarios[phase] += 1
    return cases, scenarios


def main(argv: list[str]) -> int:
    admin = os.environ.get(
        "TEST_ADMIN_DATABASE_URL",
        os.environ.get(
            "ADMIN_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
    )
    bench = _bench()
    server = find_or_start(admin, ROOT / ".data" / "test")
    name = f"maintrac_contract_{uuid.uuid4().hex[:12]}"
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    ndjson = ARTIFACTS / "events.ndjson"
    identity_log = ARTIFACTS / "identity-switches.txt"
    try:
        ensure_roles_and_database(server.admin_url, name)
        owner, app = role_urls(server.admin_url, name)
        owner_url = owner.render_as_string(hide_password=False)
        app_url = app.render_as_string(hide_password=False)
        migrate(owner_url)
        tenant_id = _provision(owner_url)
        secret = secrets.token_urlsafe(48)
        token = mint_token(
            secret,
            subject="contract-http-seed",
            tenant_id=tenant_id,
            role="admin",
            permissions=sorted(PERMISSIONS),
            ttl_seconds=3600,
        )
        with bench._server(app_url, secret, validate=True, log=ARTIFACTS / "server.log") as base:
            _seed(base, token)
            command = [
                str(ST),
                "--config-file",
                str(CONFIG),
                "run",
                f"{base}/v1/openapi.json",
                "--checks",
                "all",
                "--phases",
                ",".join(PHASES),
                "--report",
                "junit,ndjson",
                "--report-dir",
                str(ARTIFACTS),
                "--report-ndjson-path",
                str(ndjson),
                "--no-color",
                *argv,
            ]
            env = {
                **os.environ,
                "MAINTRAC_CONTRACT_BASE_URL": base,
                "MAINTRAC_CONTRACT_JWT_SECRET": secret,
                "MAINTRAC_CONTRACT_TENANT_ID": str(tenant_id),
                "MAINTRAC_CONTRACT_OWNER_URL": owner_url,
                "MAINTRAC_CONTRACT_IDENTITY_LOG": str(identity_log),
                "MAINTRAC_CONTRACT_HOOKS": str(HOOKS),
            }
            env.pop("SCHEMATHESIS_HOOKS", None)
            shown = " ".join(command).replace(base, "http://127.0.0.1:PORT")
            print(f"contract-http: {shown}", flush=True)
            started = time.perf_counter()
            status = subprocess.run(command, env=env, cwd=ROOT, check=False).returncode
            seconds = time.perf_counter() - started
    finally:
        drop_database(server.admin_url, name)

    cases, scenarios = _summary(ndjson)
    by_phase = ", ".join(f"{phase} {cases[phase]}" for phase in PHASES if phase in cases)
    switches = identity_log.read_text().splitlines() if identity_log.exists() else []
    print(
        f"contract-http: {sum(cases.values())} test cases ({by_phase}); "
        f"{scenarios['stateful']} stateful scenarios; {seconds:.0f}s; exit status {status}"
    )
    for reason in switches:
        print(f"contract-http: continued as a new user after {reason}")
    if status == 0 and not all(cases[phase] for phase in PHASES):
        print("contract-http: a phase sent no requests; failing", file=sys.stderr)
        return 1
    if status == 0:
        ndjson.unlink()  # every request and response (tens of MB): kept only for a failure
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
