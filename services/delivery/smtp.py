"""E-mail through the tenant's SMTP server: one message per recipient, sent only when the
server answers 250 to the message itself; its Message-ID and the server's reply are kept."""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, formataddr, make_msgid

from domain.delivery import CONTROL, Security, SmtpSettings, is_permanent
from domain.recipients import Contact
from services.delivery.channels import Accepted, DeliveryFailed, Outgoing, email_address

TIMEOUT_SECONDS = 30  #: a mail server that has not answered by then is treated as down


def _line(text: str) -> str:
    """A header value on one line (a name typed with a line break must not add headers)."""
    return CONTROL.sub(" ", text).strip()


class SmtpChannel:
    """Sends through one tenant's mail server (TLS, STARTTLS or, on a trusted network, plain)."""

    name = "EMAIL"

    def __init__(self, config: SmtpSettings, tls: ssl.SSLContext | None = None) -> None:
        self.config = config
        self.tls = tls or ssl.create_default_context()

    def address_of(self, contact: Contact) -> str | None:
        """A contact's e-mail address."""
        return email_address(contact)

    def compose(self, message: Outgoing) -> tuple[str, bytes]:
        """The message as it goes on the wire (CRLF lines) and its Message-ID."""
        mail = EmailMessage(policy=SMTP_POLICY)
        sender = self.config.from_address
        mail["From"] = formataddr((self.config.from_name or "", sender))
        mail["To"] = formataddr((_line(message.to_name or ""), message.to_address))
        mail["Subject"] = _line(message.subject)
        mail["Date"] = format_datetime(datetime.now(UTC))
        message_id = make_msgid(domain=sender.rpartition("@")[2])
        mail["Message-ID"] = message_id
        if self.config.reply_to:
            mail["Reply-To"] = self.config.reply_to
        mail.set_content(message.text, charset="utf-8")
        for attachment in message.attachments:
            maintype, _, subtype = attachment.media_type.partition(";")[0].partition("/")
            mail.add_attachment(
                attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
            )
        return message_id, mail.as_bytes()

    def _transmit(self, raw: bytes, to_address: str) -> str:
        """One SMTP session: connect, protect, log in, MAIL, RCPT, DATA; the final reply."""
        config = self.config
        if config.security is Security.TLS:
            server: smtplib.SMTP = smtplib.SMTP_SSL(
                config.host, config.port, timeout=TIMEOUT_SECONDS, context=self.tls
            )
        else:
            server = smtplib.SMTP(config.host, config.port, timeout=TIMEOUT_SECONDS)
        with server:
            server.ehlo()
            if config.security is Security.STARTTLS:
                server.starttls(context=self.tls)
                server.ehlo()
            if config.username and config.password:
                server.login(config.username, config.password)
            for code, reply in (
                server.mail(config.from_address),
                server.rcpt(to_address),
            ):
                if code not in (250, 251):
                    raise smtplib.SMTPResponseException(code, reply)
            code, reply = server.data(raw)
            return f"{code} {reply.decode(errors='replace')}"

    async def send(self, message: Outgoing) -> Accepted:
        """Send one message; DeliveryFailed (permanent for 5xx and bad TLS) unless accepted."""
        try:
            message_id, raw = self.compose(message)
        except (ValueError, TypeError) as exc:  # an address no mail header can carry
            raise DeliveryFailed(f"cannot address the message: {exc}", permanent=True) from exc
        try:
            reply = await asyncio.to_thread(self._transmit, raw, message.to_address)
        except smtplib.SMTPResponseException as exc:
            text = (
                exc.smtp_error.decode(errors="replace")
                if isinstance(exc.smtp_error, bytes)
                else str(exc.smtp_error)
            )
            raise DeliveryFailed(f"{exc.smtp_code} {text}", is_permanent(exc.smtp_code)) from exc
        except (ssl.SSLCertVerificationError, smtplib.SMTPNotSupportedError) as exc:
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}", permanent=True) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}", permanent=False) from exc
        return Accepted(message_id, reply, raw)
