"""Benchmark: requests/second of ``GET /v1/work-orders?limit=50`` (a figure, never a test).

What it does, end to end, on loopback only:

1. creates a scratch database (``maintrac_bench_<random>``) with the real bootstrap and
   migrations, provisions one tenant and seeds it with ``--rows`` work orders;
2. for ``VALIDATE_RESPONSES=false`` (production) and then ``true`` (for comparison) starts
   the API exactly like ``maintrac serve`` does (uvicorn, one worker, JSON logs on stderr
   to a file) in a subprocess, with ``ENVIRONMENT=production`` and a random ``JWT_SECRET``;
3. drives load from a separate process, bounded both in time (``--duration``) and in
   requests (``--max-requests``): ``wrk`` when installed, else a thread pool of httpx
   clients in this process;
4. prints requests/s, p50/p95/p99 latency and errors per run, then stops the servers and
   drops the database (also on failure or Ctrl-C).

Run: ``.venv/bin/python bench/list_throughput.py`` (about a minute). The server is reached
at ``ADMIN_DATABASE_URL`` (default postgres@127.0.0.1:5432), or an embedded cluster in
``.data/bench`` when none is reachable.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from maintrac.api.security import DEFAULT_ROLE_PERMISSIONS, mint_token
from maintrac.cli.devenv import find_or_start
from maintrac.core.work_orders import NewWorkOrder, Priority
from maintrac.db.bootstrap import drop_database, ensure_roles_and_database, migrate, role_urls
from maintrac.db.engine import make_engine
from maintrac.db.transaction import Database
from maintrac.services.tenants import provision_tenant
from maintrac.services.work_orders import create_work_order

ROOT = Path(__file__).resolve().parents[1]
PATH = "/v1/work-orders?limit=50"

# A wrk script: stops each thread after its share of --max-requests and prints the
# figures wrk's own summary lacks (p95) in a line this script parses.
WRK_SCRIPT = """\
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer %(token)s"
local limit = %(per_thread)d
local count = 0
function response(status, headers, body)
  count = count + 1
  if count >= limit then wrk.thread:stop() end
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%%d duration_us=%%d errors=%%d status_errors=%%d "
      .. "p50_us=%%d p95_us=%%d p99_us=%%d\\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


@dataclass(frozen=True)
class Result:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed(app_url: str, owner_url: str, rows: int) -> uuid.UUID:
    owner = Database(make_engine(owner_url, pool_size=1))
    try:
        tenant_id = provision_tenant(owner, "Bench Plant")
    finally:
        owner.dispose()
    app = Database(make_engine(app_url, pool_size=1))
    priorities = list(Priority)
    try:
        with app.tenant_transaction(tenant_id) as session:
            for i in range(rows):
                create_work_order(
                    session,
                    NewWorkOrder(
                        title=f"Inspect pump P-{i:04d}",
                        description="Vibration above threshold; check bearings and alignment.",
                        priority=priorities[i % len(priorities)],
                    ),
                    None,
                )
    finally:
        app.dispose()
    return tenant_id


@contextmanager
def _server(
    app_url: str,
    secret: str,
    *,
    validate: bool,
    log: Path,
    extra_env: dict[str, str] | None = None,
    ready_seconds: float = 30,
) -> Iterator[str]:
    """``maintrac serve`` (uvicorn, one worker) in a subprocess; yields its base URL.

    Rate limits are off unless ``extra_env`` turns them on (one token at full speed would
    be refused): ``bench/ratelimit_overhead.py`` measures them.
    """
    port = _free_port()
    env = {
        **os.environ,
        "ENVIRONMENT": "production",
        "DATABASE_URL": app_url,
        "JWT_SECRET": secret,
        "VALIDATE_RESPONSES": "true" if validate else "false",
        "LOG_LEVEL": "INFO",
        "RATE_LIMITS_ENABLED": "false",
        **(extra_env or {}),
    }
    for name in ("DATABASE_PGBOUNCER", "CURSOR_SECRET", "JWT_JWKS_URL", "JWT_ISSUER"):
        env.pop(name, None)
    command = [
        sys.executable,
        "-c",
        "import sys; from maintrac.cli import main; sys.exit(main(sys.argv[1:]))",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
    ]
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + ready_seconds
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited:\n{log.read_text()[-4000:]}")
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not become ready:\n{log.read_text()[-4000:]}")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def _warm_up(base: str, token: str, requests: int) -> None:
    """Fill the pools and check the endpoint answers what is measured."""
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as client:
        for _ in range(requests):
            client.get(PATH).raise_for_status()
        response = client.get(PATH)
        response.raise_for_status()
        page = response.json()
        if len(page["data"]) != 50 or not page["hasMore"]:
            raise RuntimeError(f"unexpected page: {len(page['data'])} items")


