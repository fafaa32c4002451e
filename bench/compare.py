"""Side by side: the project's ``GET /v1/work-orders?limit=50`` against the two peers.

One command (``make bench-compare``), one run, on loopback only:

1. creates ``maintrac_compare_<random>`` with the project's bootstrap and migrations and
   seeds it set-based as the schema owner: ``--tenants`` tenants of ``--per-tenant`` work
   orders (1,000,000 over 100 by default) with users, task codes and assets, plus one
   tenant of ``--big`` work orders (1,000,000) for the flatness check;
2. builds the peers' venv (``.peers``, cached) and starts the project (``maintrac serve``,
   production defaults, one worker), the project with response validation on (sample 1.0),
   the FastAPI peer and the raw peer, each on its own port;
3. checks that all of them return identical ``data`` for the first page and for page 50
   (each server following its own ``nextCursor`` 49 times);
4. warms each up, then runs ``wrk -t1 -c16 -d10s`` on each in turn (project, fastapi, raw,
   project+validation; each round starting one server later) for ``--rounds`` rounds, for
   the first page and for page 50;
5. prints, per case and server: req/s, p50/p99, server CPU ms/req and PostgreSQL CPU
   ms/req (``/proc/<pid>/stat`` of the server and of the database's backends, before and
   after), new PostgreSQL sessions during the run (``pg_stat_database.sessions``), the
   medians of the rounds and the ratios project/fastapi and project/raw (of the medians,
   and paired: within each round, then their median); then the project's
   first page in the 10,000-row tenant against the 1,000,000-row one (p50 ratio).

The database is dropped at the end unless ``--keep``; ``--database NAME`` reuses a kept
one (no seeding). Figures only, never assertions: the machine is shared, so absolute
numbers move; the ratios from alternating rounds of one run are what count.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import harness
import httpx

from maintrac.api.security import DEFAULT_ROLE_PERMISSIONS, mint_token

PATH = "/v1/work-orders?limit=50"
ORDER = (
    "project",
    "baseline",
    "fastapi",
    "raw",
    "project+validation",
    "project-no-metrics",
    "project+tracing",
)
#: The cases of ``--observability`` (servers in ``harness.servers(otlp_endpoint=...)``).
OBSERVABILITY = ("project-no-metrics", "project+tracing")


@dataclass(frozen=True)
class Run:
    server: str
    case: str
    round: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    server_cpu_ms_per_req: float
    pg_cpu_ms_per_req: float
    new_sessions: int
    #: CPU time the host took from this machine during the run (see harness.cpu_jiffies).
    steal: float = 0.0


def viewer_token(secret: str, tenant: str, subject: str) -> str:
    return mint_token(
        secret,
        subject=subject,
        tenant_id=uuid.UUID(tenant),
        role="viewer",
        permissions=DEFAULT_ROLE_PERMISSIONS["viewer"],
        ttl_seconds=4 * 3600,
    )


def page_urls(base: str, token: str, pages: int) -> tuple[list[str], list[Any]]:
    """The URL of each of the first ``pages`` pages (following ``nextCursor``) and the
    ``data`` of each."""
    urls, data = [], []
    url = base + PATH
    with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
        for _ in range(pages):
            response = client.get(url)
            response.raise_for_status()
            body = response.json()
            urls.append(url)
            data.append(body["data"])
            if not body["nextCursor"]:
                raise RuntimeError(f"{base}: no page after {len(urls)}")
            url = base + PATH + "&cursor=" + body["nextCursor"]
    return urls, data


def measure(
    server: harness.Server,
    url: str,
    token: str,
    probe: harness.PgProbe,
    workdir: Path,
    *,
    seconds: int,
    case: str,
    round_: int,
) -> Run:
    cpu_before = harness.proc_cpu_ms(server.pid)
    steal_before = harness.cpu_jiffies()
    pg_before = probe.backends()
    sessions_before = probe.sessions()
    load = harness.run_wrk(url, token, workdir, seconds=seconds)
    sessions_after = probe.sessions()
    pg_after = probe.backends()
    cpu_after = harness.proc_cpu_ms(server.pid)
    steal = harness.steal_share(steal_before, harness.cpu_jiffies())
    # Backends that appeared during the run count whole; ones that ended are lost (their
    # number is in new_sessions, which explains the gap).
    pg_ms = sum(ms - pg_before.get(pid, 0.0) for pid, ms in pg_after.items())
    n = max(load.requests, 1)
    return Run(
        server=server.name,
        case=case,
        round=round_,
        rps=load.rps,
        p50_ms=load.p50_ms,
        p99_ms=load.p99_ms,
        errors=load.errors,
        server_cpu_ms_per_req=(cpu_after - cpu_before) / n,
        pg_cpu_ms_per_req=pg_ms / n,
        # The probe's own snapshot clearing opens nothing; anything here is the server's.
        new_sessions=sessions_after - sessions_before,
        steal=steal,
    )


def median(runs: list[Run], attribute: str) -> float:
    return float(statistics.median(getattr(r, attribute) for r in runs))


def _paired_ratios(case: str, runs: list[Run], others: list[str]) -> dict[str, list[float]]:
    """project / other req/s within each round: a machine whose speed drifts between
    rounds (a shared host) moves both sides of a pair alike, so these spread less than
    the ratio of the medians does."""
    by_round: dict[int, dict[str, float]] = {}
    for r in runs:
        if r.case == case:
            by_round.setdefault(r.round, {})[r.server] = r.rps
    return {
        name: [
            rounds["project"] / rounds[name]
            for _, rounds in sorted(by_round.items())
            if rounds.get("project") and rounds.get(name)
        ]
        for name in others
    }


def print_case(case: str, runs: list[Run], servers: list[str]) -> dict[str, float]:
    print(f"\n## {case}: GET {PATH}" + (" (cursor of page 50)" if case == "page 50" else ""))
    print(
        f"{'server':<20}{'round':>6}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'srv CPU ms/req':>16}{'PG CPU ms/req':>15}{'new sessions':>14}{'errors':>8}"
        f"{'steal':>7}"
    )
    medians: dict[str, float] = {}
    for name in servers:
        mine = [r for r in runs if r.server == name and r.case == case]
        for r in mine:
            print(
                f"{name:<20}{r.round:>6}{r.rps:>9.1f}{r.p50_ms:>9.1f}{r.p99_ms:>9.1f}"
                f"{r.server_cpu_ms_per_req:>16.2f}{r.pg_cpu_ms_per_req:>15.2f}"
                f"{r.new_sessions:>14}{r.errors:>8}{r.steal:>7.0%}"
            )
        medians[name] = median(mine, "rps")
        print(
            f"{name + ' median':<26}{medians[name]:>9.1f}{median(mine, 'p50_ms'):>9.1f}"
            f"{median(mine, 'p99_ms'):>9.1f}{median(mine, 'server_cpu_ms_per_req'):>16.2f}"
            f"{median(mine, 'pg_cpu_ms_per_req'):>15.2f}"
            f"{int(median(mine, 'new_sessions')):>14}"
        )
    project = medians.get("project", 0.0)
    paired = _paired_ratios(case, runs, [n for n in ("fastapi", "raw", "baseline") if n in medians])
    if medians.get("fastapi"):
        print(f"ratio project / fastapi: {project / medians['fastapi']:.2f}x")
    if medians.get("raw"):
        print(f"ratio project / raw:     {project / medians['raw']:.2f}x")
    if medians.get("baseline"):
        print(f"ratio project / baseline: {project / medians['baseline']:.2f}x")
    for name, ratios in paired.items():
        if not ratios:
            continue
        print(
            f"paired (same round) project / {name}: median {statistics.median(ratios):.2f}x "
            f"(rounds: {', '.join(f'{r:.2f}' for r in ratios)})"
        )
    # CPU per request moves less with the machine's other load than req/s does.
    cpu = {
        name: median(mine, "server_cpu_ms_per_req") + median(mine, "pg_cpu_ms_per_req")
        for name in servers
        if (mine := [r for r in runs if r.server == name and r.case == case])
    }
    if cpu.get("project"):
        print(
            "CPU ms/req (server + PostgreSQL), medians: "
            + ", ".join(f"{name} {ms:.2f}" for name, ms in cpu.items())
        )
    if medians.get("project+validation") and project:
        cost = 1 - medians["project+validation"] / project
        print(f"response validation (sample 1.0) costs {cost:.0%} of throughput")
    off, traced = medians.get("project-no-metrics"), medians.get("project+tracing")
    if off and project:
        print(
            f"metrics (production default) vs off: {project / off:.3f}x req/s "
            f"({1 - project / off:+.1%} cost); CPU ms/req {cpu['project-no-metrics']:.2f} -> "
            f"{cpu['project']:.2f}"
        )
    if traced and project:
        print(
            f"metrics + tracing vs metrics: {traced / project:.3f}x req/s "
            f"({1 - traced / project:+.1%} cost); CPU ms/req {cpu['project']:.2f} -> "
            f"{cpu['project+tracing']:.2f}"
        )
    if traced and off:
        print(f"metrics + tracing vs off: {traced / off:.3f}x req/s ({1 - traced / off:+.1%} cost)")
    return medians


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=100)
    parser.add_argument("--per-tenant", type=int, default=10_000)
    parser.add_argument(
        "--big", type=int, default=1_000_000, help="rows of the big tenant; 0: none"
    )
    parser.add_argument("--seconds", type=int, default=10, help="wrk -d per run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warm-up", type=int, default=3, help="seconds of wrk per server first")
    parser.add_argument("--only", choices=ORDER, action="append", help="servers to run")
    parser.add_argument(
        "--observability",
        action="store_true",
        help="also serve the project with metrics off and with metrics + tracing (OTLP/HTTP "
        "to a receiver in this process), in the same alternating rounds",
    )
    parser.add_argument(
        "--baseline", type=Path, help="also serve the project from this checkout (before/after)"
    )
    parser.add_argument("--database", help="reuse this (kept) database; no seeding")
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    parser.add_argument("--no-flat", action="store_true", help="skip the flatness check")
    parser.add_argument("--json", type=Path, help="also write every run here")
    parser.add_argument(
        "--admin-url", default=os.environ.get("ADMIN_DATABASE_URL", harness.DEFAULT_ADMIN)
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:  # noqa: PLR0912, PLR0915  # one linear script
    args = _parse_args(argv)
    names = [
        n
        for n in ORDER
        if (not args.only or n in args.only)
        and (n != "baseline" or args.baseline)
        and (n not in OBSERVABILITY or args.observability)
    ]
    harness.wrk_binary()
    name = args.database or f"maintrac_compare_{uuid.uuid4().hex[:10]}"
    workdir = Path(tempfile.mkdtemp(prefix="maintrac-compare-"))
    db = harness.open_database(args.admin_url, name)
    keep = args.keep or bool(args.database)
    runs: list[Run] = []
    receiver = harness.OtlpReceiver() if args.observability else None
    load_before = os.getloadavg()
    steal_before = harness.cpu_jiffies()
    try:
        harness.load_tenants(db)
        if not db.tenants:
            started = time.perf_counter()
            harness.seed(db, args.tenants, args.per_tenant, args.big)
            total = sum(n for n, _ in db.tenants.values())
            print(
                f"seeded {total:,} work orders over {len(db.tenants)} tenants "
                f"in {time.perf_counter() - started:.0f}s ({db.name})"
            )
        by_size = sorted(db.tenants.items(), key=lambda t: t[1][0])
        small_tenant, (small_rows, subject) = by_size[0]
        big_tenant, (big_rows, big_subject) = by_size[-1]
        secret = secrets.token_urlsafe(48)
        token = viewer_token(secret, small_tenant, subject)
        big_token = viewer_token(secret, big_tenant, big_subject)
        probe = harness.PgProbe(db)
        with harness.servers(
            db,
            secret,
            token,
            workdir,
            peers="fastapi" in names or "raw" in names,
            validating="project+validation" in names,
            baseline=args.baseline.resolve() if args.baseline else None,
            otlp_endpoint=receiver.endpoint if receiver else None,
        ) as running:
            live = [running[n] for n in names]
            urls: dict[str, dict[str, str]] = {}
            reference: list[Any] | None = None
            for server in live:
                pages, data = page_urls(server.base, token, 50)
                urls[server.name] = {"first page": pages[0], "page 50": pages[49]}
                if reference is None:
                    reference = data
                elif data != reference:
                    raise RuntimeError(f"{server.name} returns other data than {live[0].name}")
            print(f"identical data on pages 1-50 from: {', '.join(s.name for s in live)}")
            for server in live:
                for url in urls[server.name].values():
                    harness.run_wrk(url, token, workdir, seconds=args.warm_up)
            for case in ("first page", "page 50"):
                for round_ in range(1, args.rounds + 1):
                    # Each round starts one server later: no server always runs right
                    # after the warm-up or the same neighbour.
                    shift = (round_ - 1) % len(live)
                    for server in live[shift:] + live[:shift]:
                        runs.append(
                            measure(
                                server,
                                urls[server.name][case],
                                token,
                                probe,
                                workdir,
                                seconds=args.seconds,
                                case=case,
                                round_=round_,
                            )
                        )
                        time.sleep(1)
            flat: list[Run] = []
            if "project" in running and big_rows > small_rows and not args.no_flat:
                project = running["project"]
                harness.run_wrk(project.base + PATH, big_token, workdir, seconds=args.warm_up)
                for round_ in range(1, args.rounds + 1):
                    for label, tok in (
                        (f"{small_rows:,} rows", token),
                        (f"{big_rows:,} rows", big_token),
                    ):
                        flat.append(
                            measure(
                                project,
                                project.base + PATH,
                                tok,
                                probe,
                                workdir,
                                seconds=args.seconds,
                                case=label,
                                round_=round_,
                            )
                        )
                        time.sleep(1)
        probe.close()
    finally:
        if not keep:
            harness.drop(db)
        else:
            print(f"kept database {db.name} (reuse: --database {db.name})")
        shutil.rmtree(workdir, ignore_errors=True)
        if receiver is not None:
            receiver.close()

    load_after = os.getloadavg()
    print(
        "load average (1, 5, 15 min) before: "
        + ", ".join(f"{x:.2f}" for x in load_before)
        + "; after: "
        + ", ".join(f"{x:.2f}" for x in load_after)
        + f"; CPU stolen by the host during the run: "
        f"{harness.steal_share(steal_before, harness.cpu_jiffies()):.0%} (the 'steal' column: "
        "per run; rounds with much of it are slower for every server, unevenly)"
    )
    if receiver is not None:
        top = sorted(receiver.names.items(), key=lambda kv: -kv[1])[:6]
        print(
            f"OTLP receiver: {receiver.exports:,} exports, {receiver.spans:,} spans, "
            f"{receiver.bytes / 1e6:.1f} MB; spans by name: "
            + ", ".join(f"{name} {count:,}" for name, count in top)
        )
    total = sum(n for n, _ in db.tenants.values())
    print(
        f"\n{total:,} work orders over {len(db.tenants)} tenants; measured tenant: "
        f"{small_rows:,} rows; RLS forced, app role; one uvicorn worker each; "
        f"wrk -t1 -c16 -d{args.seconds}s, {args.rounds} rounds alternating; "
        f"{os.cpu_count()} CPUs shared with whatever else runs"
    )
    summary = {case: print_case(case, runs, names) for case in ("first page", "page 50")}
    if flat:
        labels = sorted({r.case for r in flat}, key=lambda c: int(c.split()[0].replace(",", "")))
        print(f"\n## flatness: the project's first page, tenant of {' vs '.join(labels)}")
        for label in labels:
            mine = [r for r in flat if r.case == label]
            print(
                f"{label:<20} p50 {median(mine, 'p50_ms'):6.1f} ms  "
                f"req/s {median(mine, 'rps'):7.1f}  (rounds: "
                + ", ".join(f"{r.p50_ms:.1f}" for r in mine)
                + ")"
            )
        small, big = (median([r for r in flat if r.case == lb], "p50_ms") for lb in labels)
        print(f"p50 ratio big / small: {big / small:.2f}x")
    if args.json:
        args.json.write_text(
            json.dumps({"runs": [asdict(r) for r in [*runs, *flat]], "medians": summary}, indent=1)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
