"""Where the project's time goes under load: py-spy samples grouped by layer.

Starts the project like ``compare.py`` does (``maintrac serve``, production defaults, one
worker), loads ``GET /v1/work-orders?limit=50`` with wrk, records the server with
``py-spy record --format raw`` meanwhile, and prints the share of samples per layer. A
sample belongs to the innermost frame that falls in a named layer (psycopg called by
SQLAlchemy counts as psycopg; stdlib code counts for whatever layer called it); samples
with only event-loop, thread and stdlib frames are "event loop / threads".

Run: ``.venv/bin/python bench/profile_layers.py [--database KEPT_DB] [--cursor] [--top 15]``
(named so as not to shadow the stdlib ``profile`` module on ``sys.path``).
Without ``--database`` it seeds a scratch database of one 10,000-row tenant and drops it.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import uuid
from pathlib import Path

import harness
from compare import PATH, viewer_token

#: (layer, pattern on the frame's file), checked in order: the first match names the layer.
LAYERS: list[tuple[str, re.Pattern[str]]] = [
    (name, re.compile(pattern))
    for name, pattern in [
        ("opentelemetry", r"/opentelemetry/|/google/protobuf/"),
        ("prometheus_client", r"/prometheus_client/"),
        ("logging", r"/logging/|maintrac/api/logging_setup\.py|/pythonjsonlogger/"),
        ("jwt", r"/jwt/|/cryptography/|/hmac\.py"),
        ("validation (jsonschema)", r"/jsonschema/|/jsonschema_rs|/referencing/|rfc3339"),
        ("connexion", r"/connexion/|/inflection"),
        ("pydantic", r"/pydantic/|/pydantic_core/|/maintrac_contract/"),
        ("json", r"/json/|orjson"),
        ("sqlalchemy", r"/sqlalchemy/"),
        ("psycopg", r"/psycopg/|/psycopg_pool/|/psycopg_binary/"),
        ("maintrac.*", r"/maintrac/"),
        ("starlette/uvicorn", r"/starlette/|/uvicorn/|/h11/|/httptools/|/uvloop/"),
    ]
]
GENERIC = ("event loop / threads", re.compile(r"/asyncio/|/anyio/|/threading\.py|/concurrent/"))
FRAME = re.compile(r"\(([^():]+)(?::\d+)?\)$")


def layer_of(stack: str) -> tuple[str, str]:
    """(layer, the frame that decided it)."""
    frames = stack.split(";")
    for frame in reversed(frames):  # innermost first
        match = FRAME.search(frame)
        path = match.group(1) if match else frame
        for name, pattern in LAYERS:
            if pattern.search(path):
                return name, frame
    generic = GENERIC[0] if any(GENERIC[1].search(f) for f in frames) else "other (stdlib)"
    return generic, frames[-1]


def group(raw: str) -> tuple[collections.Counter[str], dict[str, collections.Counter[str]]]:
    counts: collections.Counter[str] = collections.Counter()
    frames: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for line in raw.splitlines():
        stack, _, n = line.rpartition(" ")
        if stack and n.isdigit():
            layer, frame = layer_of(stack)
            counts[layer] += int(n)
            frames[layer][_short(frame)] += int(n)
    return counts, frames


def _short(frame: str) -> str:
    return re.sub(r"/\S*site-packages/|/\S*/src/|/\S*/lib/python3[.0-9]*/", "", frame)


def leaf_functions(raw: str, top: int) -> list[tuple[str, int]]:
    """The functions with the most own samples, for the detail under the table."""
    counts: collections.Counter[str] = collections.Counter()
    for line in raw.splitlines():
        stack, _, n = line.rpartition(" ")
        if stack and n.isdigit():
            leaf = stack.split(";")[-1]
            counts[re.sub(r"/\S*site-packages/|/\S*/src/|/\S*/lib/python3[.0-9]*/", "", leaf)] += (
                int(n)
            )
    return counts.most_common(top)


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="a kept compare.py database (else a scratch one)")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--rate", type=int, default=250, help="py-spy samples per second")
    parser.add_argument("--cursor", action="store_true", help="load page 50, not the first")
    parser.add_argument("--top", type=int, default=15, help="leaf functions to list")
    parser.add_argument(
        "--tracing",
        action="store_true",
        help="profile the project with tracing on (OTLP/HTTP to a receiver in this process)",
    )
    parser.add_argument("--raw", type=Path, help="also keep py-spy's raw stacks here")
    parser.add_argument(
        "--admin-url", default=os.environ.get("ADMIN_DATABASE_URL", harness.DEFAULT_ADMIN)
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    py_spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if py_spy is None:
        print("py-spy is missing: .venv/bin/pip install py-spy", file=sys.stderr)
        return 2
    name = args.database or f"maintrac_profile_{uuid.uuid4().hex[:10]}"
    db = harness.open_database(args.admin_url, name)
    workdir = Path(tempfile.mkdtemp(prefix="maintrac-profile-"))
    try:
        tenant, _, subject = harness.small_tenant(db)
        secret = secrets.token_urlsafe(48)
        token = viewer_token(secret, tenant, subject)
        receiver = harness.OtlpReceiver() if args.tracing else None
        with harness.servers(
            db,
            secret,
            token,
            workdir,
            peers=False,
            validating=False,
            otlp_endpoint=receiver.endpoint if receiver else None,
        ) as live:
            server = live["project+tracing" if args.tracing else "project"]
            url = server.base + PATH
            if args.cursor:
                from compare import page_urls  # noqa: PLC0415

                url = page_urls(server.base, token, 50)[0][49]
            harness.run_wrk(url, token, workdir, seconds=3)  # warm-up
            out = workdir / "profile.txt"
            loads: list[harness.Load] = []
            load = threading.Thread(
                target=lambda: loads.append(
                    harness.run_wrk(url, token, workdir, seconds=args.seconds + 2)
                )
            )
            load.start()
            subprocess.run(
                [
                    py_spy,
                    "record",
                    "--format",
                    "raw",
                    # Only the thread holding the GIL: what the process spends CPU on
                    # in Python (threads waiting on a lock or a socket are not work).
                    "--gil",
                    "--full-filenames",
                    "--rate",
                    str(args.rate),
                    "--duration",
                    str(args.seconds),
                    "--pid",
                    str(server.pid),
                    "--output",
                    str(out),
                ],
                check=True,
                capture_output=True,
            )
            load.join()
            raw = out.read_text()
            if args.raw:
                args.raw.write_text(raw)
    finally:
        if not args.database:
            harness.drop(db)
        shutil.rmtree(workdir, ignore_errors=True)

    counts, frames = group(raw)
    total = sum(counts.values()) or 1
    print(f"py-spy --gil, {args.seconds}s at {args.rate} Hz under wrk -c16, GET {PATH}")
    if loads:
        print(f"(while sampled: {loads[0].rps:.1f} req/s, p50 {loads[0].p50_ms:.1f} ms)")
    print(f"{'layer':<26}{'samples':>9}{'share':>8}")
    for layer, n in counts.most_common():
        print(f"{layer:<26}{n:>9}{n / total:>8.0%}")
    print("\nper layer, the frames samples were charged to:")
    for layer, _n in counts.most_common(6):
        print(f"  {layer}:")
        for frame, m in frames[layer].most_common(4):
            print(f"    {m / total:>6.1%}  {frame}")
    print(f"\ntop {args.top} leaf functions (own samples):")
    for function, n in leaf_functions(raw, args.top):
        print(f"{n / total:>6.1%}  {function}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
