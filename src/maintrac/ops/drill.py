"""The restore drill: lose a cluster under write load, restore it, measure RPO and RTO.

One run, on a disposable cluster (``ops.cluster``) with the production backup settings
(``ops.backup``, ``archive_timeout`` 60 s unless told otherwise):

1. initdb, archiving on, roles and database by ``db.bootstrap``, migrations, a tenant;
   ``maintrac serve`` on it; seed work orders through the API; a full backup.
2. One writer keeps creating and renaming work orders through the API, recording for
   every write when it was sent and when its 2xx came back (acknowledged = committed
   with ``synchronous_commit = on``: on the server's disk, not yet in the archive).
   Every few seconds it pauses, leaving a gap no write straddles: a candidate recovery
   time for the second pass.
3. At a known moment the postmaster and its processes are SIGKILLed and the data
   directory removed. The API is stopped with it (the host is gone).
4. Pass 1: restore to the latest point, start PostgreSQL, wait for promotion, start the
   API, and time the first successful authenticated request: the RTO is loss -> that
   request. The work orders are read back through the API and must equal the state
   after exactly the first *k* acknowledged writes (nothing else, nothing partial): the
   ones after *k* are the lost writes; the RPO is the time from the last recovered write
   to the loss (0 when nothing was lost).
5. Pass 2: restore again, to a pause chosen among those before the last recovered write
   (``--type=time``); the data must hold exactly the writes acknowledged before it.

The drill fails (exit status 1) when a target is missed (RPO 1 h, RTO 4 h), when the data
differs from a prefix of the acknowledged writes, when a write failed before the loss, or
when the restored server does not accept a new write.
"""

from __future__ import annotations

import http.client
import json
import os
import pwd
import random
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any, Literal

from maintrac.api.security import DEFAULT_ROLE_PERMISSIONS, mint_token
from maintrac.db.bootstrap import ensure_roles_and_database, migrate, role_urls
from maintrac.db.engine import make_engine
from maintrac.db.transaction import Database
from maintrac.ops import backup
from maintrac.ops.cluster import ApiProcess, Cluster, free_port
from maintrac.services.tenants import provision_tenant

#: The decision record's recovery targets.
RPO_TARGET_SECONDS = 3600.0
RTO_TARGET_SECONDS = 4 * 3600.0
_SECRET = "maintrac-drill-secret-0123456789abcdef-0123456789"
_DATABASE = "maintrac"


# ---------------------------------------------------------------- what was written


@dataclass
class Write:
    """One write through the API: a create or a rename of a work order."""

    seq: int
    kind: Literal["create", "update"]
    work_order_id: str | None
    title: str
    sent: float
    acked: float | None = None
    status: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class PrefixMatch:
    """Which prefix of the writes the restored data equals (``None``: none does)."""

    applied: int | None
    mismatched_ids: tuple[str, ...] = ()


def match_prefix(
    seed: dict[str, str], writes: Sequence[Write], restored: dict[str, str]
) -> PrefixMatch:
    """Find the *k* for which ``restored`` (id -> title) equals seed + the first *k* writes.

    Every write sets a title nobody else uses, so at most one *k* matches. A restored
    state that matches no prefix (a write missing in the middle, a torn write, a row
    from nowhere) answers ``applied=None`` with the ids that differ from the closest
    prefix (the one with the fewest differences).
    """
    state = dict(seed)
    ids = set(state) | set(restored)
    differs = {i for i in ids if state.get(i) != restored.get(i)}
    best: tuple[int, set[str]] = (len(differs), set(differs))
    if not differs:
        return PrefixMatch(applied=0)
    for index, write in enumerate(writes, start=1):
        if write.work_order_id is None:
            break
        state[write.work_order_id] = write.title
        key = write.work_order_id
        if state.get(key) == restored.get(key):
            differs.discard(key)
        else:
            differs.add(key)
        if not differs:
            return PrefixMatch(applied=index)
        if len(differs) < best[0]:
            best = (len(differs), set(differs))
    return PrefixMatch(applied=None, mismatched_ids=tuple(sorted(best[1]))[:20])


# ---------------------------------------------------------------- HTTP


