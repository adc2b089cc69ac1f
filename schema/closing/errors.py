"""The codes a provision or write-off mutation refuses with, its error type and its payload base."""

from __future__ import annotations

from schema.user_errors import catalogue

CLOSING = catalogue(
    "Closing",
    "provision or write-off",
    {
        "ALREADY_APPROVED": "That approval is given already.",
        "EXCEEDS_OPEN_AMOUNT": "More than the invoice still owes.",
        "INVALID_MATRIX": "Provision bands are not ascending or rates not 0..1.",
        "INVOICE_SETTLED": "The invoice has nothing left to write off or dispute.",
        "NOT_AN_APPROVER": "Your roles cannot give a needed approval.",
        "PERIOD_CLOSED": "The period is closed.",
        "SAME_APPROVER": "You gave an approval already: the next one needs another person.",
        "SELF_APPROVAL": "The proposer cannot approve.",
    },
)
