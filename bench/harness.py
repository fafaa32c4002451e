"""Shared pieces of ``compare.py`` and ``profile.py``: the seeded database, the servers, wrk.

Nothing here is imported by the service; the scripts run it from a checkout
(``.venv/bin/python bench/compare.py``), so this module is found next to them.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import psycopg
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from maintrac.cli.devenv import find_or_start
from maintrac.db.bootstrap import ensure_roles_and_database, migrate, role_urls

ROOT = Path(__file__).resolve().parents[1]
PEERS_DIR = Path(os.environ.get("PEERS_DIR", "/work/shared/peers"))
PEERS_VENV = ROOT / ".peers"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
DEFAULT_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

#: Packages both venvs hold: the peers get the project's versions of them.
SHARED_PACKAGES = (
    "uvicorn",
    "uvloop",
    "httptools",
    "psycopg",
    "psycopg-binary",
    "psycopg-pool",
    "sqlalchemy",
    "greenlet",
    "pyjwt",
    "pydantic",
    "pydantic-core",
    "starlette",
    "anyio",
    "h11",
)


def libpq(url: str) -> str:
    """A SQLAlchemy URL (``postgresql+psycopg://``) as a libpq one."""
    return re.sub(r"^postgresql\+psycopg://", "postgresql://", url)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ------------------------------------------------------------------ database


@dataclass
class BenchDatabase:
    admin_url: str  # SQLAlchemy URL of a superuser on the server
    name: str
    owner_url: str
    app_url: str
    #: Tenant id -> (number of work orders, external id of a seeded viewer).
    tenants: dict[str, tuple[int, str]] = field(default_factory=dict)

    def admin_dsn(self) -> str:
        return libpq(re.sub(r"/[^/]*$", f"/{self.name}", self.admin_url))


def open_database(admin_url: str, name: str) -> BenchDatabase:
    """Create (when missing) roles, database and schema through the project's bootstrap."""
    server = find_or_start(admin_url, ROOT / ".data" / "bench")
    ensure_roles_and_database(server.admin_url, name)
    owner, app = role_urls(server.admin_url, name)
    db = BenchDatabase(
        admin_url=server.admin_url,
        name=name,
        owner_url=owner.render_as_string(hide_password=False),
        app_url=app.render_as_string(hide_password=False),
    )
    migrate(db.owner_url)
    return db


def drop(db: BenchDatabase) -> None:
    from maintrac.db.bootstrap import drop_database  # noqa: PLC0415  # only at the end

    drop_database(db.admin_url, db.name)


#: One tenant's data, set-based, as the schema owner (RLS is forced on the owner too, so the
#: transaction first scopes itself to the tenant). Users, task codes and assets first, then
#: work orders whose ids are UUIDv7 built from their created_at, so that the default sort
#: (-createdAt, i.e. id DESC) is also the creation order. %(n)s work orders. The owner may
#: read every tenant's ids (policy ``owner_checks_ids``), hence the explicit tenant filters.
SEED_TENANT = """
SELECT set_config('app.current_tenant', %(tenant)s, true);
INSERT INTO tenants (id, name, time_zone) VALUES (%(tenant)s, %(name)s, 'Europe/Berlin');
INSERT INTO users (tenant_id, external_id, display_name, email, role)
SELECT %(tenant)s, 'bench-user-' || g, 'Technician ' || g,
       'tech' || g || '@plant.example', CASE WHEN g = 1 THEN 'viewer' ELSE 'technician' END
FROM generate_series(1, 20) AS g;
INSERT INTO task_codes (tenant_id, code, name)
SELECT %(tenant)s, 'TC-' || g, 'Task ' || g FROM generate_series(1, 8) AS g;
INSERT INTO assets (tenant_id, name, code, location, manufacturer, model, serial_number)
SELECT %(tenant)s, 'Pump P-' || lpad(g::text, 3, '0'), 'P-' || g, 'Hall ' || (g %% 4 + 1),
       'Grundfos', 'CR ' || (g %% 5 + 1) * 10, 'SN-' || md5(g::text)
FROM generate_series(1, 200) AS g;
CREATE TEMPORARY TABLE seed_assets ON COMMIT DROP AS
  SELECT row_number() OVER (ORDER BY id) AS k, id FROM assets WHERE tenant_id = %(tenant)s;
CREATE TEMPORARY TABLE seed_users ON COMMIT DROP AS
  SELECT row_number() OVER (ORDER BY id) AS k, id FROM users WHERE tenant_id = %(tenant)s;
CREATE TEMPORARY TABLE seed_tasks ON COMMIT DROP AS
  SELECT row_number() OVER (ORDER BY id) AS k, id FROM task_codes WHERE tenant_id = %(tenant)s;
INSERT INTO work_orders (
  tenant_id, id, number, title, description, status, priority, asset_id, assignee_id,
  task_code_id, estimated_hours, actual_minutes, due_at, completed_at, created_at, updated_at)
SELECT %(tenant)s,
       encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING
         substring(int8send((extract(epoch FROM w.created) * 1000)::bigint) FROM 3)
         FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid,
       w.g,
       'Inspect pump P-' || lpad((w.g %% 200 + 1)::text, 3, '0') || ': ' ||
         (ARRAY['vibration', 'leak', 'noise', 'pressure drop', 'overheating'])[w.g %% 5 + 1],
       CASE WHEN w.g %% 3 = 0 THEN NULL
            ELSE 'Vibration above threshold; check bearings, alignment and coupling.' END,
       w.status,
       (ARRAY['low', 'medium', 'high', 'urgent'])[w.g %% 4 + 1],
       a.id,
       CASE WHEN w.g %% 4 = 0 THEN NULL ELSE u.id END,
       CASE WHEN w.g %% 2 = 0 THEN t.id END,
       CASE WHEN w.g %% 5 = 0 THEN NULL ELSE (w.g %% 16) * 0.25 END,
       CASE WHEN w.status = 'complete' THEN w.g %% 600 ELSE 0 END,
       CASE WHEN w.g %% 3 = 1 THEN w.created + interval '7 days' END,
       CASE WHEN w.status = 'complete' THEN w.created + interval '2 days' END,
       w.created,
       w.created + interval '1 hour'
FROM (
  SELECT g,
         timestamptz '2020-01-01 00:00:00+00' + g * %(step)s::interval AS created,
         (ARRAY['open', 'in_progress', 'on_hold', 'complete', 'cancelled'])[g %% 5 + 1] AS status
  FROM generate_series(1, %(n)s) AS g
) AS w
JOIN seed_assets AS a ON a.k = w.g %% 200 + 1
JOIN seed_users AS u ON u.k = w.g %% 20 + 1
JOIN seed_tasks AS t ON t.k = w.g %% 8 + 1;
INSERT INTO tenant_counters (tenant_id, name, value) VALUES (%(tenant)s, 'work_order', %(n)s);
"""


def seed(db: BenchDatabase, tenants: int, per_tenant: int, big: int) -> None:
    """``tenants`` tenants of ``per_tenant`` work orders, plus one of ``big`` (0: none)."""
    plan = [per_tenant] * tenants + ([big] if big else [])
    with psycopg.connect(libpq(db.owner_url), autocommit=False) as conn:
        for index, n in enumerate(plan):
            tenant = str(uuid.uuid4())
            # One minute apart for a big tenant (two years), an hour for the others.
            step = "1 minute" if n > 100_000 else "1 hour"
            name = f"Bench plant {index + 1}" + (" (big)" if n == big and index == tenants else "")
            with conn.transaction(), conn.cursor() as cur:
                for statement in _statements(SEED_TENANT):
                    cur.execute(statement, {"tenant": tenant, "name": name, "n": n, "step": step})
            db.tenants[tenant] = (n, "bench-user-1")
        conn.execute("ANALYZE")


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";\n") if s.strip()]