class ApiClient:
    """A small keep-alive JSON client (the drill runs from the CLI: no test dependencies)."""

    def __init__(self, port: int, token: str, timeout: float = 10.0) -> None:
        self.port = port
        self.token = token
        self.timeout = timeout
        self._conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request(
        self, method: str, path: str, body: dict[str, Any] | None = None
    ) -> tuple[int, Any]:
        if self._conn is None:
            self._conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            self._conn.request(method, path, body=payload, headers=headers)
            response = self._conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            data = None
        return response.status, data

    def list_titles(self) -> dict[str, str]:
        """Every live work order of the tenant, id -> title, through the paginated list."""
        titles: dict[str, str] = {}
        cursor: str | None = None
        while True:
            path = "/v1/work-orders?limit=200" + (f"&cursor={cursor}" if cursor else "")
            status, page = self.request("GET", path)
            if status != 200:
                raise RuntimeError(f"listing work orders answered {status}: {page}")
            for item in page["data"]:
                titles[item["id"]] = item["title"]
            if not page["hasMore"]:
                return titles
            cursor = page["nextCursor"]


class Writer(threading.Thread):
    """Creates (one in three) and renames work orders until stopped or a write fails."""

    def __init__(
        self, client: ApiClient, known_ids: list[str], *, pause_every: float, seed: int
    ) -> None:
        super().__init__(name="drill-writer", daemon=True)
        self.client = client
        self.ids = list(known_ids)
        self.pause_every = pause_every
        self.random = random.Random(seed)
        self.writes: list[Write] = []
        self.pauses: list[float] = []
        self.halt = threading.Event()

    def run(self) -> None:
        next_pause = time.time() + self.pause_every
        seq = 0
        while not self.halt.is_set():
            if time.time() >= next_pause:
                # A gap no write straddles: its midpoint is an unambiguous recovery time.
                time.sleep(0.25)
                self.pauses.append(time.time())
                time.sleep(0.25)
                next_pause = time.time() + self.pause_every
            seq += 1
            if not self.ids or self.random.random() < 1 / 3:
                write = Write(seq, "create", None, f"drill w{seq} created", time.time())
                method, path, body = "POST", "/v1/work-orders", {"title": write.title}
            else:
                target = self.random.choice(self.ids)
                write = Write(seq, "update", target, f"drill w{seq} renamed", time.time())
                method, path = "PATCH", f"/v1/work-orders/{target}"
                body = {"title": write.title}
            self.writes.append(write)
            try:
                status, data = self.client.request(method, path, body)
            except (OSError, http.client.HTTPException) as exc:
                write.error = f"{type(exc).__name__}: {exc}"
                return
            write.status = status
            if status not in (200, 201):
                write.error = f"HTTP {status}: {(data or {}).get('code')}"
                return
            write.acked = time.time()
            if write.kind == "create":
                write.work_order_id = data["id"]
                self.ids.append(data["id"])


# ---------------------------------------------------------------- the run


@dataclass
class PassResult:
    """One restore: where it stopped, what it lost, how long it took."""

    name: str
    recovery_target: str
    restore_seconds: float
    rto_seconds: float
    acknowledged: int
    recovered: int | None
    lost_rows: int | None
    rpo_seconds: float | None
    first_lost_age_seconds: float | None
    expected_recovered: int | None = None
    mismatched_ids: tuple[str, ...] = ()
    writable_after: bool = False
    #: The acknowledged writes the restore lacks: seq, kind, work order id, ack time.
    lost_writes: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class DrillReport:
    archive_timeout: int
    write_seconds: float
    seed_rows: int
    writes_sent: int
    writes_acknowledged: int
    loss_at: str
    backup_seconds: float
    passes: list[PassResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and all(not p.problems for p in self.passes)

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


def _iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="milliseconds")


