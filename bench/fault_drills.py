"""Fault drills: `maintrac serve` with production settings on a private PostgreSQL and a
private Redis (with a real `maintrac relay` and `maintrac worker`), under a bounded
loopback load, through restart, outage, freeze, slot exhaustion, a locked table, Redis
killed and Redis frozen, slow clients, and oversized and hostile input. Prints a table and
exits non-zero when a drill fails its promise.

    make drill-faults            (about four minutes; needs initdb and redis-server)
    .venv/bin/python bench/fault_drills.py --workers 16 --fault-seconds 10
    .venv/bin/python bench/fault_drills.py --only redis-killed,redis-frozen

Every create carries an Idempotency-Key and a unique title and is recorded: acknowledged
(201), failed (a problem answer: the change must not exist), or unknown (commit outcome
unknown, or no answer at all). Afterwards every acknowledged create must be stored, no
failed one may be, and each unknown one is retried with its key, which must settle it
without a duplicate. Every create also writes an outbox row (its domain event); after
the run every such row must be published by the relay and run by the worker (a
`job_runs` row under the message's id). While Redis is down or frozen every route must
answer as before (the rate limiter fails open, reads bypass the reference cache, writes
wait in the outbox), `/readyz` must say 200 `degraded`, and the recovery figure is the
time from Redis's return until every outbox row written before it was published.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt
import psycopg
import redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.faults.cluster import PrivateCluster, free_port  # noqa: E402

from maintrac.api.security import mint_token  # noqa: E402
from maintrac.core.auth import PERMISSIONS  # noqa: E402
from maintrac.db.engine import make_engine  # noqa: E402
from maintrac.db.transaction import Database  # noqa: E402
from maintrac.services.tenants import provision_tenant  # noqa: E402

MIB = 1024 * 1024
#: The rate limiter's log line when it starts failing open (services/ratelimit.py).
FAIL_OPEN_LINE = "rate limiter failing open"


@dataclass
class Phase:
    name: str
    statuses: Counter[str] = field(default_factory=Counter)
    max_latency: float = 0.0
    fault_end: float | None = None
    successes: list[tuple[float, float]] = field(default_factory=list)
    note: str = ""
    #: Redis drills: seconds from the fault's end until the outbox backlog of before it
    #: was published (None: not measured, or never drained)
    drained: float | None = None
    redis: bool = False

    def recovery(self) -> float | None:
        if self.redis:
            return self.drained
        if self.fault_end is None:
            return None
        after = [end for start, end in self.successes if start >= self.fault_end]
        return round(min(after) - self.fault_end, 2) if after else None


@dataclass
class Ledger:
    acknowledged: dict[str, str] = field(default_factory=dict)  # title -> id
    failed: set[str] = field(default_factory=set)  # titles
    unknown: dict[str, str] = field(default_factory=dict)  # title -> idempotency key


class PrivateRedis:
    """A redis-server of the drill's own on a free port, kept on nothing (like the
    machine's: ``--save "" --appendonly no``), that the drill kills, restarts, freezes."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is required (Debian: apt-get install redis-server)")
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
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def freeze(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)

    def messages(self) -> int:
        """Messages Redis holds: waiting in a queue, or taken by a worker and not yet
        acknowledged (kombu's ``unacked`` hash)."""
        client = redis.Redis(port=self.port, socket_timeout=5)
        try:
            queued = sum(int(client.llen(key)) for key in client.scan_iter(_type="list"))
            return queued + int(client.hlen("unacked"))
        finally:
            client.close()

    def stop(self) -> None:
        if self.process is not None:
            self.thaw()
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


