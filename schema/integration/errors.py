"""The codes an integration mutation refuses with; its error and payload types."""

from __future__ import annotations

from schema.user_errors import catalogue

INTEGRATION = catalogue(
    "Integration",
    "integration",
    {
        "FORBIDDEN_ADDRESS": "The URL points at a private, loopback or link-local address.",
        "INVALID_DOCUMENT": "Not a valid operation document for this schema.",
        "INVALID_URL": "Not an acceptable URL (https in production, no credentials).",
        "UNKNOWN_EVENT_TYPE": "The platform publishes no such event type.",
    },
)
