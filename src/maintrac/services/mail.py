"""SMTP delivery of one message, and what kind of failure a failure is.

``SMTP_URL`` is ``smtp://[user:password@]host[:port][?starttls=auto|required|off]`` or
``smtps://...``. On ``smtp://`` the client says EHLO and upgrades with STARTTLS when the
server offers it (``auto``, the default), insists on it (``required``) or never does
(``off``); credentials are sent only over TLS, or with ``starttls=off`` when the operator
asked for plain text (a local relay). ``smtps://`` is TLS from the first byte (port 465).

Temporary failures (a 4xx reply, a refused or dropped connection, a timeout) raise
``TemporaryFailure``: the caller tries again later. A 5xx reply (unknown mailbox, refused
sender, failed authentication) raises ``PermanentFailure``: trying again cannot help.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit


class MailError(Exception):
    """Delivery failed; ``str(error)`` says why, for the notification's last error."""


class TemporaryFailure(MailError):
    pass


class PermanentFailure(MailError):
    pass


@dataclass(frozen=True, slots=True)
class SmtpTarget:
    host: str
    port: int
    implicit_tls: bool
    starttls: Literal["auto", "required", "off"]
    username: str | None
    password: str | None

    @property
    def label(self) -> str:
        scheme = "smtps" if self.implicit_tls else "smtp"
        return f"{scheme}://{self.host}:{self.port}"


def parse_smtp_url(url: str) -> SmtpTarget:
    """The target of ``url``; a malformed one raises ``ValueError`` (checked at start)."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError("SMTP_URL must start with smtp:// or smtps://")
    if not parts.hostname:
        raise ValueError("SMTP_URL has no host")
    mode = parse_qs(parts.query).get("starttls", ["auto"])[-1]
    if mode not in ("auto", "required", "off"):
        raise ValueError("SMTP_URL starttls= must be auto, required or off")
    implicit = parts.scheme == "smtps"
    return SmtpTarget(
        host=parts.hostname,
        port=parts.port or (465 if implicit else 25),
        implicit_tls=implicit,
        starttls="off" if implicit else mode,  # type: ignore[arg-type]  # checked above
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def send(
    target: SmtpTarget,
    message: EmailMessage,
    *,
    timeout: float,
    tls_context: ssl.SSLContext | None = None,
) -> None:
    """Hand ``message`` to the server (its To and From headers are the envelope)."""
    context = tls_context or ssl.create_default_context()
    try:
        client: smtplib.SMTP
        if target.implicit_tls:
            client = smtplib.SMTP_SSL(target.host, target.port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(target.host, target.port, timeout=timeout)
        with client:
            client.ehlo()
            secure = target.implicit_tls
            if not secure and target.starttls != "off":
                if client.has_extn("starttls"):
                    client.starttls(context=context)
                    client.ehlo()
                    secure = True
                elif target.starttls == "required":
                    raise TemporaryFailure(f"{target.label} does not offer STARTTLS")
            if target.username is not None:
                if not secure and target.starttls != "off":
                    raise PermanentFailure(
                        "refusing to send SMTP credentials without TLS (set starttls=off "
                        "in SMTP_URL for a trusted local relay)"
                    )
                client.login(target.username, target.password or "")
            refused = client.send_message(message)
            if refused:
                raise _recipients_refused(refused)
    except smtplib.SMTPRecipientsRefused as error:
        raise _recipients_refused(error.recipients) from error
    except smtplib.SMTPResponseException as error:
        detail = error.smtp_error
        text = detail.decode(errors="replace") if isinstance(detail, bytes) else str(detail)
        reason = f"{target.label} answered {error.smtp_code} {text}".strip()
        if 400 <= error.smtp_code < 500:
            raise TemporaryFailure(reason) from error
        raise PermanentFailure(reason) from error
    except (smtplib.SMTPException, OSError) as error:
        # Refused, reset or dropped connections, timeouts, TLS handshake failures.
        raise TemporaryFailure(f"{target.label}: {type(error).__name__}: {error}") from error


def _recipients_refused(refused: dict[str, tuple[int, bytes]]) -> MailError:
    codes = [code for code, _ in refused.values()]
    reason = "; ".join(
        f"{address}: {code} {text.decode(errors='replace')}"
        for address, (code, text) in refused.items()
    )
    if all(code >= 500 for code in codes):
        return PermanentFailure(f"recipient refused: {reason}")
    return TemporaryFailure(f"recipient deferred: {reason}")
