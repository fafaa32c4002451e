"""``maintrac dev``'s processes: Redis (the machine's, or one it starts in ``.data``), and the
API, a worker, beat and the outbox relay as child processes, all stopped on Ctrl-C."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

#: The embedded Redis listens here (the machine's default 6379 is tried first).
EMBEDDED_REDIS_PORT = 63799


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except (redis.RedisError, ValueError):
        return False


@dataclass
class Redis:
    url: str
    where: str
    process: subprocess.Popen[bytes] | None = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def find_or_start_redis(url: str, data_dir: Path) -> Redis:
    """The Redis at ``url`` when it answers; else an embedded one started in ``data_dir``
    with Debian's ``redis-server`` (nothing kept on disk: PostgreSQL is the record)."""
    if redis_answers(url):
        parts = urlsplit(url)
        return Redis(url, f"the machine's Redis at {parts.hostname}:{parts.port or 6379}")
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError(
            f"no Redis answers at {url} and redis-server is not installed to start one: "
            "install it (Debian: apt-get install redis-server) or set REDIS_URL"
        )
    embedded = f"redis://127.0.0.1:{EMBEDDED_REDIS_PORT}/0"
    if redis_answers(embedded):
        return Redis(embedded, f"embedded Redis on port {EMBEDDED_REDIS_PORT} (already running)")
    return start_redis(EMBEDDED_REDIS_PORT, data_dir)


def start_redis(port: int, data_dir: Path) -> Redis:
    """A ``redis-server`` of its own on ``port``, in ``data_dir/redis`` (nothing kept on
    disk), logging to ``data_dir/redis.log``; ``stop()`` ends it."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is required (Debian: apt-get install redis-server)")
    directory = (data_dir / "redis").resolve()
    directory.mkdir(parents=True, exist_ok=True)
    url = f"redis://127.0.0.1:{port}/0"
    log = (data_dir / "redis.log").open("ab")
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(directory),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    for _ in range(50):
        if redis_answers(url):
            break
        time.sleep(0.1)
    else:
        process.terminate()
        raise RuntimeError(f"redis-server did not start; see {data_dir / 'redis.log'}")
    return Redis(url, f"embedded Redis on port {port}, in {directory}", process)


@dataclass
class Children:
    """``maintrac`` subcommands as child processes, each logging to ``.data/logs``."""

    env: dict[str, str]
    logs: Path
    running: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)

    def start(self, name: str, *args: str) -> Path:
        self.logs.mkdir(parents=True, exist_ok=True)
        path = self.logs / f"{name}.log"
        log = path.open("ab")
        process = subprocess.Popen(
            [sys.executable, "-m", "maintrac.cli", *args],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the supervisor, which stops them in order
        )
        self.running.append((name, process))
        return path

    def exited(self) -> list[str]:
        return [name for name, process in self.running if process.poll() is not None]

    def stop(self) -> None:
        for _, process in reversed(self.running):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for _, process in reversed(self.running):
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
