"""The codes a ledger mutation refuses with, its error type and its payload base."""

from __future__ import annotations

from schema.user_errors import catalogue

LEDGER = catalogue(
    "Ledger",
    "ledger",
    {
        "ALREADY_REVERSED": "The entry is reversed already.",
        "CUSTOMER_ARCHIVED": "The customer is archived.",
        "DUE_BEFORE_ISSUE": "Due date before the issue date.",
        "DUPLICATE_NUMBER": "The document number is used.",
        "EXCEEDS_OPEN_AMOUNT": "More than the invoice still owes.",
        "EXCEEDS_PAYMENT": "More than the payment has left on account.",
        "INVALID_BUCKETS": "Buckets overlap, leave gaps or are not open-ended.",
        "INVALID_TERMS": "Payment terms are inconsistent.",
        "INVOICE_OF_ANOTHER_CUSTOMER": "The invoice named belongs to another customer.",
        "INVOICE_SETTLED": "The invoice has nothing left to write off or dispute.",
        "PAYMENT_REVERSED": "The payment was reversed.",
    },
)