def load_tenants(db: BenchDatabase) -> None:
    """The tenants of an already seeded database (read as the superuser: RLS is bypassed)."""
    with psycopg.connect(db.admin_dsn()) as conn:
        rows = conn.execute(
            "SELECT tenant_id::text, count(*) FROM work_orders GROUP BY tenant_id"
        ).fetchall()
    db.tenants = {tenant: (int(n), "bench-user-1") for tenant, n in rows}


def small_tenant(db: BenchDatabase) -> tuple[str, int, str]:
    """(id, work orders, viewer's subject) of the smallest tenant of ``db``; an empty
    database is first seeded with one tenant of 10,000 work orders."""
    load_tenants(db)
    if not db.tenants:
        seed(db, 1, 10_000, 0)
    tenant, (rows, subject) = min(db.tenants.items(), key=lambda t: t[1][0])
    return tenant, rows, subject


# ------------------------------------------------------------------ measurements


def proc_cpu_ms(pid: int) -> float:
    """User + system CPU of ``pid`` in ms (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) * 1000 / CLOCK_TICKS


def cpu_jiffies() -> tuple[int, int]:
    """(stolen, total) CPU time of the machine so far, in clock ticks (``/proc/stat``).

    Steal is time a virtual machine's CPUs were ready to run but the host ran something
    else: while it is high, every server here runs slower by it, unevenly."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (FileNotFoundError, ValueError):
        return 0, 0
    # user nice system idle iowait irq softirq steal (guest time is inside user)
    return (fields[7] if len(fields) > 7 else 0), sum(fields[:8])


