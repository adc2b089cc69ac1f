"""The codes a warning mutation refuses with, its error type and its payload base."""

from __future__ import annotations

from schema.user_errors import catalogue

WARNINGS = catalogue(
    "Warning",
    "warning",
    {
        "ALREADY_ACKNOWLEDGED": "The warning is acknowledged already.",
        "UNKNOWN_RULE": "No warning rule of that name.",
        "UNKNOWN_FIELD": "The rule (or setting) has no field of that name.",
        "INVALID_THRESHOLD": "A threshold or setting of the wrong type.",
        "OUT_OF_RANGE": "A threshold outside its allowed range.",
        "OUT_OF_ORDER": "Thresholds out of order (light above medium, and the like).",
        "INVALID_TRANSITION": "The warning cannot move to that status from where it stands.",
        "ALREADY_DECIDED": "The response is decided already.",
        "NOT_DECIDABLE": "A credit hold is lifted with setCreditHold, not decided here.",
        "NOT_ALLOWED": "Your role may not decide this response.",
    },
)
