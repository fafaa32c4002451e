"""``maintrac serve`` in a subprocess with its own environment (Sentry and OpenTelemetry are
process-wide, so they are tried in a process of their own, not in the test runner's)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.conftest import TEST_SECRET, DatabaseUrls


@dataclass
class Served:
    url: str
    log_path: Path

    def log_lines(self) -> list[str]:
        return self.log_path.read_text(errors="replace").splitlines()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(database_urls: DatabaseUrls, *, workers: int = 1, **env: str) -> Iterator[Served]:
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="maintrac-serve-", suffix=".log")[1])
    full_env = {
        **os.environ,
        "ENVIRONMENT": "test",
        "DATABASE_URL": database_urls.app,
        "JWT_SECRET": TEST_SECRET,
        "DATABASE_POOL_SIZE": "2",
        **env,
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "maintrac.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                "1",
            ],
            env=full_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"maintrac serve exited: {log.read_text()}")
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"maintrac serve did not start: {log.read_text()}")
            time.sleep(0.1)
        yield Served(url=url, log_path=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
