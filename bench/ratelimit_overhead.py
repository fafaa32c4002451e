"""Benchmark: what the rate limiter costs on ``GET /v1/work-orders?limit=50`` (a figure).

The list benchmark's server and load (``bench/list_throughput.py``), three runs with
``VALIDATE_RESPONSES=false``: rate limits off; on, against a private redis-server on a free
port, with a plan large enough never to refuse; and on with that Redis stopped (the limiter
failing open). Prints requests/s and latency per run and the differences to "off".

Run: ``.venv/bin/python bench/ratelimit_overhead.py --duration 10`` (about a minute).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import list_throughput as lt
import redis

from maintrac.api.security import DEFAULT_ROLE_PERMISSIONS, mint_token
from maintrac.cli.devenv import find_or_start
from maintrac.db.bootstrap import (
    drop_database,
    ensure_roles_and_database,
    migrate,
    role_urls,
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_redis(port: int, workdir: Path) -> subprocess.Popen[bytes]:
    binary = shutil.which("redis-server") or "redis-server"
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            if redis.Redis(port=port, socket_connect_timeout=1).ping():
                return process
        except redis.RedisError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _report(results: dict[str, lt.Result], wrk: str | None, args: argparse.Namespace) -> None:
    print()
    print(f"GET {lt.PATH}, {args.rows} work orders, uvicorn 1 worker, ENVIRONMENT=production,")
    print(f"VALIDATE_RESPONSES=false; {os.cpu_count()} CPUs shared; {args.connections} connections")
    print(f"load: {'wrk' if wrk else 'python httpx'}, at most {args.duration}s per run")
    print()
    print(f"{'rate limits':<22}{'requests':>10}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    base_rps = results["off"].rps
    for label, r in results.items():
        delta = f"  ({r.rps / base_rps - 1:+.1%} req/s)" if base_rps and label != "off" else ""
        print(
            f"{label:<22}{r.requests:>10}{r.errors:>8}{r.rps:>9.1f}"
            f"{r.p50_ms:>9.1f}{r.p99_ms:>9.1f}{delta}"
        )


def main(argv: list[str] | None = None) -> int:
    args = lt._parse_args(argv)
    wrk = shutil.which("wrk") if args.client in ("auto", "wrk") else None
    server = find_or_start(args.admin_url, lt.ROOT / ".data" / "bench")
    name = f"maintrac_bench_{uuid.uuid4().hex[:12]}"
    workdir = Path(tempfile.mkdtemp(prefix="maintrac-rl-bench-"))
    redis_port = _free_port()
    redis_process = _start_redis(redis_port, workdir)
    huge = '{"standard": {"tenant": "100000000/60", "sub": "100000000/60"}}'
    limits_on = {
        "RATE_LIMITS_ENABLED": "true",
        "RATE_LIMIT_REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "RATE_LIMIT_PLANS": huge,
    }
    runs = {"off": {}, "on (Redis up)": limits_on, "on (Redis stopped)": limits_on}
    results: dict[str, lt.Result] = {}
    try:
        ensure_roles_and_database(server.admin_url, name)
        owner, app = role_urls(server.admin_url, name)
        owner_url = owner.render_as_string(hide_password=False)
        app_url = app.render_as_string(hide_password=False)
        migrate(owner_url)
        tenant_id = lt._seed(app_url, owner_url, args.rows)
        secret = secrets.token_urlsafe(48)
        token = mint_token(
            secret,
            subject=str(uuid.uuid4()),
            tenant_id=tenant_id,
            role="viewer",
            permissions=DEFAULT_ROLE_PERMISSIONS["viewer"],
            ttl_seconds=3600,
        )
        for label, env in runs.items():
            if label == "on (Redis stopped)":
                redis_process.terminate()
                redis_process.wait(timeout=10)
            log = workdir / f"server-{len(results)}.log"
            with lt._server(app_url, secret, validate=False, log=log, extra_env=env) as base:
                lt._warm_up(base, token, args.warm_up)
                if wrk:
                    results[label] = lt._load_wrk(wrk, base, token, args, workdir)
                else:
                    results[label] = lt._load_python(base, token, args)
            r = results[label]
            print(f"rate limits {label}: {r.rps:.1f} req/s, {r.errors} errors")
    finally:
        if redis_process.poll() is None:
            redis_process.terminate()
            redis_process.wait(timeout=10)
        drop_database(server.admin_url, name)
        shutil.rmtree(workdir, ignore_errors=True)

    _report(results, wrk, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
