"""Webhooks for integrators: Standard Webhooks signatures, the retry schedule, and which URLs a
tenant may register (no server-side request forgery)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from domain.errors import DomainError

URL_MAX = 2000  #: characters of an endpoint URL
DESCRIPTION_MAX = 500  #: characters of an endpoint's description
SECRET_PREFIX = "whsec_"  #: Standard Webhooks' spelling of a signing secret
SECRET_BYTES = 32  #: 256 bits of key for HMAC-SHA256
DISABLE_AFTER_DEFAULT = 20  #: consecutive failed deliveries before an endpoint is disabled
DISABLE_AFTER_RANGE = (1, 1000)
#: Standard Webhooks' schedule: at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, 10 h
#: (about 42 hours in all, so a receiver may be down for a whole day and miss nothing).
RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
    timedelta(hours=10),
)


def retry_delay(failed_attempts: int) -> timedelta | None:
    """How long to wait after the n-th failed attempt; None when the delivery gives up."""
    if failed_attempts < 1:
        return timedelta(0)
    if failed_attempts > len(RETRY_DELAYS):
        return None
    return RETRY_DELAYS[failed_attempts - 1]


def new_secret(random_bytes: bytes) -> str:
    """A signing secret from random bytes the caller drew (the domain has no randomness)."""
    if len(random_bytes) < SECRET_BYTES:
        raise ValueError("a secret needs at least 32 random bytes")
    return SECRET_PREFIX + base64.b64encode(random_bytes[:SECRET_BYTES]).decode()


def _key(secret: str) -> bytes:
    raw = secret.removeprefix(SECRET_PREFIX)
    return base64.b64decode(raw)


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """`v1,<base64 HMAC-SHA256>` over `id.timestamp.body`, as Standard Webhooks defines it."""
    signed = message_id.encode() + b"." + str(timestamp).encode() + b"." + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(secrets: Iterable[str], message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header: one signature per active secret (two during rotation)."""
    return " ".join(signature(s, message_id, timestamp, body) for s in secrets)


def verify(
    secret: str,
    message_id: str,
    timestamp: int,
    body: bytes,
    header: str,
    now: int,
    tolerance: int = 300,
) -> bool:
    """What a receiver checks: a matching signature and a timestamp within five minutes."""
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, message_id, timestamp, body)
    return any(hmac.compare_digest(expected, given) for given in header.split())


@dataclass(frozen=True)
class EndpointUrl:
    """A URL a tenant may register: scheme, host and port checked before anything connects."""

    url: str
    host: str
    port: int


def check_url(url: str, *, https_only: bool, allow_private: bool) -> EndpointUrl:
    """Refuse what a webhook must never reach: other schemes, credentials in the URL, overlong
    URLs and literal private, loopback or link-local addresses. Names are resolved and their
    addresses checked with `forbidden_address` at delivery time too (DNS can change)."""
    if len(url) > URL_MAX:
        raise DomainError("TOO_LONG", f"a URL is at most {URL_MAX} characters", "url")
    try:
        parts = urlsplit(url.strip())
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise DomainError("INVALID_URL", "not a URL", "url") from None
    allowed = ("https",) if https_only else ("https", "http")
    if parts.scheme not in allowed:
        raise DomainError("INVALID_URL", f"the URL must use {' or '.join(allowed)}", "url")
    if not parts.hostname:
        raise DomainError("INVALID_URL", "the URL has no host", "url")
    if parts.username or parts.password:
        raise DomainError("INVALID_URL", "credentials do not belong in the URL", "url")
    host = parts.hostname.lower()
    if not allow_private:
        if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
            raise DomainError("FORBIDDEN_ADDRESS", "the URL names a local host", "url")
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None and forbidden_address(literal):
            raise DomainError(
                "FORBIDDEN_ADDRESS", "the URL points at a private or local address", "url"
            )
    return EndpointUrl(url.strip(), host, port)


def forbidden_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Private, loopback, link-local, multicast, reserved or unspecified: never a receiver."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return bool(
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or (isinstance(address, ipaddress.IPv4Address) and address in _CARRIER_NAT)
    )


_CARRIER_NAT = ipaddress.ip_network("100.64.0.0/10")  # shared address space, not public
