"""The SMTP transport against a real server (aiosmtpd): temporary and permanent failures
are told apart; STARTTLS with credentials; credentials never go out in the clear."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from maintrac.services import mail
from tests.jobs.conftest import free_port
from tests.notices.conftest import Catcher, SmtpServer


def _message(to: str = "dana@example.test") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "notices@maintrac.test"
    message["To"] = to
    message["Subject"] = "Test"
    message.set_content("Hello")
    return message


def test_parse_smtp_url() -> None:
    plain = mail.parse_smtp_url("smtp://mail.example.com")
    assert (plain.host, plain.port, plain.implicit_tls, plain.starttls) == (
        "mail.example.com",
        25,
        False,
        "auto",
    )
    tls = mail.parse_smtp_url("smtps://bot%40x:p%2Fw@mail.example.com")
    assert (tls.port, tls.implicit_tls, tls.username, tls.password) == (465, True, "bot@x", "p/w")
    assert mail.parse_smtp_url("smtp://h:2525?starttls=required").starttls == "required"
    for bad in ("http://h", "smtp://", "smtp://h?starttls=maybe"):
        with pytest.raises(ValueError, match="SMTP_URL"):
            mail.parse_smtp_url(bad)


def test_accepted_temporary_and_permanent_replies(smtp_server: SmtpServer) -> None:
    target = mail.parse_smtp_url(smtp_server.url)
    mail.send(target, _message(), timeout=5)
    assert [r.rcpt_tos for r in smtp_server.catcher.received] == [["dana@example.test"]]

    smtp_server.catcher.refuse["later@example.test"] = "451 4.7.1 Try again later"
    with pytest.raises(mail.TemporaryFailure, match="451"):
        mail.send(target, _message("later@example.test"), timeout=5)
    smtp_server.catcher.refuse["nobody@example.test"] = "550 5.1.1 No such mailbox"
    with pytest.raises(mail.PermanentFailure, match="550"):
        mail.send(target, _message("nobody@example.test"), timeout=5)
    assert len(smtp_server.catcher.received) == 1


def test_connection_refused_is_temporary() -> None:
    target = mail.parse_smtp_url(f"smtp://127.0.0.1:{free_port()}")
    with pytest.raises(mail.TemporaryFailure, match="ConnectionRefusedError"):
        mail.send(target, _message(), timeout=5)


def _certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class Authenticator:
    def __init__(self) -> None:
        self.logins: list[str] = []

    def __call__(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        del server, session, envelope, mechanism
        if isinstance(auth_data, LoginPassword) and auth_data.password == b"s3cret":
            self.logins.append(auth_data.login.decode())
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[SmtpServer, Authenticator, ssl.SSLContext]]:
    cert, key = _certificate(tmp_path)
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    client_context = ssl.create_default_context(cafile=str(cert))
    authenticator = Authenticator()
    server = SmtpServer(
        free_port(),
        Catcher(),
        options={
            "tls_context": server_context,
            "require_starttls": True,
            "authenticator": authenticator,
            "auth_require_tls": True,
        },
    )
    server.start()
    yield server, authenticator, client_context
    server.stop()


def test_starttls_then_credentials(
    tls_server: tuple[SmtpServer, Authenticator, ssl.SSLContext],
) -> None:
    server, authenticator, context = tls_server
    target = mail.parse_smtp_url(f"smtp://bot:s3cret@127.0.0.1:{server.port}?starttls=required")
    mail.send(target, _message(), timeout=5, tls_context=context)
    assert authenticator.logins == ["bot"]
    assert len(server.catcher.received) == 1

    wrong = mail.parse_smtp_url(f"smtp://bot:wrong@127.0.0.1:{server.port}")
    with pytest.raises(mail.PermanentFailure, match="535"):
        mail.send(wrong, _message(), timeout=5, tls_context=context)


def test_credentials_are_not_sent_without_tls(smtp_server: SmtpServer) -> None:
    target = mail.parse_smtp_url(f"smtp://bot:s3cret@127.0.0.1:{smtp_server.port}")
    with pytest.raises(mail.PermanentFailure, match="without TLS"):
        mail.send(target, _message(), timeout=5)
    required = mail.parse_smtp_url(f"{smtp_server.url}?starttls=required")
    with pytest.raises(mail.TemporaryFailure, match="STARTTLS"):
        mail.send(required, _message(), timeout=5)
    assert smtp_server.catcher.received == []
