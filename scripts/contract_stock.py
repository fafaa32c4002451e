"""The integrator's contract run: stock ``st run`` with the root ``schemathesis.toml`` only.

What an integrator does against a deployment, done against a local one: no project hooks,
no project code in the Schemathesis process, one bearer token from the environment
(``MAINTRAC_TOKEN``), ``--checks all`` over every phase, and a seed that changes per run
(printed, so a failure can be replayed with ``--seed``). End to end:

1. a scratch database (``maintrac_stock_<random>``) with the real bootstrap and migrations,
   on the server at ``TEST_ADMIN_DATABASE_URL`` (else ``ADMIN_DATABASE_URL``, default
   postgres@127.0.0.1:5432), or the embedded cluster the tests use (``.data/test``);
2. one tenant and one admin token with every permission (what an integrator's test account
   would hold);
3. a real deployment of it, each part a subprocess: a private ``redis-server`` on a free
   port (the broker; the machine's Redis is never used), the API as ``maintrac serve``
   runs it (``bench/list_throughput.py``'s server, with ``VALIDATE_RESPONSES=true`` so
   that a response leaving the contract is also logged by the server), a ``maintrac
   worker`` and the ``maintrac relay`` (the outbox), so reports finish and webhook
   deliveries are attempted during the run (``DEPLOYMENT`` below: what makes it a test
   deployment);
4. ``st run <base>/v1/openapi.json --checks all --seed <seed>``, from the repository root
   so that ``schemathesis.toml`` is the configuration (nothing else is passed);
5. every process is stopped and the database dropped, also on failure or Ctrl-C.

Exits with ``st``'s status; a warning counts as a failure too (the run must be clean), and
so does a worker or relay that exited during the run. Options: ``--seed N`` to replay a
run; anything else is passed to ``st run``. Reports and every process's log are left in
``tests/artifacts/contract-stock/`` (git-ignored).

Run: ``make contract-stock`` or ``.venv/bin/python scripts/contract_stock.py``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from types import ModuleType

from maintrac.api.security import mint_token
from maintrac.cli.devenv import find_or_start
from maintrac.cli.processes import Children, start_redis
from maintrac.core.auth import PERMISSIONS
from maintrac.db.bootstrap import drop_database, ensure_roles_and_database, migrate, role_urls
from maintrac.db.engine import make_engine
from maintrac.db.transaction import Database
from maintrac.services.tenants import provision_tenant

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts" / "contract-stock"
ST = Path(sys.executable).with_name("st")
#: The webhook url of the contract's examples is on example.com (IANA's documentation
#: domain), which an integrator's deployment resolves with DNS to public addresses. Here
#: it is the only host that resolves (``WEBHOOKS_HOSTS_ONLY``: the fuzzer's endpoints
#: with any other host, an IP address too, are refused, 422, and DNS is never asked), and
#: it resolves to loopback, where nothing listens on https's port: every delivery attempt
#: is refused at once, and no request leaves the machine.
WEBHOOK_HOSTS = {"example.com": ["127.0.0.1"]}
#: What makes the local deployment a test deployment, for the API, the worker and the
#: relay alike. Webhooks: the allow-list above (loopback needs private targets allowed)
#: and a retry window of a second, so a delivery's first failed attempt fails it (and it
#: can be retried by hand, as the contract's retry operation needs). Outbox: polled every
#: second as well as woken by NOTIFY.
DEPLOYMENT = {
    "WEBHOOKS_ALLOW_PRIVATE": "true",
    "WEBHOOKS_HOSTS": json.dumps(WEBHOOK_HOSTS),
    "WEBHOOKS_HOSTS_ONLY": "true",
    "WEBHOOKS_RETRY_WINDOW_SECONDS": "1",
    "WEBHOOKS_TIMEOUT_SECONDS": "2",
    "OUTBOX_POLL_SECONDS": "1",
}
#: What `st` prints for a warning (its "=== WARNINGS ===" block); the run must print none.
_WARNINGS = re.compile(r"^[=\s]*WARNINGS\b", re.MULTILINE)


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
        return provision_tenant(owner, "Contract stock run")
    finally:
        owner.dispose()


def _jobs(
    stack: contextlib.ExitStack, bench: ModuleType, app_url: str, secret: str
) -> tuple[dict[str, str], Children]:
    """The deployment's broker (a private redis-server), its outbox relay and a worker,
    stopped with ``stack``; the settings the API gets too, and the two processes."""
    broker = start_redis(bench._free_port(), ARTIFACTS)
    stack.callback(broker.stop)
    deployment = {
        **DEPLOYMENT,
        "REDIS_URL": broker.url,
        # No developer's .data/dev.env (read by every maintrac command) leaks in.
        "MAINTRAC_DATA_DIR": str(ARTIFACTS / "data"),
    }
    # The worker and relay get what the API gets (bench/list_throughput.py).
    jobs_env = {
        **os.environ,
        "ENVIRONMENT": "production",
        "DATABASE_URL": app_url,
        "JWT_SECRET": secret,
        "LOG_LEVEL": "INFO",
        "DATABASE_POOL_SIZE": "2",
        **deployment,
    }
    for name_ in ("DATABASE_PGBOUNCER", "CURSOR_SECRET", "JWT_JWKS_URL", "JWT_ISSUER"):
        jobs_env.pop(name_, None)
    jobs = Children(jobs_env, ARTIFACTS)
    stack.callback(jobs.stop)
    jobs.start("relay", "relay")
    jobs.start(
        "worker",
        "worker",
        "--concurrency",
        "2",
        "--hostname",
        "contract-stock@%h",
        "--without-gossip",
        "--without-mingle",
    )
    return deployment, jobs


def _start(
    stack: contextlib.ExitStack,
    bench: ModuleType,
    app_url: str,
    secret: str,
    deployment: dict[str, str],
) -> str:
    """The server's base URL; a start that is slow to become ready (a loaded CI machine)
    is tried again, twice."""
    for attempt in range(3):
        try:
            server = bench._server(
                app_url,
                secret,
                validate=True,
                log=ARTIFACTS / "server.log",
                extra_env=deployment,
            )
            return str(stack.enter_context(server))
        except RuntimeError:
            if attempt == 2:
                raise
            print("contract-stock: the server was slow to start; trying again", flush=True)
    raise AssertionError("unreachable")


def _seed_arg(argv: list[str]) -> tuple[int, list[str]]:
    """The ``--seed`` given (to replay a run), else a new one; and the other arguments."""
    rest = list(argv)
    for i, arg in enumerate(rest):
        if arg == "--seed" and i + 1 < len(rest):
            seed = int(rest[i + 1])
            del rest[i : i + 2]
            return seed, rest
        if arg.startswith("--seed="):
            del rest[i]
            return int(arg.split("=", 1)[1]), rest
    return secrets.randbelow(2**31), rest


def main(argv: list[str]) -> int:
    admin = os.environ.get(
        "TEST_ADMIN_DATABASE_URL",
        os.environ.get(
            "ADMIN_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
    )
    seed, extra = _seed_arg(argv)
    # A CI timeout sends SIGTERM: exit through the `finally` below, which drops the database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    bench = _bench()
    server = find_or_start(admin, ROOT / ".data" / "test")
    name = f"maintrac_stock_{uuid.uuid4().hex[:12]}"
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    output = ARTIFACTS / "st-output.txt"
    try:
        ensure_roles_and_database(server.admin_url, name)
        owner, app = role_urls(server.admin_url, name)
        owner_url = owner.render_as_string(hide_password=False)
        migrate(owner_url)
        tenant_id = _provision(owner_url)
        secret = secrets.token_urlsafe(48)
        token = mint_token(
            secret,
            subject="contract-stock",
            tenant_id=tenant_id,
            role="admin",
            permissions=sorted(PERMISSIONS),
            ttl_seconds=3600,
        )
        app_url = app.render_as_string(hide_password=False)
        with contextlib.ExitStack() as stack:
            deployment, jobs = _jobs(stack, bench, app_url, secret)
            base = _start(stack, bench, app_url, secret, deployment)
            command = [
                str(ST),
                "run",
                f"{base}/v1/openapi.json",
                "--checks",
                "all",
                "--seed",
                str(seed),
                "--no-color",
                *extra,
            ]
            env = {**os.environ, "MAINTRAC_TOKEN": token}
            for name_ in [k for k in env if k.startswith("SCHEMATHESIS_")]:
                env.pop(name_)
            shown = " ".join(command).replace(base, "http://127.0.0.1:PORT")
            print(f"contract-stock: seed {seed} (replay: make contract-stock SEED={seed})")
            print(f"contract-stock: {shown}", flush=True)
            started = time.perf_counter()
            with output.open("w") as out:
                process = subprocess.Popen(
                    command,
                    env=env,
                    cwd=ROOT,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
                for line in process.stdout or ():
                    sys.stdout.write(line)
                    out.write(line)
                status = process.wait()
            seconds = time.perf_counter() - started
            exited = jobs.exited()
    finally:
        drop_database(server.admin_url, name)

    text = output.read_text()
    warned = bool(_WARNINGS.search(text))
    print(
        f"contract-stock: seed {seed}; {seconds:.0f}s; st exit status {status}"
        + ("; warnings were reported" if warned else "")
    )
    if exited:
        print(f"contract-stock: exited during the run: {', '.join(exited)} (see its log)")
    if status == 0 and (warned or exited):
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
