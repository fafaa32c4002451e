"""Instructions per request of ``GET /v1/work-orders?limit=50``, counted, not timed.

On a shared host the same server's req/s moves by a fifth between two runs a minute
apart, which hides any change smaller than that. An instruction count does not move
with the neighbours' load: this script drives the app in-process through ASGI (no
uvicorn, no wrk, no HTTP sockets; PostgreSQL is real, as the app role under RLS) under
valgrind's ``cachegrind`` and reports ``(I(n + k) - I(k)) / n``, the instructions the
process executes for one more request (its start-up, imports and the app's build
cancel out). Sixteen requests at a time, as ``compare.py``'s ``wrk -c16``, through the
production settings (the same environment ``compare.py`` gives ``maintrac serve``).

It counts the project's own CPU only (not PostgreSQL's, not the HTTP server's) and
weighs every instruction alike; compare two trees with it, then confirm with
``compare.py``. About 2 minutes per server (two valgrind runs each, ~50x slower than
native; two at a time on the 2 cores). Contention does not change the counts, so it
can run beside other work.

``--peers`` counts the two peers of ``compare.py`` the same way (their venv, their app
objects), so the project's work per request can be set against theirs on any host.

Run: ``.venv/bin/python bench/instructions.py [--baseline CHECKOUT] [--peers] [--page 50]
[--requests 800] [--database KEPT_DB]``. ``--baseline`` is another checkout with its own
``make install`` (``git worktree add ../before <rev>``). Without ``--database`` a scratch
database with one 10,000-row tenant is seeded and dropped at the end (the smallest
tenant of a kept ``compare.py`` database is the one measured).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

PATH = "/v1/work-orders"
CONCURRENCY = 16
#: Requests of the short run: what it costs to start, import and build is in both runs.
BASE_REQUESTS = 16


def _drive(target: str, query: str, token: str, pages: int, requests: int) -> None:  # noqa: PLR0915
    """Run in the child (``--child``): the ASGI app ``target`` (``module:attribute``),
    driven through its lifespan, ``pages - 1`` requests to reach the page, then
    ``requests`` of it."""
    module, _, attribute = target.partition(":")
    app: Any = getattr(importlib.import_module(module), attribute)
    path = PATH

    async def one(query_string: str) -> bytes:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query_string.encode(),
            "root_path": "",
            "headers": [
                (b"host", b"127.0.0.1"),
                (b"authorization", f"Bearer {token}".encode()),
                (b"accept", b"*/*"),
            ],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
            "state": {},
        }
        sent = False

        async def receive() -> dict[str, object]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await asyncio.Event().wait()  # no disconnect: the response is awaited
            raise AssertionError

        status: list[int] = []
        body: list[bytes] = []

        async def send(message: dict[str, object]) -> None:
            if message["type"] == "http.response.start":
                status.append(int(message["status"]))  # type: ignore[call-overload]
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))  # type: ignore[arg-type]

        await app(scope, receive, send)
        if status != [200]:
            raise SystemExit(f"GET {path}?{query_string}: {status} {b''.join(body)[:300]!r}")
        return b"".join(body)

    async def main() -> None:
        startup: asyncio.Queue[dict[str, str]] = asyncio.Queue()
        answers: asyncio.Queue[dict[str, object]] = asyncio.Queue()
        await startup.put({"type": "lifespan.startup"})

        async def receive() -> dict[str, str]:
            return await startup.get()

        async def send(message: dict[str, object]) -> None:
            await answers.put(message)

        lifespan = asyncio.create_task(
            app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send)
        )
        started = await answers.get()
        if started["type"] != "lifespan.startup.complete":
            raise SystemExit(f"startup failed: {started}")
        query_string = query
        for _ in range(pages - 1):
            cursor = json.loads(await one(query_string))["nextCursor"]
            query_string = f"{query}&cursor={urllib.parse.quote(cursor)}"

        async def worker(count: int) -> None:
            for _ in range(count):
                await one(query_string)

        shares = [
            requests // CONCURRENCY + (i < requests % CONCURRENCY) for i in range(CONCURRENCY)
        ]
        await asyncio.gather(*(worker(n) for n in shares))
        await startup.put({"type": "lifespan.shutdown"})
        await lifespan

    try:
        import uvloop  # noqa: PLC0415  # the event loop uvicorn runs when it is installed
    except ImportError:
        factory = None
    else:
        factory = uvloop.new_event_loop
    with asyncio.Runner(loop_factory=factory) as runner:  # as uvicorn runs its server
        runner.run(main())


#: The project's served app.
PROJECT = "maintrac.api.asgi:app"  # as `maintrac serve` builds it (stacks built, gc tuned)


def _count(python: str, env: dict[str, str], args: list[str], workdir: Path) -> int:
    """Instructions of one child run under cachegrind: this script, run by ``python``,
    imports ``maintrac`` from that interpreter's checkout (its editable install)."""
    out = workdir / f"cachegrind-{uuid.uuid4().hex}.out"
    command = [
        "valgrind",
        "--tool=cachegrind",
        "--cache-sim=no",
        f"--cachegrind-out-file={out}",
        python,
        str(Path(__file__).resolve()),
        "--child",
        *args,
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return int(found.group(1).replace(",", ""))


def _per_request(
    python: str, env: dict[str, str], child: list[str], requests: int, workdir: Path
) -> float:
    counts = [
        _count(python, env, [*child, "--requests", str(n)], workdir)
        for n in (BASE_REQUESTS, BASE_REQUESTS + requests)
    ]
    return (counts[1] - counts[0]) / requests


def main(argv: list[str] | None = None) -> int:  # one linear script
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, help="another checkout (with its .venv)")
    parser.add_argument(
        "--peers", action="store_true", help="also count the FastAPI and the raw peer"
    )
    parser.add_argument("--page", type=int, default=1, help="which page (1: the first)")
    parser.add_argument("--requests", type=int, default=800)
    parser.add_argument("--database", help="reuse this (kept) database; no seeding")
    parser.add_argument("--admin-url", default=os.environ.get("ADMIN_DATABASE_URL"))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--app", default=PROJECT, help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _drive(args.app, "limit=50", args.token, args.page, args.requests)
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2

    import harness  # noqa: PLC0415  # the parent only: the peers' venv has no maintrac
    from compare import viewer_token  # noqa: PLC0415

    name = args.database or f"maintrac_instructions_{secrets.token_hex(4)}"
    db = harness.open_database(args.admin_url or harness.DEFAULT_ADMIN, name)
    try:
        tenant, rows, subject = harness.small_tenant(db)
        secret = secrets.token_urlsafe(32)
        project_env = harness.project_env(db, secret, validate=False)
        token = viewer_token(secret, tenant, subject)
        #: (label, interpreter, ASGI target, environment)
        servers = [("project", sys.executable, PROJECT, project_env)]
        if args.baseline is not None:
            python = str(args.baseline.resolve() / ".venv" / "bin" / "python")
            servers.append(("baseline", python, PROJECT, project_env))
        if args.peers:
            python = str(harness.ensure_peers_venv())
            peer_env = {k: v for k, v in os.environ.items() if not k.startswith("PEER_")}
            peer_env |= {"JWT_SECRET": secret, "PYTHONPATH": str(harness.PEERS_DIR)}
            servers += [
                ("fastapi", python, "fastapi_sqlalchemy:app", {**peer_env, "PEER_DSN": db.app_url}),
                (
                    "raw",
                    python,
                    "raw_starlette:app",
                    {**peer_env, "PEER_DSN": harness.libpq(db.app_url)},
                ),
            ]
        print(
            f"GET {PATH}?limit=50, page {args.page}, tenant of {rows:,} rows; "
            f"{args.requests} requests, {CONCURRENCY} at a time, in-process (ASGI)"
        )
        started = time.monotonic()
        with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(2) as pool:
            futures = {
                label: pool.submit(
                    _per_request,
                    python,
                    env,
                    ["--token", token, "--page", str(args.page), "--app", target],
                    args.requests,
                    Path(tmp),
                )
                for label, python, target, env in servers
            }
            results = {label: future.result() for label, future in futures.items()}
        mine = results["project"]
        for label, per_request in results.items():
            versus = "" if label == "project" else f"   project / {label}: {mine / per_request:.2f}"
            print(f"{label:<10} {per_request / 1e6:7.3f} M instructions per request{versus}")
        print(f"({time.monotonic() - started:.0f} s)")
    finally:
        if args.database is None:
            harness.drop(db)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
