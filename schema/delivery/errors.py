"""The codes a delivery-settings mutation refuses with; its error and payload types."""

from __future__ import annotations

from schema.user_errors import catalogue

DELIVERY = catalogue(
    "Delivery",
    "mail server",
    {
        "INVALID_HOST": "Not a host name or [IP address] (no scheme, no path).",
        "INVALID_EMAIL": "Not an e-mail address.",
        "INSECURE_LOGIN": "A password would travel unencrypted: choose STARTTLS or TLS.",
    },
)
