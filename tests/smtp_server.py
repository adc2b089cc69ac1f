"""A real SMTP server (aiosmtpd) on a loopback port, in its own thread, for delivery tests.

It keeps every message it accepted, and can be told to answer RCPT or DATA with a refusal for
some addresses, temporarily (4xx) a number of times or permanently (5xx).
"""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.conftest import free_port


@dataclass
class Received:
    """A message the server accepted: envelope and the parsed message."""

    sender: str
    recipients: list[str]
    raw: bytes

    @property
    def message(self) -> Message:
        """The parsed message."""
        return message_from_bytes(self.raw, policy=default_policy)

    def attachment(self) -> bytes:
        """The first attachment's bytes."""
        for part in self.message.walk():  # type: ignore[attr-defined]
            if part.get_filename():
                return bytes(part.get_payload(decode=True))
        raise AssertionError("no attachment")

    def text(self) -> str:
        """The plain-text body."""
        body = self.message.get_body(("plain",))  # type: ignore[attr-defined]
        return str(body.get_content())


@dataclass
class Handler:
    """Accepts mail, or refuses as told: address -> [(code, text), ...] answered in turn."""

    received: list[Received] = field(default_factory=list)
    refuse_rcpt: dict[str, list[str]] = field(default_factory=dict)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        answers = self.refuse_rcpt.get(address)
        if answers:
            return answers.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content))
        )
        return f"250 2.0.0 Ok: queued as Q{len(self.received)}"


@dataclass
class SmtpServer:
    """Where the test server listens and what it saw."""

    host: str
    port: int
    handler: Handler


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A plain SMTP server on 127.0.0.1 (no TLS, no login), as a relay on a trusted network."""
    handler = Handler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, decode_data=False)
    controller.start()
    yield SmtpServer("127.0.0.1", port, handler)
    controller.stop()


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, made for one test."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
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


@dataclass
class TlsServer(SmtpServer):
    """A STARTTLS server requiring login, and a client context that trusts its certificate."""

    client_context: ssl.SSLContext = field(default_factory=ssl.create_default_context)


@pytest.fixture
def tls_smtp_server() -> Iterator[TlsServer]:
    """STARTTLS required, login required (user `bot`, password `s3cret`)."""
    with tempfile.TemporaryDirectory() as tmp:
        cert, key = self_signed(Path(tmp))
        server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        server_context.load_cert_chain(cert, key)
        client_context = ssl.create_default_context(cafile=str(cert))

        def authenticate(
            server: Any, session: Any, envelope: Any, mechanism: str, data: Any
        ) -> AuthResult:
            ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
                b"bot",
                b"s3cret",
            )
            return AuthResult(success=ok, handled=False)  # not handled: the server says 535

        handler = Handler()
        port = free_port()
        controller = Controller(
            handler,
            hostname="127.0.0.1",
            port=port,
            tls_context=server_context,
            require_starttls=True,
            auth_required=True,
            authenticator=authenticate,
        )
        controller.start()
        yield TlsServer("127.0.0.1", port, handler, client_context)
        controller.stop()
