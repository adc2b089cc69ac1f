"""Delivery rules: a tenant's outgoing mail server as it may be configured, and which failures
are worth another attempt."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from domain.errors import DomainError, ValidationFailed


class Security(StrEnum):
    """How the connection to the mail server is protected."""

    STARTTLS = "STARTTLS"  #: plain connection upgraded with STARTTLS (port 587)
    TLS = "TLS"  #: TLS from the first byte (port 465)
    NONE = "NONE"  #: no encryption: only for a relay on a trusted network, without login


#: The port each kind of connection uses unless told otherwise.
DEFAULT_PORTS = {Security.STARTTLS: 587, Security.TLS: 465, Security.NONE: 25}
HOST_MAX = 253  #: the longest DNS name
TEXT_MAX = 200  #: a user name, a sender's display name
PASSWORD_MAX = 500
EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")  #: would break a header line, or the database
HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9\-.]*[A-Za-z0-9])?$|^\[[0-9A-Fa-f:.]+\]$")


@dataclass(frozen=True)
class SmtpSettings:
    """A tenant's mail server: where, how protected, whose login, which sender."""

    host: str
    port: int
    security: Security
    username: str | None
    password: str | None
    from_address: str
    from_name: str | None = None
    reply_to: str | None = None


def _text(value: str | None, field: str, limit: int, errors: list[DomainError]) -> str | None:
    text = (value or "").strip() or None
    if text is not None and len(text) > limit:
        errors.append(DomainError("TOO_LONG", f"at most {limit} characters", field))
    elif text is not None and CONTROL.search(text):
        errors.append(DomainError("INVALID_INPUT", "no control characters", field))
    return text


def _email(value: str | None, field: str, errors: list[DomainError]) -> str | None:
    text = _text(value, field, TEXT_MAX, errors)
    if text is not None and not EMAIL.match(text):
        errors.append(DomainError("INVALID_EMAIL", "not an e-mail address", field))
    return text


def check_smtp(
    host: str | None,
    port: int | None,
    security: str,
    username: str | None,
    password: str | None,
    from_address: str | None,
    from_name: str | None = None,
    reply_to: str | None = None,
) -> SmtpSettings:
    """Settings a mail server can be reached with, or every problem at once."""
    errors: list[DomainError] = []
    name = _text(host, "host", HOST_MAX, errors)
    if name is None:
        errors.append(DomainError("REQUIRED", "the mail server's host name is needed", "host"))
    elif not HOST.match(name):
        errors.append(DomainError("INVALID_HOST", "a host name or [IP address], no scheme", "host"))
    try:
        mode = Security(security)
    except ValueError:
        errors.append(DomainError("INVALID_INPUT", "STARTTLS, TLS or NONE", "security"))
        mode = Security.STARTTLS
    if port is not None and not 1 <= port <= 65535:
        errors.append(DomainError("INVALID_INPUT", "a port from 1 to 65535", "port"))
    user = _text(username, "username", TEXT_MAX, errors)
    secret = password or None
    if secret is not None and len(secret) > PASSWORD_MAX:
        errors.append(DomainError("TOO_LONG", f"at most {PASSWORD_MAX} characters", "password"))
    elif secret is not None and CONTROL.search(secret):
        errors.append(DomainError("INVALID_INPUT", "no control characters", "password"))
    if (user is None) != (secret is None):
        errors.append(
            DomainError("REQUIRED", "a login needs both the user name and the password", "password")
        )
    if secret is not None and mode is Security.NONE:
        errors.append(
            DomainError("INSECURE_LOGIN", "a password is never sent unencrypted", "security")
        )
    sender = _email(from_address, "fromAddress", errors)
    if sender is None and not any(e.field == "fromAddress" for e in errors):
        errors.append(DomainError("REQUIRED", "the sender's address is needed", "fromAddress"))
    sender_name = _text(from_name, "fromName", TEXT_MAX, errors)
    answer_to = _email(reply_to, "replyTo", errors)
    if errors:
        raise ValidationFailed(errors)
    assert name is not None and sender is not None
    return SmtpSettings(
        host=name,
        port=port or DEFAULT_PORTS[mode],
        security=mode,
        username=user,
        password=secret,
        from_address=sender,
        from_name=sender_name,
        reply_to=answer_to,
    )


def is_permanent(reply_code: int) -> bool:
    """A 5xx reply will be refused again (bad address, refused login); 4xx may pass later."""
    return 500 <= reply_code < 600
