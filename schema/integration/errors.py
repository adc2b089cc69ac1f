"""The codes an integration mutation refuses with; its error and payload types."""

from __future__ import annotations

from schema.user_errors import catalogue

INTEGRATION = catalogue(
    "Integration",
    "integration",
    {
        "INVALID_DOCUMENT": "Not a valid operation document for this schema.",
    },
)
