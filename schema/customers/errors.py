"""The codes a customer or credit-file mutation refuses with; its error and payload types."""

from __future__ import annotations

from schema.user_errors import catalogue

CUSTOMERS = catalogue(
    "Customer",
    "customer or credit-file",
    {
        "ALREADY_ARCHIVED": "The customer is archived already.",
        "DUPLICATE_CODE": "The customer code is already used.",
        "CONTRADICTORY_RELATION": "A control link on file says the opposite (parent and "
        "subsidiary of each other).",
        "DUPLICATE_RELATION": "That partner link exists already (possibly written from the "
        "other side).",
        "GROUP_LIMIT_EXISTS": "The link would join two groups that each have a group limit "
        "(a group has one).",
        "INVALID_COUNTRY": "Not an ISO 3166 two-letter code.",
        "INVALID_EMAIL": "Not an e-mail address.",
        "INVALID_TERMS": "Payment terms are inconsistent.",
        "INVALID_REGISTRATION_NUMBER": "Registration number malformed or its check character "
        "wrong.",
        "SELF_RELATION": "A customer cannot relate to itself.",
    },
)
