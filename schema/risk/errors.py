"""The codes a risk-transfer mutation refuses with; its error and payload types."""

from __future__ import annotations

from schema.user_errors import catalogue

RISK = catalogue(
    "Risk",
    "risk-transfer",
    {
        # credit insurance (part B)
        "ENDS_BEFORE_START": "A period ends before it starts.",
        "INVALID_PERCENT": "A percentage outside 0-100 or with more than 4 decimals.",
        "DEADLINES_OUT_OF_ORDER": "The claim deadline comes before the overdue notification.",
        "DUPLICATE_NUMBER": "A policy or agreement with this number exists.",
        "POLICY_OVERLAP": "Another policy of the currency covers part of the period.",
        "EFFECTIVE_BEFORE_LAST": "A cover decision dated before the cover's last one.",
        "NOT_A_REDUCTION": "A reduction that does not lower the granted amount.",
        "INVOICE_NOT_INSURED": "The invoice is not insured (the message says why).",
        "CLAIM_NOT_INSURED": "A claim on an invoice that is not insured (the message says why).",
        "NOT_OVERDUE": "The invoice is not overdue yet.",
        "MIXED_POLICIES": "Invoices under different policies in one notification or claim.",
        "ALREADY_CLAIMED": "The invoice is in a live claim already.",
        "EXCEEDS_INDEMNITY": "More than the indemnity claimed is left to pay.",
        "NO_INDEMNITY_PAID": "Recoveries are shared only after the insurer paid.",
        # factoring (part B)
        "INVOICE_SETTLED": "The invoice is paid.",
        "INVOICE_DISPUTED": "The customer disputes the invoice.",
        "INVOICE_OVERDUE": "The invoice is overdue.",
        "ALREADY_ASSIGNED": "The invoice is assigned to a factor already.",
        "CURRENCY_NOT_ALLOWED": "The agreement does not take this currency.",
        "TERMS_TOO_LONG": "The invoice's terms are longer than allowed.",
        "CLASS_NOT_ALLOWED": "The customer's class is not allowed (C/D only with recourse).",
        "DEBTOR_NOT_APPROVED": "A non-recourse factor has not approved the debtor.",
        "DEBTOR_LIMIT_EXCEEDED": "The factor's limit on the debtor would be passed.",
        "BEFORE_AGREEMENT": "A date before the agreement starts.",
        "NOT_ASSIGNED": "The invoice is not assigned to a factor.",
        "RECOURSE_NOT_AVAILABLE": "Factored without recourse: nothing to buy back.",
        "BEFORE_ASSIGNMENT": "A date before the invoice was assigned.",
        "EXCEEDS_OPEN_AMOUNT": "More than the invoice's open amount.",
        # guarantees and collateral (part A)
        "DUPLICATE_REFERENCE": "A guarantee or collateral with this reference exists.",
        "INVOICE_OTHER_CUSTOMER": "A named invoice belongs to another customer.",
        "NOTHING_DUE": "No covered debt is due and unpaid: nothing to demand.",
        "CLAIM_TOO_LATE": "The instrument expired before the demand.",
        "INVALID_HAIRCUT": "A haircut outside 0-100 % or with more than 2 decimals.",
        "FORM_NOT_FOR_ASSET": "The law does not allow that form of security on that asset.",
        "INVALID_WEIGHT": "A guarantee weight outside 0-100 % or with more than 2 decimals.",
        "EXCEEDS_PAYMENT": "The lines allocate more than the payment.",
        "CUSTOMER_ARCHIVED": "The customer is archived.",
        "NO_EXCHANGE_RATE": "No rate converts between two currencies on or before the date.",
        "INVALID_RATE": "Not an exchange rate: a plain decimal above zero, 12 places at most.",
        "SAME_CURRENCY": "An exchange rate needs two different currencies.",
    },
)