class Drill:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.cluster = PrivateCluster(max_connections=args.max_connections, name="drill")
        self.secret = secrets.token_urlsafe(48)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.ledger = Ledger()
        self.phases: list[Phase] = []
        self.phase = Phase("setup")
        self.server: subprocess.Popen[bytes] | None = None
        self.redis = PrivateRedis(self.cluster.root)
        self.jobs: list[subprocess.Popen[bytes]] = []  # the relay and the worker
        self.stop_load = asyncio.Event()
        self.token = ""
        self.tenant: uuid.UUID | None = None
        self.redis_ok = True
        self.redis_findings: list[str] = []

    # ------------------------------------------------------------------ setup

    def start(self) -> None:
        self.cluster.create()
        owner, app = self.cluster.urls()
        database = Database(make_engine(owner, pool_size=1))
        tenant = provision_tenant(database, "Drill Plant", "UTC")
        database.dispose()
        self.tenant = tenant
        self.redis.start()
        self.token = mint_token(
            self.secret,
            subject=str(uuid.uuid4()),
            tenant_id=tenant,
            role="admin",
            permissions=sorted(PERMISSIONS),
            ttl_seconds=3600,
        )
        env = {
            **os.environ,
            "ENVIRONMENT": "production",
            "DATABASE_URL": app,
            "MIGRATION_DATABASE_URL": owner,
            "JWT_SECRET": self.secret,
            "DATABASE_POOL_SIZE": str(self.args.pool_size),
            "REDIS_URL": self.redis.url,
            # WARNING: the fail-open and cache-bypass lines of the Redis drills are kept.
            "LOG_LEVEL": "WARNING",
            # Rate limits on (one Redis round trip per request, failing open when Redis is
            # down), with a plan the drill's one token never exhausts.
            "RATE_LIMITS_ENABLED": "true",
            "RATE_LIMIT_PLANS": json.dumps(
                {"standard": {"tenant": "100000000/60", "sub": "100000000/60"}}
            ),
            "OUTBOX_POLL_SECONDS": "1",
            # The republish sweep (relay) checks published messages 10 s after publishing
            # instead of 5 min, every 2 s, so a message the killed Redis lost is published
            # again within the 90 s the drill waits at the end for every job to have run.
            "OUTBOX_REPUBLISH_AFTER_SECONDS": "10",
            "OUTBOX_REPUBLISH_INTERVAL_SECONDS": "2",
            # A message left unacknowledged by a worker that lost its connection counts
            # as lost once older than 2 x JOBS_TIME_LIMIT + JOBS_RETRY_BACKOFF_MAX: 65 s
            # here (the drill's tasks take milliseconds), 2 h 10 min by default.
            "JOBS_TIME_LIMIT": "30",
            "JOBS_RETRY_BACKOFF_MAX": "5",
        }
        for name, command in (
            ("relay", ["relay"]),
            (
                "worker",
                [
                    "worker",
                    "--concurrency",
                    "1",
                    "--without-gossip",
                    "--without-mingle",
                    "--hostname",
                    "drill@%h",
                ],
            ),
        ):
            self.jobs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "maintrac.cli", *command],
                    # The watchdog's stall window (60 s by default) well inside the 90 s
                    # the drill waits at the end for every job to have run.
                    env={**env, "LOG_LEVEL": "INFO", "WORKER_STALL_SECONDS": "20"},
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=(self.cluster.root / f"{name}.log").open("wb"),
                    start_new_session=True,  # a prefork worker's children are signalled too
                )
            )
        self.server = subprocess.Popen(
            [sys.executable, "-m", "maintrac.cli", "serve", "--port", str(self.port)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=(self.cluster.root / "api.log").open("wb"),  # lives with the process
        )
        deadline = time.monotonic() + 120  # a loaded machine starts three processes slowly
        while True:
            try:
                if httpx.get(self.base + "/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the API did not become ready")
            time.sleep(0.2)

    def close(self) -> None:
        for process in self.jobs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.jobs:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
        self.redis.stop()
        if self.args.logs:
            Path(self.args.logs).mkdir(parents=True, exist_ok=True)
            for log in self.cluster.root.glob("*.log"):
                shutil.copy(log, Path(self.args.logs) / log.name)
        if self.server is not None:
            self.server.send_signal(signal.SIGTERM)
            try:
                self.server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.server.kill()
        self.cluster.destroy()

    def peak_memory_mib(self) -> float:
        if self.server is None:
            return float("nan")
        status = Path(f"/proc/{self.server.pid}/status").read_text()
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    # ------------------------------------------------------------------ load

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def worker(self, client: httpx.AsyncClient, number: int) -> None:
        i = 0
        while not self.stop_load.is_set():
            i += 1
            phase = self.phase
            started = time.monotonic()
            if i % 5 < 2:
                title = f"drill-{number}-{i}-{uuid.uuid4().hex[:8]}"
                key = str(uuid.uuid4())
                outcome = await self._create(client, title, key)
            elif i % 5 == 4:
                outcome = await self._list(client, "/v1/task-codes?limit=20")  # cached
            else:
                outcome = await self._list(client)
            ended = time.monotonic()
            phase.statuses[outcome] += 1
            phase.max_latency = max(phase.max_latency, ended - started)
            if outcome.startswith("2"):
                phase.successes.append((started, ended))
            else:
                await asyncio.sleep(0.05)  # a client backs off a little on errors

    async def _list(self, client: httpx.AsyncClient, path: str = "/v1/work-orders?limit=20") -> str:
        try:
            response = await client.get(path, headers=self.headers)
        except httpx.HTTPError as exc:
            return f"no answer ({type(exc).__name__})"
        return self._label(response)

    async def _create(self, client: httpx.AsyncClient, title: str, key: str) -> str:
        try:
            response = await client.post(
                "/v1/work-orders",
                json={"title": title},
                headers={**self.headers, "Idempotency-Key": key},
            )
        except httpx.HTTPError as exc:
            self.ledger.unknown[title] = key
            return f"no answer ({type(exc).__name__})"
        if response.status_code == 201:
            self.ledger.acknowledged[title] = response.json()["id"]
        elif _code(response) == "commit_outcome_unknown":
            self.ledger.unknown[title] = key
        else:
            self.ledger.failed.add(title)
        return self._label(response)

    @staticmethod
    def _label(response: httpx.Response) -> str:
        code = _code(response)
        if response.status_code == 503 and "retry-after" not in response.headers:
            return "503 without Retry-After"
        if code == "service_unavailable":
            code += f"/{json.loads(response.content).get('reason', '?')}"
        return f"{response.status_code} {code}" if code else str(response.status_code)

    # ------------------------------------------------------------------ phases

    async def run_phase(self, name: str, fault: Any, seconds: float) -> Phase:
        phase = Phase(name)
        self.phase = phase
        self.phases.append(phase)
        print(f"  {name} ...", file=sys.stderr, flush=True)
        await asyncio.sleep(2)  # steady load before the fault
        await fault(phase, seconds)
        await asyncio.sleep(self.args.settle_seconds)  # and the recovery after it
        return phase

    async def baseline(self, _phase: Phase, seconds: float) -> None:
        await asyncio.sleep(seconds)

    async def restart(self, phase: Phase, _seconds: float) -> None:
        await asyncio.to_thread(self.cluster.restart)
        phase.fault_end = time.monotonic()

    async def outage(self, phase: Phase, seconds: float) -> None:
        await asyncio.to_thread(self.cluster.stop)
        await asyncio.sleep(seconds)
        await asyncio.to_thread(self.cluster.start)
        phase.fault_end = time.monotonic()

    async def frozen(self, phase: Phase, seconds: float) -> None:
        self.cluster.freeze()
        await asyncio.sleep(seconds)
        self.cluster.thaw()
        phase.fault_end = time.monotonic()

    async def slots(self, phase: Phase, seconds: float) -> None:
        """Every connection slot taken by others, after the app's own were cut."""

        def take() -> list[Any]:
            # The app reconnects at once: cut and fill until its slots are taken too.
            held = self.cluster.fill_connection_slots()
            for _ in range(5):
                self.cluster.terminate_app_backends()
                held += self.cluster.fill_connection_slots()
            return held

        held = await asyncio.to_thread(take)
        phase.note = f"{len(held)} slots held"
        await asyncio.sleep(seconds)
        for conn in held:
            conn.close()
        phase.fault_end = time.monotonic()

    async def locked(self, phase: Phase, seconds: float) -> None:
        conn = await asyncio.to_thread(psycopg.connect, self.cluster.psql_url())
        await asyncio.to_thread(conn.execute, "LOCK TABLE work_orders IN ACCESS EXCLUSIVE MODE")
        await asyncio.sleep(seconds)
        await asyncio.to_thread(conn.rollback)
        conn.close()
        phase.fault_end = time.monotonic()

    # ------------------------------------------------------------------ Redis

    async def redis_killed(self, phase: Phase, seconds: float) -> None:
        """SIGKILL: connections reset, then refused; a new, empty Redis comes back. The
        worker is paused (SIGSTOP) for 2 s first, so that the killed Redis holds messages
        published and not yet run (waiting, or taken by the worker): lost with it, they
        must be found and published again by the relay's republish sweep."""
        held = 0

        def kill_holding_messages() -> None:
            nonlocal held
            worker = self.jobs[1]
            os.killpg(worker.pid, signal.SIGSTOP)
            try:
                time.sleep(2)
                held = self.redis.messages()
                self.redis.kill()
            finally:
                os.killpg(worker.pid, signal.SIGCONT)

        await self._redis_fault(phase, seconds, kill_holding_messages, self.redis.start)
        phase.note += f"; Redis held {held} message(s) when killed (worker paused 2 s)"

    async def redis_frozen(self, phase: Phase, seconds: float) -> None:
        """SIGSTOP: the kernel still accepts connections but nothing answers (a paused VM,
        a partition): only client-side socket timeouts end the waits."""
        await self._redis_fault(phase, seconds, self.redis.freeze, self.redis.thaw)

    async def _redis_fault(self, phase: Phase, seconds: float, fault: Any, heal: Any) -> None:
        phase.redis = True
        fail_open_before = await self._fail_open_total()
        lines_before = self._api_log_count(FAIL_OPEN_LINE)
        backlog_before = await asyncio.to_thread(self._outbox_pending)
        await asyncio.to_thread(fault)
        ready: Counter[str] = Counter()
        ready_longest = 0.0
        peak = backlog_before
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            label, took = await self._readyz()
            ready[label] += 1
            ready_longest = max(ready_longest, took)
            peak = max(peak, await asyncio.to_thread(self._outbox_pending))
            await asyncio.sleep(max(0.0, min(1.0, until - time.monotonic())))
        mark = await asyncio.to_thread(self._database_now)
        await asyncio.to_thread(heal)
        phase.fault_end = time.monotonic()
        phase.drained = await self._drained_since(mark, phase.fault_end, timeout=90)
        fail_open = await self._fail_open_total() - fail_open_before
        lines = self._api_log_count(FAIL_OPEN_LINE) - lines_before
        phase.note = (
            f"/readyz: {dict(ready)}, longest {ready_longest:.2f} s; outbox backlog "
            f"{backlog_before} -> {peak}; rate limiter fail-open +{fail_open:.0f} "
            f"(metric), {lines} log line(s)"
        )
        if set(ready) != {"200 degraded"}:
            self.redis_findings.append(f"{phase.name}: /readyz said {dict(ready)}")
        if fail_open <= 0 or lines <= 0:
            self.redis_findings.append(f"{phase.name}: fail-open not reported")
        if phase.drained is None:
            self.redis_findings.append(f"{phase.name}: the outbox did not drain")
        if peak <= backlog_before:
            self.redis_findings.append(f"{phase.name}: the outbox did not grow")

    async def _readyz(self) -> tuple[str, float]:
        started = time.monotonic()
        try:
            async with httpx.AsyncClient(base_url=self.base, timeout=30) as client:
                response = await client.get("/readyz")
        except httpx.HTTPError as exc:
            return f"no answer ({type(exc).__name__})", time.monotonic() - started
        took = time.monotonic() - started
        try:
            status = str(response.json().get("status", "?"))
        except ValueError:
            status = "?"
        return f"{response.status_code} {status}", took

    async def _fail_open_total(self) -> float:
        async with httpx.AsyncClient(base_url=self.base, timeout=30) as client:
            text = (await client.get("/metrics")).text
        found = re.search(r"^maintrac_rate_limiter_fail_open_total (\S+)$", text, re.M)
        return float(found[1]) if found else 0.0

    def _api_log_count(self, needle: str) -> int:
        path = self.cluster.root / "api.log"
        return path.read_text(errors="replace").count(needle) if path.exists() else 0

    def _sql(self, query: str, *params: Any) -> Any:
        with psycopg.connect(self.cluster.psql_url(), connect_timeout=5) as conn:
            return conn.execute(query, params).fetchone()[0]  # type: ignore[index]

    def _outbox_pending(self) -> int:
        return int(
            self._sql(
                "SELECT count(*) FROM outbox_messages "
                "WHERE published_at IS NULL AND not_before <= now()"
            )
        )

    def _database_now(self) -> Any:
        return self._sql("SELECT clock_timestamp()")

    async def _drained_since(self, mark: Any, since: float, timeout: float) -> float | None:
        """Seconds from ``since`` until every outbox row written before ``mark`` is
        published (None when it is not within ``timeout``)."""
        query = (
            "SELECT count(*) FROM outbox_messages WHERE published_at IS NULL "
            "AND not_before <= now() AND created_at <= %s"
        )
        while time.monotonic() - since < timeout:
            if int(await asyncio.to_thread(self._sql, query, mark)) == 0:
                return round(time.monotonic() - since, 2)
            await asyncio.sleep(0.2)
        return None

    def jobs_not_run(self, timeout: float = 90) -> tuple[int, int, int, int]:
        """(outbox messages, of them never run, failed for good, published again by the
        relay's republish sweep), waiting up to ``timeout`` for the worker to catch up."""
        query = (
            "SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM job_runs j "
            "WHERE j.tenant_id = o.tenant_id AND j.task_id = o.id)), "
            "(SELECT count(*) FROM job_failures), count(*) FILTER (WHERE o.republishes > 0) "
            "FROM outbox_messages o WHERE o.not_before <= now()"
        )
        deadline = time.monotonic() + timeout
        while True:
            with psycopg.connect(self.cluster.psql_url(), connect_timeout=5) as conn:
                row = conn.execute(query).fetchone()
            total, missing, failed, republished = (int(v) for v in row)  # type: ignore[union-attr]
            if missing == 0 or time.monotonic() > deadline:
                if missing:
                    self._print_not_run()
                return total, missing, failed, republished
            time.sleep(1)

    def _print_not_run(self) -> None:
        """The outbox rows of the jobs that never ran, and where Redis has them."""
        query = (
            "SELECT o.id, o.created_at, o.published_at, o.broker_seen_at, o.republishes, "
            "o.attempts, o.last_error, now() FROM outbox_messages o WHERE o.not_before <= now() "
            "AND NOT EXISTS (SELECT 1 FROM job_runs j WHERE j.tenant_id = o.tenant_id "
            "AND j.task_id = o.id) LIMIT 20"
        )
        with psycopg.connect(self.cluster.psql_url(), connect_timeout=5) as conn:
            rows = conn.execute(query).fetchall()
        client = redis.Redis(port=self.redis.port, socket_timeout=5)
        raw = {
            key.decode(): [item.decode(errors="replace") for item in client.lrange(key, 0, -1)]
            for key in client.scan_iter(_type="list")
        }
        raw["unacked"] = [v.decode(errors="replace") for v in client.hvals("unacked")]
        client.close()
        for row in rows:
            where = [key for key, items in raw.items() if any(str(row[0]) in i for i in items)]
            print(f"never ran: {row}; in Redis: {where or 'nowhere'}")

    # ------------------------------------------------------------------ hostile clients

    async def slow_clients(self, phase: Phase, _seconds: float) -> None:
        """Clients that promise a body and stop sending: each must get a 408 in time."""
        answers = await asyncio.gather(*(self._slow_client() for _ in range(self.args.slow)))
        got = Counter(status for status, _ in answers)
        longest = max(took for _, took in answers)
        phase.note = f"{self.args.slow} slow clients: {dict(got)}, longest {longest:.1f} s"
        for status, _ in answers:
            phase.statuses[f"slow client {status}"] += 0  # listed, not counted as load
        phase.fault_end = time.monotonic()
        self.slow_ok = got == Counter({"408": self.args.slow})

    async def _slow_client(self) -> tuple[str, float]:
        started = time.monotonic()
        head = (
            "POST /v1/work-orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Authorization: Bearer {self.token}\r\nContent-Length: 1000\r\n\r\n"
            '{"title": "slow'
        ).encode()
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
            writer.write(head)
            await writer.drain()
            line = await asyncio.wait_for(reader.readline(), 120)
            writer.close()
        except (OSError, TimeoutError):
            return "no answer", time.monotonic() - started
        parts = line.split()
        return (parts[1].decode() if len(parts) > 1 else "closed"), time.monotonic() - started

    async def oversized(self, phase: Phase, _seconds: float) -> None:
        """One 500 MB and four 100 MB bodies (streamed for real), and hostile content."""
        sizes = [500 * MIB] + [100 * MIB] * 4
        results = await asyncio.gather(*(self._big_body(size) for size in sizes))
        hostile = await self._hostile()
        phase.note = f"big bodies: {dict(Counter(results))}; hostile: {dict(hostile)}"
        self.big_ok = set(results) == {"413"}
        self.hostile_ok = all(status.startswith("4") for status in hostile)
        phase.fault_end = time.monotonic()

    async def _big_body(self, size: int) -> str:
        head = (
            "POST /v1/work-orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Authorization: Bearer {self.token}\r\nContent-Length: {size}\r\n\r\n"
        ).encode()
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        reply = asyncio.create_task(reader.readline())  # the answer may come mid-body
        writer.write(head)
        chunk = b"x" * MIB
        try:
            for _ in range(size // MIB):
                if reply.done():
                    break
                writer.write(chunk)
                await asyncio.wait_for(writer.drain(), 10)
        except (OSError, TimeoutError):
            pass  # refused mid-way: the server stopped reading
        try:
            line = await asyncio.wait_for(reply, 10)
        except (OSError, TimeoutError):
            return "no answer"
        finally:
            writer.close()
        parts = line.split()
        return parts[1].decode() if len(parts) > 1 else "closed"

    async def _hostile(self) -> Counter[str]:
        json_type = {**self.headers, "Content-Type": "application/json"}
        deep = "[" * 10_000 + "]" * 10_000
        bodies = [
            '{"title": "edge", "dueAt": "0001-01-01T00:00:00+14:00"}',
            '{"title": "edge", "dueAt": "9999-12-31T23:59:59-14:00"}',
            '{"title": ' + deep + "}",
            '{"title": "big", "estimatedHours": ' + "9" * 5000 + "}",
            '{"title": "nan", "estimatedHours": NaN}',
        ]
        got: Counter[str] = Counter()
        async with httpx.AsyncClient(base_url=self.base, timeout=30) as client:
            for raw in bodies:
                response = await client.post("/v1/work-orders", content=raw, headers=json_type)
                got[str(response.status_code)] += 1
            push = await client.post(
                "/v1/sync/push", content='{"changes": ' + deep + "}", headers=json_type
            )
            got[str(push.status_code)] += 1
            bare = await client.post(
                "/v1/work-orders", content=b'{"title": "x"}', headers=self.headers
            )
            got[str(bare.status_code)] += 1
            for claims in ({"sub": "a\x00b"}, {"name": "x\ud800"}):
                payload = jwt.decode(self.token, options={"verify_signature": False})
                bad = jwt.encode({**payload, **claims}, self.secret, algorithm="HS256")
                response = await client.get(
                    "/v1/users/me", headers={"Authorization": f"Bearer {bad}"}
                )
                got[str(response.status_code)] += 1
        return got

    # ------------------------------------------------------------------ run

    async def run(self) -> None:
        seconds = self.args.fault_seconds
        limits = httpx.Limits(max_connections=self.args.workers)
        async with httpx.AsyncClient(base_url=self.base, timeout=60, limits=limits) as client:
            workers = [
                asyncio.create_task(self.worker(client, n)) for n in range(self.args.workers)
            ]
            drills = {
                "baseline": ("baseline", self.baseline),
                "restart": ("restart", self.restart),
                "outage": (f"outage {seconds:g} s", self.outage),
                "frozen": (f"frozen {seconds:g} s", self.frozen),
                "slots": (f"no free slot {seconds:g} s", self.slots),
                "locked": (f"locked table {seconds:g} s", self.locked),
                "redis-killed": (f"Redis killed {seconds:g} s", self.redis_killed),
                "redis-frozen": (f"Redis frozen {seconds:g} s", self.redis_frozen),
                "slow": ("slow clients", self.slow_clients),
                "hostile": ("oversized, hostile", self.oversized),
            }
            for key in ["baseline", *(k for k in self.args.only if k != "baseline")]:
                name, fault = drills[key]
                await self.run_phase(name, fault, seconds)
            self.stop_load.set()
            await asyncio.gather(*workers)

    def verify(self) -> dict[str, int]:
        """Read every work order back; settle the unknown creates by retrying their keys."""
        with httpx.Client(base_url=self.base, timeout=60, headers=self.headers) as client:
            settled = Counter()
            for title, key in self.ledger.unknown.items():
                response = client.post(
                    "/v1/work-orders", json={"title": title}, headers={"Idempotency-Key": key}
                )
                settled[str(response.status_code)] += 1
            stored: Counter[str] = Counter()
            cursor = None
            while True:
                params = {"limit": 200, **({"cursor": cursor} if cursor else {})}
                page = client.get("/v1/work-orders", params=params).json()
                stored.update(w["title"] for w in page["data"])
                if not page["hasMore"]:
                    break
                cursor = page["nextCursor"]
        return {
            "acknowledged": len(self.ledger.acknowledged),
            "lost": sum(1 for t in self.ledger.acknowledged if t not in stored),
            "failed": len(self.ledger.failed),
            "failed applied": sum(1 for t in self.ledger.failed if t in stored),
            "unknown": len(self.ledger.unknown),
            "unknown settled": sum(settled[s] for s in ("200", "201")),
            "duplicates": sum(1 for n in stored.values() if n > 1),
            **dict(
                zip(
                    ("jobs", "jobs not run", "jobs failed", "jobs republished"),
                    self.jobs_not_run(),
                    strict=True,
                )
            ),
        }


def _code(response: httpx.Response) -> str:
    if response.headers.get("content-type") != "application/problem+json":
        return ""
    try:
        return str(json.loads(response.content).get("code", ""))
    except ValueError:
        return ""


def report(drill: Drill, totals: dict[str, int], peak: float) -> bool:
    print()
    print("| drill | requests | answers by status | max latency s | recovery s | notes |")
    print("|---|---|---|---|---|---|")
    five_hundreds = 0
    for phase in drill.phases:
        counted = {k: v for k, v in phase.statuses.items() if v}
        five_hundreds += sum(v for k, v in counted.items() if k.startswith("500"))
        five_hundreds += sum(v for k, v in counted.items() if "without Retry-After" in k)
        answers = ", ".join(f"{k}: {v}" for k, v in sorted(counted.items()))
        recovery = phase.recovery()
        print(
            f"| {phase.name} | {sum(counted.values())} | {answers} | {phase.max_latency:.2f} | "
            f"{'-' if recovery is None else recovery} | {phase.note} |"
        )
    print()
    print(
        "recovery s: until the first successful request after the fault; for the Redis "
        "drills, until every outbox row written before Redis came back was published"
    )
    print(
        f"acknowledged creates: {totals['acknowledged']}; lost: {totals['lost']} (must be 0); "
        f"failed: {totals['failed']}, applied: {totals['failed applied']} (must be 0); "
        f"outcome unknown: {totals['unknown']}, settled by retry with the same key: "
        f"{totals['unknown settled']}; duplicates: {totals['duplicates']} (must be 0)"
    )
    print(f"peak memory of the API process (VmHWM): {peak:.0f} MiB; 500 answers: {five_hundreds}")
    print(
        f"jobs: {totals['jobs']} outbox messages, {totals['jobs not run']} never ran "
        f"(must be 0), {totals['jobs failed']} failed for good, "
        f"{totals['jobs republished']} published again by the republish sweep (lost by Redis)"
    )
    for finding in drill.redis_findings:
        print(f"Redis drill: {finding}")
    max_latency = max(p.max_latency for p in drill.phases)
    redis_phases = [p for p in drill.phases if p.redis]
    redis_errors = sum(
        v for p in redis_phases for k, v in p.statuses.items() if not k.startswith("2")
    )
    if redis_errors:
        print(f"Redis drill: {redis_errors} answers other than 2xx while Redis was down")
    ok = (
        totals["lost"] == 0
        and totals["failed applied"] == 0
        and totals["duplicates"] == 0
        and totals["unknown settled"] == totals["unknown"]
        and five_hundreds == 0
        and ("slow" not in drill.args.only or getattr(drill, "slow_ok", False))
        and ("hostile" not in drill.args.only or getattr(drill, "big_ok", False))
        and ("hostile" not in drill.args.only or getattr(drill, "hostile_ok", False))
        and max_latency < drill.args.max_latency
        and totals["jobs not run"] == 0
        and not drill.redis_findings
        and redis_errors == 0
    )
    print("drills:", "PASS" if ok else "FAIL")
    return ok


ALL_DRILLS = (
    "restart",
    "outage",
    "frozen",
    "slots",
    "locked",
    "redis-killed",
    "redis-frozen",
    "slow",
    "hostile",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=16, help="concurrent clients")
    parser.add_argument("--fault-seconds", type=float, default=10)
    parser.add_argument("--settle-seconds", type=float, default=6)
    parser.add_argument("--pool-size", type=int, default=10)
    parser.add_argument("--max-connections", type=int, default=30)
    parser.add_argument("--slow", type=int, default=50, help="slow clients at once")
    parser.add_argument(
        "--max-latency", type=float, default=20, help="no request may take longer (s)"
    )
    parser.add_argument("--logs", help="copy the API, relay, worker and PostgreSQL logs here")
    parser.add_argument(
        "--only",
        type=lambda text: [k.strip() for k in text.split(",") if k.strip()],
        default=list(ALL_DRILLS),
        help=f"comma-separated drills to run after the baseline ({','.join(ALL_DRILLS)})",
    )
    args = parser.parse_args()
    unknown = set(args.only) - set(ALL_DRILLS) - {"baseline"}
    if unknown:
        parser.error(f"unknown drills: {sorted(unknown)}")
    socket.setdefaulttimeout(None)
    drill = Drill(args)
    started = time.monotonic()
    try:
        print(
            "starting a private PostgreSQL, a private Redis, `maintrac serve`, relay and "
            "worker ...",
            file=sys.stderr,
        )
        drill.start()
        asyncio.run(drill.run())
        totals = drill.verify()
        peak = drill.peak_memory_mib()
        ok = report(drill, totals, peak)
    finally:
        drill.close()
    print(f"run time: {time.monotonic() - started:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
