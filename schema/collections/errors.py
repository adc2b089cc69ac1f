"""The codes a collections or statement mutation refuses with; its error and payload types."""

from __future__ import annotations

from schema.user_errors import catalogue

COLLECTIONS = catalogue(
    "Collections",
    "collections or statement",
    {
        "INVALID_BUCKETS": "Buckets overlap, leave gaps or are not open-ended.",
        "INVALID_LADDER": "Ladder stages are not contiguous from 1 day.",
        "LAW_FIRM_REQUIRED": "A lawyer's letter needs your law firm in the tenant profile.",
        "NOTHING_OVERDUE": "The customer had nothing overdue on the letter's date.",
        "NO_CHANNEL": "No mail server is configured (updateSmtpSettings).",
        "NO_RECIPIENT": "No contact of the customer has an e-mail address.",
    },
)
