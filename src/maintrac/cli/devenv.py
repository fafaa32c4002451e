"""Finding or starting a PostgreSQL for development and tests.

Order: ``DATABASE_URL`` when set (already provisioned); else a server on localhost
reachable as a superuser (``ADMIN_DATABASE_URL``, default ``postgres@127.0.0.1:5432``);
else an embedded cluster in ``./.data/pg`` built with the machine's own ``initdb``
(Debian's ``postgresql`` package), started on a Unix socket and port 54329.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
from sqlalchemy import make_url

EMBEDDED_PORT = 54329


@dataclass(frozen=True)
class Server:
    admin_url: str
    embedded: bool
    #: the embedded cluster was started by this call (so its caller should stop it)
    started: bool = False
    pgdata: Path | None = None


def reachable(url: str) -> bool:
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(plain, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if candidates:
        return str(candidates[-1])
    raise RuntimeError(
        f"No PostgreSQL server is reachable and '{name}' is not installed to start an embedded "
        "one. Install PostgreSQL (Debian: apt-get install postgresql) or set DATABASE_URL."
    )


def start_embedded(data_dir: Path, port: int = EMBEDDED_PORT) -> Server:
    """Start (creating if needed) a throwaway cluster owned by this user, trust auth."""
    data_dir = data_dir.resolve()
    pgdata = data_dir / "pg"
    socket_dir = data_dir / "run"
    socket_dir.mkdir(parents=True, exist_ok=True)
    run_as: list[str] = []
    if os.geteuid() == 0:
        # PostgreSQL refuses to run as root: run the cluster as the 'postgres' system user.
        shutil.chown(data_dir, "postgres")
        shutil.chown(socket_dir, "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    if not (pgdata / "PG_VERSION").exists():
        pgdata.mkdir(parents=True, exist_ok=True)
        if run_as:
            shutil.chown(pgdata, "postgres")
        subprocess.run(
            [
                *run_as,
                _pg_bin("initdb"),
                "-D",
                str(pgdata),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-instructions",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    started = False
    if not reachable(url):
        started = True
        subprocess.run(
            [
                *run_as,
                _pg_bin("pg_ctl"),
                "-D",
                str(pgdata),
                "-l",
                str(data_dir / "pg.log"),
                "-o",
                f"-p {port} -k {socket_dir} -c listen_addresses=127.0.0.1",
                "-w",
                "start",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(50):
            if reachable(url):
                break
            time.sleep(0.2)
    return Server(admin_url=url, embedded=True, started=started, pgdata=pgdata)


def stop_embedded(server: Server) -> None:
    """Stop an embedded cluster this process started (fast shutdown)."""
    if not (server.embedded and server.started and server.pgdata is not None):
        return
    run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run(
        [*run_as, _pg_bin("pg_ctl"), "-D", str(server.pgdata), "-m", "fast", "-w", "stop"],
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def find_or_start(admin_url: str, data_dir: Path) -> Server:
    if reachable(admin_url):
        return Server(admin_url=admin_url, embedded=False)
    return start_embedded(data_dir)
