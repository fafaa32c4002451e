"""A disposable PostgreSQL cluster and API process for drills: private port and directory.

Nothing here touches the machine's own server: the cluster lives under a directory the
drill creates, listens on 127.0.0.1 and a free port, and keeps its socket in that
directory. PostgreSQL refuses to run as root, so when this process is root the cluster
belongs to the ``postgres`` OS user (``runuser``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import psycopg

PG_BIN_DIRS = (Path("/usr/lib/postgresql/15/bin"),)


def pg_bin(name: str) -> str:
    """A PostgreSQL server binary: 15's when installed, else the newest found, else PATH."""
    for directory in (*PG_BIN_DIRS, *sorted(Path("/usr/lib/postgresql").glob("*/bin"))[::-1]):
        if (directory / name).exists():
            return str(directory / name)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"'{name}' is not installed (Debian: apt-get install postgresql)")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    """Direct children of ``pid``, from /proc (the postmaster's backends and helpers)."""
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command may hold spaces and parentheses: the ppid follows the last ')'.
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


@dataclass
class Cluster:
    """A throwaway cluster in ``root`` (data in ``root/pg``), trust auth on loopback."""

    root: Path
    port: int
    os_user: str = "postgres"

    @property
    def pgdata(self) -> Path:
        return self.root / "pg"

    @property
    def socket_dir(self) -> Path:
        return self.root / "run"

    @property
    def log_file(self) -> Path:
        return self.root / "pg.log"

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _as_owner(self, argv: Sequence[str]) -> list[str]:
        if os.geteuid() == 0:
            return ["runuser", "-u", self.os_user, "--", *argv]
        return list(argv)

    def own(self, path: Path) -> None:
        if os.geteuid() == 0:
            shutil.chown(path, self.os_user, self.os_user)

    def make_dir(self, path: Path, mode: int = 0o750) -> Path:
        path.mkdir(parents=True, exist_ok=True)
        path.chmod(mode)
        self.own(path)
        return path

    def initdb(self) -> None:
        self.make_dir(self.root, 0o755)
        self.make_dir(self.socket_dir, 0o755)
        self.make_dir(self.pgdata, 0o700)
        subprocess.run(
            self._as_owner(
                [
                    pg_bin("initdb"),
                    "-D",
                    str(self.pgdata),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--no-instructions",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
        with (self.pgdata / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\n# disposable drill cluster\nport = {self.port}\n"
                "listen_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.socket_dir}'\n"
                "fsync = on\nsynchronous_commit = on\nmax_connections = 50\n"
            )

    def start(self, timeout: int = 300) -> None:
        """Start and wait until it accepts connections (after recovery: read-only first)."""
        subprocess.run(
            self._as_owner(
                [
                    pg_bin("pg_ctl"),
                    "-D",
                    str(self.pgdata),
                    "-l",
                    str(self.log_file),
                    "-t",
                    str(timeout),
                    "-w",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=timeout + 30,
        )

    def stop(self, mode: str = "fast") -> None:
        if not (self.pgdata / "postmaster.pid").exists():
            return
        subprocess.run(
            self._as_owner([pg_bin("pg_ctl"), "-D", str(self.pgdata), "-m", mode, "-w", "stop"]),
            check=False,
            capture_output=True,
            timeout=120,
        )

    def postmaster_pid(self) -> int | None:
        try:
            return int((self.pgdata / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def kill_hard(self) -> None:
        """SIGKILL the postmaster and every process it started: the host is gone."""
        pid = self.postmaster_pid()
        if pid is None:
            return
        children = _children(pid)
        for victim in (pid, *children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(p) for p in (pid, *children)):
            time.sleep(0.05)

    def destroy_data(self) -> None:
        shutil.rmtree(self.pgdata, ignore_errors=True)

    def wait_writable(self, timeout: float = 300) -> None:
        """Wait until recovery has ended and the server was promoted (accepts writes)."""
        deadline = time.monotonic() + timeout
        plain = self.admin_url.replace("+psycopg", "")
        while True:
            try:
                with psycopg.connect(plain, connect_timeout=2) as conn:
                    row = conn.execute("SELECT pg_is_in_recovery()").fetchone()
                    if row is not None and row[0] is False:
                        return
            except psycopg.Error:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"the cluster on port {self.port} did not leave recovery")
            time.sleep(0.1)

    def sql(self, statement: str) -> list[tuple[object, ...]]:
        plain = self.admin_url.replace("+psycopg", "")
        with psycopg.connect(plain, connect_timeout=5, autocommit=True) as conn:
            cursor = conn.execute(statement.encode())
            return list(cursor.fetchall()) if cursor.description else []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class ApiProcess:
    """``maintrac serve`` in a child process, logging to a file."""

    port: int
    env: Mapping[str, str]
    log_file: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = self.log_file.open("ab")
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "maintrac.cli", "serve", "--port", str(self.port)],
                env={**os.environ, **self.env},
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        finally:
            log.close()

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
