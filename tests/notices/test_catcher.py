"""``make dev``'s mail catcher: a real SMTP server that prints each mail it is given."""

from __future__ import annotations

import io
from email.message import EmailMessage
from pathlib import Path

from maintrac.cli import mailcatcher
from maintrac.services import mail
from tests.jobs.conftest import free_port


def test_the_catcher_prints_what_would_be_sent(tmp_path: Path) -> None:
    out = io.StringIO()
    catcher = mailcatcher.start(free_port(), out=out, log=tmp_path / "mail.log")
    try:
        message = EmailMessage()
        message["From"] = "MainTrac <notices@maintrac.localhost>"
        message["To"] = "Dana <dana@demo.maintrac.dev>"
        message["Subject"] = "[Demo Plant] Work order #7 assigned to you: Replace seal"
        message["Message-ID"] = "<notice.1@maintrac.localhost>"
        message.set_content("Open it: http://127.0.0.1:8000/work-orders/1")
        message.add_alternative("<p>html</p>", subtype="html")
        mail.send(mail.parse_smtp_url(catcher.smtp_url), message, timeout=5)
    finally:
        catcher.stop()
    printed = out.getvalue()
    assert "MAIL from notices@maintrac.localhost to dana@demo.maintrac.dev" in printed
    assert "Subject: [Demo Plant] Work order #7 assigned to you: Replace seal" in printed
    assert "Message-ID: <notice.1@maintrac.localhost>" in printed
    assert "Open it: http://127.0.0.1:8000/work-orders/1" in printed
    assert "<p>html</p>" not in printed  # the text part is what a person reads here
    assert (tmp_path / "mail.log").read_text() == printed
    assert catcher.printer.count == 1
