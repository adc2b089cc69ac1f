"""The codes a warning mutation refuses with, its error type and its payload base."""

from __future__ import annotations

from schema.user_errors import catalogue

WARNINGS = catalogue(
    "Warning",
    "warning",
    {
        "ALREADY_ACKNOWLEDGED": "The warning is acknowledged already.",
    },
)