def _load_wrk(wrk: str, base: str, token: str, args: argparse.Namespace, workdir: Path) -> Result:
    script = workdir / "bench.lua"
    per_thread = max(1, args.max_requests // args.threads)
    script.write_text(WRK_SCRIPT % {"token": token, "per_thread": per_thread})
    completed = subprocess.run(
        [
            wrk,
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{args.duration}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            base + PATH,
        ],
        capture_output=True,
        text=True,
        timeout=args.duration + 60,
        check=True,
    )
    match = re.search(
        r"BENCH requests=(\d+) duration_us=(\d+) errors=(\d+) status_errors=(\d+) "
        r"p50_us=(\d+) p95_us=(\d+) p99_us=(\d+)",
        completed.stdout,
    )
    if match is None:
        raise RuntimeError(f"could not read wrk's output:\n{completed.stdout}\n{completed.stderr}")
    n, us, errors, status_errors, p50, p95, p99 = (int(g) for g in match.groups())
    return Result(n, us / 1e6, errors + status_errors, p50 / 1e3, p95 / 1e3, p99 / 1e3)


def _load_python(base: str, token: str, args: argparse.Namespace) -> Result:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    issued = 0
    deadline = time.monotonic() + args.duration

    def worker() -> None:
        nonlocal errors, issued
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=10) as client:
            while time.monotonic() < deadline:
                with lock:
                    if issued >= args.max_requests:
                        return
                    issued += 1
                started = time.perf_counter()
                try:
                    ok = client.get(PATH).status_code == 200
                except httpx.HTTPError:
                    ok = False
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    errors += not ok

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.connections) as pool:
        for future in [pool.submit(worker) for _ in range(args.connections)]:
            future.result()
    seconds = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return Result(len(latencies), seconds, errors, cuts[49] * 1e3, cuts[94] * 1e3, cuts[98] * 1e3)


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000, help="work orders seeded (1 tenant)")
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per run")
    parser.add_argument("--max-requests", type=int, default=50_000, help="cap per run")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--warm-up", type=int, default=200, help="requests before measuring")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument(
        "--admin-url",
        default=os.environ.get(
            "ADMIN_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    wrk = shutil.which("wrk") if args.client in ("auto", "wrk") else None
    if args.client == "wrk" and wrk is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    if wrk:
        version = subprocess.run([wrk, "--version"], capture_output=True, text=True, check=False)
        client = f"{version.stdout.split(' [')[0]} ({args.threads} thread(s))"
    else:
        client = f"python httpx thread pool (httpx {httpx.__version__})"

    server = find_or_start(args.admin_url, ROOT / ".data" / "bench")
    name = f"maintrac_bench_{uuid.uuid4().hex[:12]}"
    workdir = Path(tempfile.mkdtemp(prefix="maintrac-bench-"))
    results: dict[bool, Result] = {}
    try:
        ensure_roles_and_database(server.admin_url, name)
        owner, app = role_urls(server.admin_url, name)
        owner_url = owner.render_as_string(hide_password=False)
        app_url = app.render_as_string(hide_password=False)
        migrate(owner_url)
        started = time.perf_counter()
        tenant_id = _seed(app_url, owner_url, args.rows)
        print(f"seeded {args.rows} work orders in {time.perf_counter() - started:.1f}s")

        secret = secrets.token_urlsafe(48)
        token = mint_token(
            secret,
            subject=str(uuid.uuid4()),
            tenant_id=tenant_id,
            role="viewer",
            permissions=DEFAULT_ROLE_PERMISSIONS["viewer"],
            ttl_seconds=3600,
        )
        for validate in (False, True):
            log = workdir / f"server-validate-{validate}.log"
            with _server(app_url, secret, validate=validate, log=log) as base:
                _warm_up(base, token, args.warm_up)
                if wrk:
                    results[validate] = _load_wrk(wrk, base, token, args, workdir)
                else:
                    results[validate] = _load_python(base, token, args)
            print(f"validate_responses={validate}: done")
    finally:
        drop_database(server.admin_url, name)
        shutil.rmtree(workdir, ignore_errors=True)

    print()
    print(f"GET {PATH}, {args.rows} work orders in one tenant, uvicorn 1 worker,")
    print(f"ENVIRONMENT=production, JSON access log at INFO; {os.cpu_count()} CPUs shared")
    print(
        f"load: {client}, {args.connections} connections, "
        f"at most {args.duration}s or {args.max_requests} requests per run"
    )
    print()
    header = f"{'validate_responses':<20}{'requests':>10}{'errors':>8}{'req/s':>9}"
    print(header + f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for validate, r in results.items():
        print(
            f"{validate!s:<20}{r.requests:>10}{r.errors:>8}{r.rps:>9.1f}"
            f"{r.p50_ms:>9.1f}{r.p95_ms:>9.1f}{r.p99_ms:>9.1f}"
        )
    if len(results) == 2 and results[True].rps:
        print(f"\nvalidation costs {1 - results[True].rps / results[False].rps:.0%} of throughput")
    return 0


if __name__ == "__main__":
    sys.exit(main())
