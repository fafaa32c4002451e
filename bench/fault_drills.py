"""Fault drills: `maintrac serve` with production settings on a private PostgreSQL, under a
bounded loopback load, through restart, outage, freeze, slot exhaustion, a locked table,
slow clients, and oversized and hostile input. Prints a table and exits non-zero when a
drill fails its promise.

    make drill-faults            (about three minutes; needs initdb, i.e. Debian's postgresql)
    .venv/bin/python bench/fault_drills.py --workers 16 --fault-seconds 10

Every create carries an Idempotency-Key and a unique title and is recorded: acknowledged
(201), failed (a problem answer: the change must not exist), or unknown (commit outcome
unknown, or no answer at all). Afterwards every acknowledged create must be stored, no
failed one may be, and each unknown one is retried with its key, which must settle it
without a duplicate. Redis down under load is not drilled: the job layer is not on main.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.faults.cluster import PrivateCluster, free_port  # noqa: E402

from maintrac.api.security import mint_token  # noqa: E402
from maintrac.core.auth import PERMISSIONS  # noqa: E402
from maintrac.db.engine import make_engine  # noqa: E402
from maintrac.db.transaction import Database  # noqa: E402
from maintrac.services.tenants import provision_tenant  # noqa: E402

MIB = 1024 * 1024


@dataclass
class Phase:
    name: str
    statuses: Counter[str] = field(default_factory=Counter)
    max_latency: float = 0.0
    fault_end: float | None = None
    successes: list[tuple[float, float]] = field(default_factory=list)
    note: str = ""

    def recovery(self) -> float | None:
        if self.fault_end is None:
            return None
        after = [end for start, end in self.successes if start >= self.fault_end]
        return round(min(after) - self.fault_end, 2) if after else None


@dataclass
class Ledger:
    acknowledged: dict[str, str] = field(default_factory=dict)  # title -> id
    failed: set[str] = field(default_factory=set)  # titles
    unknown: dict[str, str] = field(default_factory=dict)  # title -> idempotency key


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
        self.stop_load = asyncio.Event()
        self.token = ""

    # ------------------------------------------------------------------ setup

    def start(self) -> None:
        self.cluster.create()
        owner, app = self.cluster.urls()
        database = Database(make_engine(owner, pool_size=1))
        tenant = provision_tenant(database, "Drill Plant", "UTC")
        database.dispose()
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
            "LOG_LEVEL": "ERROR",
            # The drills load one token at 50 connections: rate limits would refuse it.
            "RATE_LIMITS_ENABLED": "false",
        }
        self.server = subprocess.Popen(
            [sys.executable, "-m", "maintrac.cli", "serve", "--port", str(self.port)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=(self.cluster.root / "api.log").open("wb"),  # lives with the process
        )
        deadline = time.monotonic() + 30
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
            else:
                outcome = await self._list(client)
            ended = time.monotonic()
            phase.statuses[outcome] += 1
            phase.max_latency = max(phase.max_latency, ended - started)
            if outcome.startswith("2"):
                phase.successes.append((started, ended))
            else:
                await asyncio.sleep(0.05)  # a client backs off a little on errors

    async def _list(self, client: httpx.AsyncClient) -> str:
        try:
            response = await client.get("/v1/work-orders?limit=20", headers=self.headers)
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
            await self.run_phase("baseline", self.baseline, seconds)
            await self.run_phase("restart", self.restart, seconds)
            await self.run_phase(f"outage {seconds:g} s", self.outage, seconds)
            await self.run_phase(f"frozen {seconds:g} s", self.frozen, seconds)
            await self.run_phase(f"no free slot {seconds:g} s", self.slots, seconds)
            await self.run_phase(f"locked table {seconds:g} s", self.locked, seconds)
            await self.run_phase("slow clients", self.slow_clients, seconds)
            await self.run_phase("oversized, hostile", self.oversized, seconds)
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
    print("| Redis down under load | - | not drilled: no job layer on main | - | - | |")
    print()
    print(
        f"acknowledged creates: {totals['acknowledged']}; lost: {totals['lost']} (must be 0); "
        f"failed: {totals['failed']}, applied: {totals['failed applied']} (must be 0); "
        f"outcome unknown: {totals['unknown']}, settled by retry with the same key: "
        f"{totals['unknown settled']}; duplicates: {totals['duplicates']} (must be 0)"
    )
    print(f"peak memory of the API process (VmHWM): {peak:.0f} MiB; 500 answers: {five_hundreds}")
    max_latency = max(p.max_latency for p in drill.phases)
    ok = (
        totals["lost"] == 0
        and totals["failed applied"] == 0
        and totals["duplicates"] == 0
        and totals["unknown settled"] == totals["unknown"]
        and five_hundreds == 0
        and getattr(drill, "slow_ok", False)
        and getattr(drill, "big_ok", False)
        and getattr(drill, "hostile_ok", False)
        and max_latency < drill.args.max_latency
    )
    print("drills:", "PASS" if ok else "FAIL")
    return ok


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
    args = parser.parse_args()
    socket.setdefaulttimeout(None)
    drill = Drill(args)
    started = time.monotonic()
    try:
        print("starting a private PostgreSQL and `maintrac serve` ...", file=sys.stderr)
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
