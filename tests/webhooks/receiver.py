"""A real HTTP receiver for webhook tests: a threaded server on a loopback port that
records every request and answers as the test tells it (a status per call, or a delay)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float  # time.time() when it arrived


@dataclass
class Receiver:
    """``answer(n)`` (n = 1 for the first request) returns (status, delay seconds)."""

    answer: Callable[[int], tuple[int, float]] = lambda _n: (200, 0.0)
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                arrived = time.time()
                with receiver.lock:
                    receiver.received.append(
                        Received(
                            self.path,
                            {k.lower(): v for k, v in self.headers.items()},
                            body,
                            arrived,
                        )
                    )
                    count = len(receiver.received)
                status, delay = receiver.answer(count)
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:  # the sender gave up (timeout) and closed
                    pass

            def log_message(self, *_args: Any) -> None:
                pass

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def count(self) -> int:
        with self.lock:
            return len(self.received)

    def snapshot(self) -> list[Received]:
        with self.lock:
            return list(self.received)


def running(answer: Callable[[int], tuple[int, float]] | None = None) -> Iterator[Receiver]:
    receiver = Receiver() if answer is None else Receiver(answer)
    receiver.start()
    try:
        yield receiver
    finally:
        receiver.stop()
