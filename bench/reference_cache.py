"""Benchmark: a reference-data read through the Redis cache against the same read from
PostgreSQL (figures, never a test).

On loopback: a scratch database (real bootstrap and migrations), one tenant with
``--items`` task codes, and a private ``redis-server`` on a free port. Each read is one
tenant transaction as the app role, as a request's would be (``app_begin`` included),
calling the service: ``get_item`` (one task code) and ``list_items`` (the first page of
50), ``--reads`` times each, with the cache off and then on (the first cached read
fills it). Prints the median and p95 per read and the reads per second.

Run: ``.venv/bin/python bench/reference_cache.py`` (about half a minute).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import redis

from maintrac.cli.devenv import find_or_start
from maintrac.core.pagination import CursorCodec
from maintrac.core.reference_data import NewReferenceItem, ReferenceKind
from maintrac.db.bootstrap import drop_database, ensure_roles_and_database, migrate, role_urls
from maintrac.db.engine import make_engine
from maintrac.db.transaction import Database
from maintrac.services import cache, reference_data
from maintrac.services.tenants import provision_tenant

ROOT = Path(__file__).resolve().parents[1]
KIND = ReferenceKind.TASK_CODE


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _time(reads: int, read: Callable[[], object]) -> list[float]:
    samples = []
    for _ in range(reads):
        started = time.perf_counter()
        read()
        samples.append(time.perf_counter() - started)
    return samples


def _line(name: str, samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[int(len(ms) * 0.95) - 1]
    return (
        f"  {name:<26} median {statistics.median(ms):6.3f} ms   p95 {p95:6.3f} ms   "
        f"{len(ms) / sum(samples):7.0f} reads/s"
    )


def _redis_client(port: int) -> redis.Redis:
    client = redis.Redis(port=port, socket_connect_timeout=0.25, socket_timeout=0.25)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
        except redis.RedisError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
        else:
            return client


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--reads", type=int, default=2000)
    args = parser.parse_args()

    binary = shutil.which("redis-server")
    if binary is None:
        print("redis-server is required (Debian: apt-get install redis-server)")
        return 1
    admin = os.environ.get(
        "ADMIN_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    server = find_or_start(admin, ROOT / ".data" / "bench")
    name = f"maintrac_cache_bench_{uuid.uuid4().hex[:8]}"
    ensure_roles_and_database(server.admin_url, name)
    port = _free_port()
    scratch = tempfile.mkdtemp()
    redis_process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", scratch],
        stdout=subprocess.DEVNULL,
    )
    try:
        owner, app = role_urls(server.admin_url, name)
        migrate(owner.render_as_string(hide_password=False))
        owner_db = Database(make_engine(owner.render_as_string(hide_password=False), pool_size=1))
        tenant = provision_tenant(owner_db, "Bench Plant")
        owner_db.dispose()
        db = Database(make_engine(app.render_as_string(hide_password=False), pool_size=2))
        with db.tenant_transaction(tenant) as session:
            ids = [
                reference_data.create_item(
                    session, KIND, NewReferenceItem(code=f"T{i:04d}", name=f"Task {i}")
                ).id
                for i in range(args.items)
            ]
        codec = CursorCodec(b"bench-cursor-secret-0123456789abcdef")
        target = ids[len(ids) // 2]

        def get() -> object:
            with db.tenant_transaction(tenant) as session:
                return reference_data.get_item(session, KIND, target)

        def page() -> object:
            with db.tenant_transaction(tenant) as session:
                return reference_data.list_items(
                    session, KIND, reference_data.ReferenceQuery(limit=50), codec
                )

        client = _redis_client(port)
        results = {}
        for label, chosen in (("PostgreSQL", cache.ReferenceCache(None)), ("Redis cache", None)):
            cache.use_cache(chosen or cache.ReferenceCache(client))
            get()
            page()  # warm the pool (and fill the cache)
            results[label] = (_time(args.reads, get), _time(args.reads, page))
        db.dispose()
        print(
            f"Reference-data reads, one tenant transaction each as the app role "
            f"({args.items} task codes, {args.reads} reads each)"
        )
        for label, (gets, pages) in results.items():
            print(_line(f"get one ({label})", gets))
            print(_line(f"list 50 ({label})", pages))
        return 0
    finally:
        redis_process.terminate()
        redis_process.wait(timeout=10)
        shutil.rmtree(scratch, ignore_errors=True)
        drop_database(server.admin_url, name)


if __name__ == "__main__":
    sys.exit(main())
