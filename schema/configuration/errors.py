"""The codes a configuration mutation refuses with, its error type and its payload base."""

from __future__ import annotations

from schema.user_errors import catalogue

CONFIGURATION = catalogue(
    "Configuration",
    "configuration",
    {
        "ALREADY_APPROVED": "That approval is given already.",
        "INVALID_BUCKETS": "Buckets overlap, leave gaps or are not open-ended.",
        "INVALID_LADDER": "Ladder stages are not contiguous from 1 day.",
        "INVALID_MATRIX": "Provision bands are not ascending or rates not 0..1.",
        "INVALID_TERMS": "Payment terms are inconsistent.",
        "NOT_AN_APPROVER": "Your roles cannot give a needed approval.",
        "SAME_APPROVER": "You gave an approval already: the next one needs another person.",
        "SELF_APPROVAL": "The proposer cannot approve.",
    },
)