@contextmanager
def _terminate_on_signal() -> Iterator[None]:
    """SIGTERM/SIGHUP raise SystemExit in the main thread, so cleanup still runs."""

    def handler(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for s, old in previous.items():
            signal.signal(s, old)


def _wait_ok(client: ApiClient, timeout: float) -> float:
    """Poll an authenticated read until it answers 200; return when it did."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            status, _ = client.request("GET", "/v1/work-orders?limit=1")
            if status == 200:
                return time.time()
        except (OSError, http.client.HTTPException):
            pass
        if time.monotonic() > deadline:
            raise TimeoutError("the API did not answer 200 after the restore")
        time.sleep(0.05)


class Drill:
    """State of one drill run; :meth:`run` does it all and cleans up."""

    def __init__(
        self,
        *,
        archive_timeout: int = backup.MAX_ARCHIVE_TIMEOUT,
        write_seconds: float = 90.0,
        pause_every: float = 4.0,
        seed_rows: int = 30,
        work_dir: Path | None = None,
        keep: bool = False,
        log: Any = print,
    ) -> None:
        if write_seconds <= archive_timeout:
            raise ValueError(
                "write_seconds must exceed archive_timeout, or nothing written after the "
                "backup is archived and the point-in-time pass has no target"
            )
        self.archive_timeout = archive_timeout
        self.write_seconds = write_seconds
        self.pause_every = pause_every
        self.seed_rows = seed_rows
        self.keep = keep
        self.log = log
        base = str(work_dir) if work_dir else None
        self.root = Path(tempfile.mkdtemp(prefix="maintrac-drill-", dir=base))
        self.cluster = Cluster(root=self.root / "cluster", port=free_port())
        self.api: ApiProcess | None = None
        self.target: backup.BackupTarget | None = None
        self.backup_end = 0.0

    # -- set-up

    def _setup(self) -> tuple[ApiClient, dict[str, str]]:
        cluster = self.cluster
        self.root.chmod(0o755)
        cluster.initdb()
        repo = cluster.make_dir(self.root / "repo")
        self.target = backup.BackupTarget(
            stanza="drill",
            pg_data=cluster.pgdata,
            pg_port=cluster.port,
            repo_path=repo,
            config_path=self.root / "pgbackrest" / "pgbackrest.conf",
            socket_path=cluster.socket_dir,
            log_path=cluster.make_dir(self.root / "pgbackrest-log"),
            lock_path=cluster.make_dir(self.root / "pgbackrest-lock"),
            archive_timeout=self.archive_timeout,
            process_max=1,
        )
        cluster.make_dir(self.target.config_path.parent, 0o755)
        backup.write_config(self.target)
        cluster.start()
        self.log(f"cluster: port {cluster.port}, data {cluster.pgdata}")
        backup.stanza_create(self.target)

        ensure_roles_and_database(cluster.admin_url, _DATABASE)
        owner, app = role_urls(cluster.admin_url, _DATABASE)
        owner_url = owner.render_as_string(hide_password=False)
        migrate(owner_url)
        owner_db = Database(make_engine(owner_url, pool_size=1))
        try:
            tenant = provision_tenant(owner_db, "Drill Plant")
        finally:
            owner_db.dispose()
        token = mint_token(
            _SECRET,
            subject="drill-admin",
            tenant_id=tenant,
            role="admin",
            permissions=DEFAULT_ROLE_PERMISSIONS["admin"],
            ttl_seconds=3600,
        )
        api_port = free_port()
        self.api = ApiProcess(
            port=api_port,
            env={
                "DATABASE_URL": app.render_as_string(hide_password=False),
                "MIGRATION_DATABASE_URL": owner_url,
                "JWT_SECRET": _SECRET,
                "ENVIRONMENT": "production",
                "LOG_LEVEL": "WARNING",
                "DATABASE_POOL_SIZE": "4",
                # The drill writes flat out from one token: rate limits would refuse it.
                "RATE_LIMITS_ENABLED": "false",
            },
            log_file=self.root / "api.log",
        )
        self.api.start()
        client = ApiClient(api_port, token)
        _wait_ok(client, timeout=60)
        seed: dict[str, str] = {}
        for n in range(self.seed_rows):
            status, data = client.request("POST", "/v1/work-orders", {"title": f"seed {n}"})
            if status != 201:
                raise RuntimeError(f"seeding answered {status}: {data}")
            seed[data["id"]] = data["title"]
        return client, seed

    # -- the loss and a restore

    def _restore_pass(
        self,
        name: str,
        client: ApiClient,
        *,
        target_time: float | None,
        since: float,
    ) -> tuple[float, float, float]:
        """Restore, start the database and the API; (restore s, first 200 at, writable)."""
        target, api = self._ready()
        started = time.time()
        self.cluster.make_dir(self.cluster.pgdata, 0o700)
        when = datetime.fromtimestamp(target_time, UTC) if target_time is not None else None
        backup.restore(target, target_time=when)
        restored = time.time()
        self.cluster.start()
        self.cluster.wait_writable()
        api.start()
        first_ok = _wait_ok(client, timeout=120)
        self.log(
            f"{name}: restored in {restored - started:.1f} s, "
            f"first 200 at +{first_ok - since:.1f} s after the loss"
        )
        return restored - started, first_ok, time.time()

    def _ready(self) -> tuple[backup.BackupTarget, ApiProcess]:
        if self.target is None or self.api is None:
            raise RuntimeError("the drill's cluster is not set up")
        return self.target, self.api

    def _check_writable(self, client: ApiClient) -> bool:
        status, _ = client.request("POST", "/v1/work-orders", {"title": "after the restore"})
        return status == 201

    def run(self) -> DrillReport:
        with _terminate_on_signal():
            try:
                return self._run()
            finally:
                self._cleanup()

    def _run(self) -> DrillReport:
        client, seed = self._setup()
        target, api = self._ready()
        began = time.time()
        backup.backup(target, "full")
        self.backup_end = time.time()
        backup_seconds = self.backup_end - began
        self.log(f"full backup: {backup_seconds:.1f} s; writing for {self.write_seconds:.0f} s")

        writer = Writer(
            ApiClient(client.port, client.token),
            list(seed),
            pause_every=self.pause_every,
            seed=20261201,
        )
        writer.start()
        time.sleep(self.write_seconds)
        # The loss: every server process dies at once, then the data directory goes.
        loss_at = time.time()
        self.cluster.kill_hard()
        self.cluster.destroy_data()
        writer.halt.set()
        writer.join(timeout=60)
        api.stop()
        writer.client.close()
        client.close()

        writes = writer.writes
        acked = [w for w in writes if w.acked is not None]
        report = DrillReport(
            archive_timeout=self.archive_timeout,
            write_seconds=self.write_seconds,
            seed_rows=len(seed),
            writes_sent=len(writes),
            writes_acknowledged=len(acked),
            loss_at=_iso(loss_at),
            backup_seconds=round(backup_seconds, 2),
        )
        failed_early = [w for w in writes if w.acked is None and w.sent < loss_at - 0.5]
        if failed_early:
            report.problems.append(
                f"{len(failed_early)} write(s) failed before the loss: {failed_early[0].error}"
            )
        self.log(f"loss at {report.loss_at}: {len(acked)} writes acknowledged since the backup")

        # Pass 1: the latest point.
        restore_s, first_ok, _ = self._restore_pass(
            "latest", client, target_time=None, since=loss_at
        )
        latest = self._verify(
            "latest",
            client,
            seed=seed,
            writes=writes,
            acked=acked,
            loss_at=loss_at,
            restore_seconds=restore_s,
            rto=first_ok - loss_at,
        )
        report.passes.append(latest)

        # Pass 2: a pause before the last recovered write (so its WAL is archived).
        recovered = latest.recovered or 0
        last_ack = acked[recovered - 1].acked if recovered else None
        candidates = [p for p in writer.pauses if last_ack is not None and p < last_ack]
        api.stop()
        client.close()
        self.cluster.stop()
        if not candidates:
            report.problems.append(
                "no pause precedes a recovered write: nothing written after the backup was "
                "archived, so the point-in-time pass has no target"
            )
            return report
        point = candidates[len(candidates) // 2]
        self.cluster.destroy_data()
        loss2 = time.time()
        restore_s, first_ok, _ = self._restore_pass(
            "point in time", client, target_time=point, since=loss2
        )
        timed = self._verify(
            "point in time",
            client,
            seed=seed,
            writes=writes,
            acked=acked,
            loss_at=loss2,
            restore_seconds=restore_s,
            rto=first_ok - loss2,
            target_time=point,
        )
        report.passes.append(timed)
        return report

    def _verify(
        self,
        name: str,
        client: ApiClient,
        *,
        seed: dict[str, str],
        writes: list[Write],
        acked: list[Write],
        loss_at: float,
        restore_seconds: float,
        rto: float,
        target_time: float | None = None,
    ) -> PassResult:
        restored = client.list_titles()
        # The writes in order, plus the one in flight at the loss: it may have committed
        # (and even been archived) without its answer arriving.
        considered = [*acked, *[w for w in writes if w.acked is None][:1]]
        match = match_prefix(seed, considered, restored)
        result = PassResult(
            name=name,
            recovery_target=_iso(target_time) if target_time is not None else "latest",
            restore_seconds=round(restore_seconds, 2),
            rto_seconds=round(rto, 2),
            acknowledged=len(acked),
            recovered=match.applied,
            lost_rows=None,
            rpo_seconds=None,
            first_lost_age_seconds=None,
            mismatched_ids=match.mismatched_ids,
        )
        if match.applied is None:
            result.problems.append(
                "the restored work orders equal no prefix of the acknowledged writes "
                f"(differing ids: {', '.join(match.mismatched_ids[:5])})"
            )
        else:
            recovered = min(match.applied, len(acked))
            if target_time is None:
                result.lost_rows = len(acked) - recovered
                if result.lost_rows:
                    last = acked[recovered - 1].acked if recovered else None
                    first_lost = acked[recovered].acked or loss_at
                    # Conservative: from the last write that survived (or the backup)
                    # to the loss; the first lost write's age is the optimistic bound.
                    result.rpo_seconds = round(loss_at - (last or self.backup_end), 2)
                    result.first_lost_age_seconds = round(loss_at - first_lost, 2)
                    result.lost_writes = [
                        {
                            "seq": w.seq,
                            "kind": w.kind,
                            "workOrderId": w.work_order_id,
                            "title": w.title,
                            "acknowledgedAt": _iso(w.acked or loss_at),
                        }
                        for w in acked[recovered:]
                    ]
                else:
                    result.rpo_seconds = 0.0
                if result.rpo_seconds > RPO_TARGET_SECONDS:
                    result.problems.append(
                        f"RPO {result.rpo_seconds:.0f} s misses the target "
                        f"{RPO_TARGET_SECONDS:.0f} s"
                    )
            else:
                before = [w for w in acked if w.acked is not None and w.acked < target_time]
                sent_after = [w for w in writes if w.sent > target_time]
                result.expected_recovered = len(before)
                if match.applied != len(before):
                    result.problems.append(
                        f"restored to {target_time}: expected exactly the {len(before)} writes "
                        f"acknowledged before it, found the first {match.applied} "
                        f"({len(sent_after)} were sent after it)"
                    )
        if rto > RTO_TARGET_SECONDS:
            result.problems.append(f"RTO {rto:.0f} s misses the target {RTO_TARGET_SECONDS:.0f} s")
        result.writable_after = self._check_writable(client)
        if not result.writable_after:
            result.problems.append("the restored database refused a new work order")
        return result

    def _cleanup(self) -> None:
        if self.api is not None:
            self.api.stop()
        self.cluster.kill_hard()
        if self.keep:
            self.log(f"kept {self.root}")
            return
        shutil.rmtree(self.root, ignore_errors=True)


def format_report(report: DrillReport) -> str:
    """The table the drill prints: each pass against the targets."""
    lines = [
        (
            f"restore drill: archive_timeout {report.archive_timeout} s, "
            f"{report.writes_acknowledged} writes acknowledged over "
            f"{report.write_seconds:.0f} s after a full backup ({report.backup_seconds:.1f} s), "
            f"loss at {report.loss_at}"
        ),
        (
            f"{'pass':<14} {'target':<30} {'recovered':>11} {'lost rows':>9} "
            f"{'RPO s':>8} {'RTO s':>8} {'restore s':>9}  verdict"
        ),
    ]
    for p in report.passes:
        rpo = "-" if p.rpo_seconds is None else f"{p.rpo_seconds:.1f}"
        lost = "-" if p.lost_rows is None else str(p.lost_rows)
        rec = "-" if p.recovered is None else str(p.recovered)
        if p.expected_recovered is not None:
            rec = f"{rec}/{p.expected_recovered}"
        verdict = "ok" if not p.problems else "FAIL: " + "; ".join(p.problems)
        if p.lost_writes:
            first, last = p.lost_writes[0], p.lost_writes[-1]
            verdict += (
                f" (lost: writes #{first['seq']}..#{last['seq']}, acknowledged "
                f"{first['acknowledgedAt']}..{last['acknowledgedAt']})"
            )
        lines.append(
            f"{p.name:<14} {p.recovery_target:<30} {rec:>11} {lost:>9} "
            f"{rpo:>8} {p.rto_seconds:>8.1f} {p.restore_seconds:>9.1f}  {verdict}"
        )
    lines.append(
        f"targets: RPO <= {RPO_TARGET_SECONDS:.0f} s, RTO <= {RTO_TARGET_SECONDS:.0f} s; "
        f"worst-case RPO of this configuration: archive_timeout ({report.archive_timeout} s) "
        "plus one archive-push. The RTO here has no detection or decision time "
        "(docs/operations.md)."
    )
    for problem in report.problems:
        lines.append(f"FAIL: {problem}")
    lines.append("drill: " + ("PASSED" if report.ok else "FAILED"))
    return "\n".join(lines)


def main_drill(
    *,
    archive_timeout: int,
    write_seconds: float,
    json_path: Path | None,
    work_dir: Path | None,
    keep: bool,
) -> int:
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            print("drill: running as root needs a 'postgres' OS user to own the cluster")
            return 2
    drill = Drill(
        archive_timeout=archive_timeout,
        write_seconds=write_seconds,
        work_dir=work_dir,
        keep=keep,
        log=lambda line: print(f"drill: {line}", flush=True),
    )
    try:
        report = drill.run()
    except Exception as exc:  # noqa: BLE001 (any failure is a failed drill, said plainly)
        print(f"drill: FAILED before its verdict: {type(exc).__name__}: {exc}", flush=True)
        return 1
    print(format_report(report), flush=True)
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(report.to_json(), indent=2) + "\n")
    return 0 if report.ok else 1


__all__ = ["Drill", "DrillReport", "PassResult", "Write", "format_report", "match_prefix"]
