"""A local SMTP server that prints every mail it is given, for ``maintrac dev``: the
worker's notices go here (``SMTP_URL``), so a newcomer sees what would be sent.

Nothing is relayed anywhere. Uses aiosmtpd (a development dependency), imported only
when the catcher starts.
"""

from __future__ import annotations

import email
import email.policy
import socket
import sys
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any, TextIO

#: Tried first; another free port when it is taken.
DEFAULT_PORT = 2525


def render(envelope_from: str, recipients: list[str], content: bytes) -> str:
    """What the catcher prints for one mail: the headers that matter and the text part."""
    message = email.message_from_bytes(content, policy=email.policy.default)
    lines = [
        "=" * 72,
        f"MAIL from {envelope_from} to {', '.join(recipients)}",
    ]
    for name in ("Subject", "From", "To", "Date", "Message-ID"):
        if message[name] is not None:
            # A folded header unfolds with the blank it was folded at: not part of it.
            lines.append(f"{name}: {str(message[name]).strip()}")
    body = None
    if isinstance(message, EmailMessage):
        body = message.get_body(("plain",))
    lines.append("")
    lines.append(body.get_content().rstrip() if body is not None else "(no text part)")
    lines.append("=" * 72)
    return "\n".join(lines) + "\n"


@dataclass
class _Printer:
    out: TextIO
    log: Path | None
    lock: threading.Lock = field(default_factory=threading.Lock)
    count: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        del server, session
        text = render(str(envelope.mail_from), list(envelope.rcpt_tos), envelope.content)
        with self.lock:
            self.count += 1
            self.out.write(text)
            self.out.flush()
            if self.log is not None:
                with self.log.open("a") as handle:
                    handle.write(text)
        return "250 Message accepted for printing"


def _free(port: int) -> int:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class MailCatcher:
    port: int
    controller: Any
    printer: _Printer

    @property
    def smtp_url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?starttls=off"

    def stop(self) -> None:
        self.controller.stop()


def start(
    port: int = DEFAULT_PORT, *, out: TextIO | None = None, log: Path | None = None
) -> MailCatcher:
    """Start the catcher on loopback (in a thread); ``stop()`` ends it."""
    try:
        from aiosmtpd.controller import Controller  # a dev dependency: imported on use
    except ImportError as error:
        raise RuntimeError(
            "the mail catcher needs aiosmtpd (a development dependency): run make install"
        ) from error
    chosen = _free(port)
    printer = _Printer(out or sys.stdout, log)
    controller = Controller(printer, hostname="127.0.0.1", port=chosen)
    controller.start()
    return MailCatcher(chosen, controller, printer)
