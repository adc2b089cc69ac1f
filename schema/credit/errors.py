"""The codes a credit-decision mutation refuses with; its error and payload types."""

from __future__ import annotations

from schema.user_errors import catalogue

CREDIT = catalogue(
    "Credit",
    "credit-decision",
    {
        "SELF_APPROVAL": "The requester cannot approve their own request.",
        "SAME_APPROVER": "Two approvals need two different people.",
        "NOT_AN_APPROVER": "Your roles cannot give the approval this request needs.",
        "ALREADY_APPROVED": "Every approval the request needs is given.",
        "INVALID_RATE": "Not an exchange rate: a plain decimal above zero, 12 places at most.",
        "SAME_CURRENCY": "An exchange rate needs two different currencies.",
        "NO_EXCHANGE_RATE": "No rate converts between the two currencies on or before the date.",
        "INVALID_POLICY": "A credit-policy value is out of range or inconsistent with another.",
        "INVALID_TERMS": "Payment terms are inconsistent.",
        "INVALID_PERIOD": "The dates do not make a valid period.",
        "INVALID_TTL": "A reservation lasts 1 second to 1 day.",
        "BELOW_INVOICED": "An order cannot be less than what is invoiced of it.",
        "CUSTOMER_ARCHIVED": "The customer is archived.",
    },
)
