"""A private PostgreSQL cluster (``initdb`` on a free port) that tests and drills may stop,
restart, freeze and exhaust without touching the machine's server on 5432.

Also used by ``bench/fault_drills.py``. Runs the server as the ``postgres`` system user
when started as root (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

from maintrac.cli.devenv import _pg_bin
from maintrac.db.bootstrap import ensure_roles_and_database, migrate, role_urls


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PrivateCluster:
    def __init__(self, *, max_connections: int = 20, name: str = "maintrac") -> None:
        self.root = Path(tempfile.mkdtemp(prefix="maintrac-pg-"))
        self.pgdata = self.root / "pg"
        self.sockets = self.root / "run"
        self.log = self.root / "pg.log"
        self.port = free_port()
        self.max_connections = max_connections
        self.database = name
        self._run_as: list[str] = []
        self.frozen = False

    # ------------------------------------------------------------------ urls

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def urls(self) -> tuple[str, str]:
        """(owner URL, app URL) of the cluster's database."""
        owner, app = role_urls(self.admin_url, self.database)
        return (
            owner.render_as_string(hide_password=False),
            app.render_as_string(hide_password=False),
        )

    def psql_url(self, user: str = "postgres", database: str | None = None) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database or self.database}"

    # ------------------------------------------------------------------ life cycle

    def create(self) -> PrivateCluster:
        self.sockets.mkdir(parents=True)
        self.pgdata.mkdir()
        if os.geteuid() == 0:
            for path in (self.root, self.sockets, self.pgdata):
                shutil.chown(path, "postgres")
            self._run_as = ["runuser", "-u", "postgres", "--"]
        subprocess.run(
            [
                *self._run_as,
                _pg_bin("initdb"),
                "-D",
                str(self.pgdata),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-instructions",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.start()
        ensure_roles_and_database(self.admin_url, self.database)
        migrate(self.urls()[0])
        return self

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1"
            f" -c max_connections={self.max_connections} -c superuser_reserved_connections=3"
            " -c fsync=off -c synchronous_commit=on -c full_page_writes=off"
        )
        subprocess.run(
            [
                *self._run_as,
                _pg_bin("pg_ctl"),
                "-D",
                str(self.pgdata),
                "-l",
                str(self.log),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def stop(self, mode: str = "fast") -> None:
        self.thaw()
        subprocess.run(
            [*self._run_as, _pg_bin("pg_ctl"), "-D", str(self.pgdata), "-m", mode, "-w", "stop"],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def restart(self) -> None:
        self.stop()
        self.start()

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    # ------------------------------------------------------------------ faults

    def pids(self) -> list[int]:
        """The postmaster and every process it started."""
        postmaster = int((self.pgdata / "postmaster.pid").read_text().split()[0])
        found = [postmaster]
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == postmaster:
                    found.append(int(entry.name))
        return found

    def freeze(self) -> None:
        """SIGSTOP the whole cluster: TCP still connects and acknowledges, nothing answers."""
        for pid in self.pids():
            os.kill(pid, signal.SIGSTOP)
        self.frozen = True

    def thaw(self) -> None:
        if self.frozen:
            for pid in self.pids():
                os.kill(pid, signal.SIGCONT)
            self.frozen = False

    def execute(self, sql: str, *, database: str | None = None) -> None:
        with psycopg.connect(self.psql_url(database=database), autocommit=True) as conn:
            conn.execute(sql.encode())  # test-only DDL, no parameters

    def terminate_app_backends(self) -> int:
        with psycopg.connect(self.psql_url(), autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE usename = 'maintrac_app'"
            ).fetchall()
        return len(rows)

    def fill_connection_slots(
        self, user: str = "maintrac_owner"
    ) -> list[psycopg.Connection[tuple[object, ...]]]:
        """Hold every connection slot an ordinary role can get (superuser slots stay free);
        as another role than the app's, so ``terminate_app_backends`` leaves them be."""
        held: list[psycopg.Connection[tuple[object, ...]]] = []
        while True:
            try:
                held.append(psycopg.connect(self.psql_url(user), connect_timeout=3))
            except psycopg.OperationalError:
                return held
            if len(held) > self.max_connections:
                raise RuntimeError("connection slots do not run out")

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(self.psql_url(), connect_timeout=2) as conn:
                    conn.execute("SELECT 1")
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
            else:
                return
