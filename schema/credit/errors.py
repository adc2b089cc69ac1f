"""The codes a credit-decision mutation refuses with; its error and payload types."""

from __future__ import annotations

from schema.user_errors import catalogue

CREDIT = catalogue(
    "Credit",
    "credit-decision",
    {
        "SELF_APPROVAL": "The requester cannot approve their own request.",
    },
)