def steal_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    """The share of CPU time stolen by the host between two ``cpu_jiffies``."""
    total = after[1] - before[1]
    return (after[0] - before[0]) / total if total > 0 else 0.0


class PgProbe:
    """CPU of the database's backends and its session counter, read by a superuser."""

    def __init__(self, db: BenchDatabase) -> None:
        self.name = db.name
        self.conn = psycopg.connect(db.admin_dsn(), autocommit=True)
        self.own_pid = self.conn.info.backend_pid

    def backends(self) -> dict[int, float]:
        rows = self.conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> %s",
            (self.name, self.own_pid),
        ).fetchall()
        return {pid: proc_cpu_ms(pid) for (pid,) in rows}

    def sessions(self) -> int:
        self.conn.execute("SELECT pg_stat_clear_snapshot()")
        value = self.conn.execute(
            "SELECT sessions FROM pg_stat_database WHERE datname = %s", (self.name,)
        ).fetchone()
        return int(value[0]) if value else 0

    def close(self) -> None:
        self.conn.close()


# ------------------------------------------------------------------ servers


@dataclass
class Server:
    name: str
    base: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid


def ensure_peers_venv() -> Path:
    """``.peers`` per the peers' README: their packages, pinned to the project's versions."""
    python = PEERS_VENV / "bin" / "python"
    stamp = PEERS_VENV / ".installed"
    if stamp.exists():
        return python
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(PEERS_VENV)], check=True)
    frozen = subprocess.run(
        [sys.executable, "-m", "pip", "freeze"], capture_output=True, text=True, check=True
    ).stdout
    wanted = {p.replace("-", "_") for p in SHARED_PACKAGES}
    pins = [
        line
        for line in frozen.splitlines()
        if "==" in line and line.split("==")[0].lower().replace("-", "_") in wanted
    ]
    constraints = PEERS_VENV / "peers-constraints.txt"
    constraints.write_text("\n".join(pins) + "\n")
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "-c",
            str(constraints),
            "fastapi",
            "orjson",
            "uvicorn",
            "uvloop",
            "httptools",
            "psycopg[binary,pool]",
            "SQLAlchemy[asyncio]",
            "PyJWT",
            "pydantic",
            "starlette",
        ],
        check=True,
    )
    stamp.touch()
    return python


def _wait_ready(server: Server, path: str, headers: dict[str, str]) -> None:
    # Generous: several servers start at once on a shared machine, and the project builds
    # its whole app (and its validators) before it listens.
    deadline = time.monotonic() + 180
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited:\n{server.log.read_text()[-4000:]}")
        try:
            if httpx.get(server.base + path, headers=headers, timeout=5).status_code < 500:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{server.name} did not start:\n{server.log.read_text()[-4000:]}")
        time.sleep(0.2)


