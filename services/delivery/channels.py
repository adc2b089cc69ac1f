"""The channel interface: how a message reaches a recipient. SMTP ships; SMS, WeCom or DingTalk
are further implementations of `Channel`, registered in `services.delivery.registry`.

Post, courier and delivery by hand are not channels the platform drives: a person hands the
archived letter over and the platform records that it did.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from domain.recipients import Contact

EMAIL = "EMAIL"
#: Channels where a person hands the printed document over; recorded, not transmitted.
MANUAL = ("POST", "COURIER", "HAND")


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message (the letter's or the statement's PDF)."""

    filename: str
    media_type: str
    data: bytes


@dataclass(frozen=True)
class Outgoing:
    """One message to one recipient."""

    to_address: str
    to_name: str | None
    subject: str
    text: str
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class Accepted:
    """The other side took the message: its id, the server's answer, the exact bytes sent."""

    message_id: str
    reply: str
    raw: bytes


class DeliveryFailed(Exception):
    """The message did not get through; `permanent` when trying again cannot help."""

    def __init__(self, reason: str, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class Channel(Protocol):
    """A way to send a message to a customer's contact."""

    name: str

    def address_of(self, contact: Contact) -> str | None:
        """Where this channel reaches a contact (an e-mail address, a mobile number)."""
        ...

    async def send(self, message: Outgoing) -> Accepted:
        """Send one message; raise DeliveryFailed unless the other side accepted it."""
        ...


def email_address(contact: Contact) -> str | None:
    """A contact's e-mail address."""
    return contact.email
