"""Fixtures of the notice tests: a real SMTP server (aiosmtpd, on a free loopback port)
that can be stopped and started again, plus the job layer's real worker and relay
processes (tests/jobs/conftest.py)."""

from __future__ import annotations

import email
import email.policy
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.jobs.conftest import (  # noqa: F401 - fixtures shared with the job-layer tests
    Processes,
    free_port,
    job_settings,
    processes,
    redis_server,
    runtime_db,
)


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    at: float


@dataclass
class Catcher:
    """Collects what the server accepted. ``refuse`` maps an address to an SMTP reply
    (``"550 5.1.1 no such user"``) given at RCPT TO."""

    received: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        del server, session, options
        reply = self.refuse.get(address.lower())
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        del server, session
        content = envelope.original_content or b""
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        with self.lock:
            self.received.append(
                Received(str(envelope.mail_from), list(envelope.rcpt_tos), parsed, time.time())
            )
        return "250 Message accepted"

    def to(self, address: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if address in r.rcpt_tos]


@dataclass
class SmtpServer:
    port: int
    catcher: Catcher
    controller: Controller | None = None
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.controller = Controller(
            self.catcher, hostname="127.0.0.1", port=self.port, **self.options
        )
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port(), Catcher())
    server.start()
    yield server
    server.stop()


def wait_until(predicate: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


@pytest.fixture
def mail_env(smtp_server: SmtpServer) -> dict[str, str]:
    """What a worker needs to mail through the test server, with fast retries."""
    return {
        "SMTP_URL": smtp_server.url,
        "MAIL_FROM": "MainTrac Test <notices@maintrac.test>",
        "APP_BASE_URL": "https://app.maintrac.test",
        "NOTICES_RETRY_BACKOFF_SECONDS": "1",
        "NOTICES_RETRY_BACKOFF_MAX_SECONDS": "2",
        "NOTICES_MAX_ATTEMPTS": "20",
        "SMTP_TIMEOUT_SECONDS": "5",
    }


@pytest.fixture
def mailing(processes: Processes, mail_env: dict[str, str]) -> Processes:  # noqa: F811
    """A relay and one worker that mail through the test server."""
    processes.start("relay")
    processes.worker("w1", **mail_env)
    return processes