def project_env(db: BenchDatabase, secret: str, *, validate: bool) -> dict[str, str]:
    """Production defaults; only the database, the secret and (when asked) validation set."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "CURSOR_", "JWT_", "VALIDATE_", "RESPONSE_", "LOG_"))
    }
    # Tracing is on only where a case asks for it (servers(..., otlp_endpoint=...)).
    env = {k: v for k, v in env.items() if not k.startswith("OTEL_")}
    env.update({"ENVIRONMENT": "production", "DATABASE_URL": db.app_url, "JWT_SECRET": secret})
    # One token at full speed would be refused by the rate limits (bench/ratelimit_overhead.py
    # measures them).
    env["RATE_LIMITS_ENABLED"] = "false"
    if validate:
        env["VALIDATE_RESPONSES"] = "true"
        env["RESPONSE_VALIDATION_SAMPLE"] = "1.0"
    return env


@contextmanager
def servers(
    db: BenchDatabase,
    secret: str,
    token: str,
    workdir: Path,
    *,
    peers: bool,
    validating: bool,
    baseline: Path | None = None,
    otlp_endpoint: str | None = None,
) -> Iterator[dict[str, Server]]:
    """The project (``maintrac serve``, one worker), optionally its validating twin, the
    same project from another checkout (``baseline``, served as "baseline": before/after
    in one run) and the two peers, each on its own loopback port; stopped on exit.

    With ``otlp_endpoint`` also the observability cases: "project-no-metrics" (request
    metrics and pool gauges off, ``serve_without_metrics.py``) and "project+tracing"
    (metrics plus OpenTelemetry tracing, sampling 1.0, batch span processor, OTLP/HTTP to
    that endpoint)."""
    started: dict[str, Server] = {}
    specs: list[tuple[str, list[str], dict[str, str], Path]] = []
    serve = [sys.executable, "-m", "maintrac.cli", "serve", "--host", "127.0.0.1", "--workers", "1"]
    specs.append(("project", serve, project_env(db, secret, validate=False), ROOT))
    if baseline is not None:
        env = project_env(db, secret, validate=False)
        # The other checkout's code first on the path, ahead of this venv's editable install.
        env["PYTHONPATH"] = f"{baseline / 'src'}:{baseline / 'generated'}"
        specs.append(("baseline", serve, env, baseline))
    if validating:
        specs.append(("project+validation", serve, project_env(db, secret, validate=True), ROOT))
    if otlp_endpoint is not None:
        launcher = str(ROOT / "bench" / "serve_without_metrics.py")
        off = [sys.executable, launcher, *serve[3:]]
        specs.append(("project-no-metrics", off, project_env(db, secret, validate=False), ROOT))
        traced = project_env(db, secret, validate=False)
        traced.update(
            {
                "OTEL_EXPORTER_OTLP_ENDPOINT": otlp_endpoint,
                "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
                "OTEL_TRACES_SAMPLER": "always_on",
                "OTEL_SERVICE_NAME": "maintrac-bench",
            }
        )
        specs.append(("project+tracing", serve, traced, ROOT))
    if peers:
        python = ensure_peers_venv()
        uvicorn = [str(python), "-m", "uvicorn", "--host", "127.0.0.1", "--workers", "1"]
        base_env = {k: v for k, v in os.environ.items() if not k.startswith("PEER_")}
        base_env["JWT_SECRET"] = secret
        specs.append(
            (
                "fastapi",
                [*uvicorn, "fastapi_sqlalchemy:app"],
                {**base_env, "PEER_DSN": db.app_url},
                PEERS_DIR,
            )
        )
        specs.append(
            (
                "raw",
                [*uvicorn, "raw_starlette:app"],
                {**base_env, "PEER_DSN": libpq(db.app_url)},
                PEERS_DIR,
            )
        )
    try:
        for name, command, env, cwd in specs:
            port = free_port()
            log = workdir / f"{name}.log"
            with log.open("wb") as out:
                process = subprocess.Popen(
                    [*command, "--port", str(port)],
                    env=env,
                    cwd=cwd,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            started[name] = Server(name, f"http://127.0.0.1:{port}", process, log)
        for server in started.values():
            _wait_ready(server, "/v1/work-orders?limit=1", {"Authorization": f"Bearer {token}"})
        yield started
    finally:
        for server in started.values():
            server.process.terminate()
        for server in started.values():
            try:
                server.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait(timeout=15)


# ------------------------------------------------------------------ an OTLP receiver


class OtlpReceiver:
    """A small OTLP/HTTP trace receiver on loopback (what a collector beside the process
    would be): answers every ``POST /v1/traces`` with an empty success and counts the
    export requests, their bytes and the spans in them."""

    def __init__(self) -> None:
        self.exports = 0
        self.bytes = 0
        self.spans = 0
        self.names: dict[str, int] = {}
        lock = threading.Lock()
        receiver = self
        ok = ExportTraceServiceResponse().SerializeToString()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                request = ExportTraceServiceRequest()
                request.ParseFromString(body)
                with lock:
                    receiver.exports += 1
                    receiver.bytes += len(body)
                    for resource in request.resource_spans:
                        for scope in resource.scope_spans:
                            receiver.spans += len(scope.spans)
                            for span in scope.spans:
                                receiver.names[span.name] = receiver.names.get(span.name, 0) + 1
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(ok)))
                self.end_headers()
                self.wfile.write(ok)

            def log_message(self, *_args: object) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# ------------------------------------------------------------------ load


#: Prints the figures wrk's summary rounds away, in a line ``run_wrk`` parses.
WRK_SCRIPT = """\
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer %(token)s"
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%%d duration_us=%%d errors=%%d status_errors=%%d p50_us=%%d p99_us=%%d\\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
"""


@dataclass(frozen=True)
class Load:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: apt-get install -y wrk", file=sys.stderr)
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk could not be installed")
    return found


def run_wrk(
    url: str, token: str, workdir: Path, *, seconds: int, connections: int = 16, threads: int = 1
) -> Load:
    script = workdir / "bench.lua"
    script.write_text(WRK_SCRIPT % {"token": token})
    completed = subprocess.run(
        [
            wrk_binary(),
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    )
    match = re.search(
        r"BENCH requests=(\d+) duration_us=(\d+) errors=(\d+) status_errors=(\d+) "
        r"p50_us=(\d+) p99_us=(\d+)",
        completed.stdout,
    )
    if match is None:
        raise RuntimeError(f"could not read wrk's output:\n{completed.stdout}\n{completed.stderr}")
    n, us, errors, status_errors, p50, p99 = (int(g) for g in match.groups())
    return Load(n, us / 1e6, errors + status_errors, p50 / 1e3, p99 / 1e3)
