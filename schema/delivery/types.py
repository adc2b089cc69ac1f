"""The mail server, documents as sent and their deliveries, as the API shows them."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum

import strawberry

from domain import roles
from domain.delivery import Security
from schema.node import by_ids, register_node
from schema.relay import Node, to_global_id
from services.delivery import archive, outbox
from services.delivery.archive import ArchivedDocument
from services.delivery.outbox import DeliveryRecord
from services.delivery.settings import MailServer


@strawberry.enum(description="How the connection to the mail server is protected.")
class MailSecurity(Enum):
    STARTTLS = strawberry.enum_value("STARTTLS", description="Upgraded with STARTTLS (port 587).")
    TLS = strawberry.enum_value("TLS", description="TLS from the first byte (port 465).")
    NONE = strawberry.enum_value(
        "NONE", description="Unencrypted: a relay on a trusted network, without login (port 25)."
    )


@strawberry.enum(description="How a document reaches the customer.")
class DeliveryChannel(Enum):
    EMAIL = strawberry.enum_value("EMAIL", description="E-mailed through your mail server.")
    POST = strawberry.enum_value("POST", description="Printed and posted by you.")
    COURIER = strawberry.enum_value("COURIER", description="Printed and sent by courier.")
    HAND = strawberry.enum_value("HAND", description="Printed and handed over.")


@strawberry.enum(description="Where a delivery stands.")
class DeliveryStatus(Enum):
    PENDING = strawberry.enum_value("PENDING", description="Queued or being retried.")
    SENT = strawberry.enum_value("SENT", description="Accepted by the recipient's side.")
    FAILED = strawberry.enum_value("FAILED", description="Given up; the evidence chain says why.")


@strawberry.type(description="Your outgoing mail server; the password is never shown.")
class SmtpSettings:
    host: str = strawberry.field(description="The server's host name.")
    port: int = strawberry.field(description="The port.")
    security: MailSecurity = strawberry.field(description="STARTTLS, TLS or NONE.")
    username: str | None = strawberry.field(description="The login, if the server needs one.")
    password_set: bool = strawberry.field(description="Whether a password is stored.")
    from_address: str = strawberry.field(description="The sender's address.")
    from_name: str | None = strawberry.field(description="The sender's display name.")
    reply_to: str | None = strawberry.field(description="Where customers' replies go.")
    version: int = strawberry.field(description="Pass back to change the settings.")
    updated_by: str | None = strawberry.field(description="Who changed them last.")
    updated_at: datetime = strawberry.field(description="When they were changed last.")

    @classmethod
    def of(cls, server: MailServer) -> SmtpSettings:
        """From the stored settings."""
        return cls(
            host=server.host,
            port=server.port,
            security=MailSecurity(server.security.value),
            username=server.username,
            password_set=server.password_set,
            from_address=server.from_address,
            from_name=server.from_name,
            reply_to=server.reply_to,
            version=server.version,
            updated_by=server.updated_by,
            updated_at=server.updated_at,
        )


@strawberry.type(description="A document exactly as it left the platform, archived.")
class SentDocument(Node):
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    kind: str = strawberry.field(
        description="PRE_DUE_REMINDER, REMINDER, DEMAND, LAWYER or STATEMENT."
    )
    number: str | None = strawberry.field(description="The letter's or statement's number.")
    lang: str = strawberry.field(description="zh-CN or en.")
    media_type: str = strawberry.field(description="application/pdf, or text/plain for a notice.")
    filename: str = strawberry.field(description="The file name, with customer code and date.")
    sha256: str = strawberry.field(description="SHA-256 of the bytes sent (hex).")
    size: int = strawberry.field(description="Bytes.")
    as_of: date = strawberry.field(description="The date its figures are as of.")
    created_at: datetime = strawberry.field(description="When it was archived.")
    created_by: str = strawberry.field(description="Who issued it.")
    url: str = strawberry.field(description="Where the archived bytes are served.")

    @classmethod
    def of(cls, document: ArchivedDocument) -> SentDocument:
        """From the archive."""
        gid = to_global_id("SentDocument", document.id)
        return cls(
            id=gid,
            customer_id=to_global_id("Customer", document.customer_id),
            kind=document.kind,
            number=document.number,
            lang=document.lang,
            media_type=document.media_type,
            filename=document.filename,
            sha256=document.sha256,
            size=document.size,
            as_of=document.as_of,
            created_at=document.created_at,
            created_by=document.created_by,
            url=f"/documents/sent/{gid}",
        )


@strawberry.type(description="One copy of a document on its way to one recipient.")
class DocumentDelivery(Node):
    document_id: strawberry.ID = strawberry.field(description="Global id of the SentDocument.")
    channel: DeliveryChannel = strawberry.field(description="How it goes.")
    recipient_name: str | None = strawberry.field(description="The contact's name.")
    recipient_address: str = strawberry.field(
        description="E-mail address (or, printed, the customer's name)."
    )
    lang: str = strawberry.field(description="The recipient's language.")
    status: DeliveryStatus = strawberry.field(description="Pending, sent or failed.")
    attempts: int = strawberry.field(description="Attempts made so far.")
    message_id: str | None = strawberry.field(description="The e-mail's Message-ID once sent.")
    last_error: str | None = strawberry.field(description="Why the last attempt failed.")
    sent_at: datetime | None = strawberry.field(description="When the server accepted it.")

    @classmethod
    def of(cls, delivery: DeliveryRecord) -> DocumentDelivery:
        """From the stored delivery."""
        return cls(
            id=to_global_id("DocumentDelivery", delivery.id),
            document_id=to_global_id("SentDocument", delivery.document_id),
            channel=DeliveryChannel(delivery.channel),
            recipient_name=delivery.recipient_name,
            recipient_address=delivery.recipient_address,
            lang=delivery.lang,
            status=DeliveryStatus(delivery.status),
            attempts=delivery.attempts,
            message_id=delivery.message_id,
            last_error=delivery.last_error,
            sent_at=delivery.sent_at,
        )


def security_of(value: MailSecurity) -> Security:
    """The domain's value for the API's enum."""
    return Security(value.value)


#: Documents as sent, and their deliveries, are evidence: for whoever works the customer.
READERS = roles.READ_SENT_DOCUMENTS
register_node(
    "SentDocument", "sent_documents", by_ids(archive.documents_by_ids), SentDocument.of,
    readers=READERS,
)  # fmt: skip
register_node(
    "DocumentDelivery", "document_deliveries", by_ids(outbox.deliveries_by_ids),
    DocumentDelivery.of, readers=READERS,
)  # fmt: skip
