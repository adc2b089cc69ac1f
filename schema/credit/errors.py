"""The codes a credit-decision mutation refuses with; its error and payload types."""

from __future__ import annotations

from schema.user_errors import catalogue

CREDIT = catalogue(
    "Credit",
    "credit-decision",
    {
        "SELF_APPROVAL": "The requester cannot approve their own request.",
        # credit analysis and scoring (Part A)
        "ALREADY_ACTIVE": "The scorecard version is already active.",
        "BAND_GAP": "Scorecard bands leave values (or categories) without points.",
        "BAND_OVERLAP": "Scorecard bands overlap: a value would fall in two.",
        "CLASS_CHANGED": "The class changed since the override was requested; request again.",
        "DUPLICATE_LINE": "A statement line is given twice.",
        "DUPLICATE_SOURCE_REF": "A source id repeats within the batch.",
        "INCONSISTENT_LINES": "A part exceeds its total (e.g. current assets above total assets).",
        "INVALID_PERIOD": "A period ends before it starts or spans over a year, or a statement's "
        "period does not fit its kind (annual: a year; interim: less).",
        "INVALID_SCORECARD": "A scorecard definition is malformed (weights, points, inputs).",
        "INVALID_TERMS": "A payment-terms template is inconsistent.",
        "OVERRIDE_PENDING": "An override of this customer already awaits approval.",
        "SAME_APPROVER": "A second approval needs a second person.",
        "SAME_CLASS": "The customer already has that class.",
        "SOURCE_REF_TAKEN": "The source's id belongs to another customer's record.",
        "UNBALANCED_STATEMENT": "Total assets differ from liabilities plus equity beyond 0.1%.",
        "VERSION_NOT_DRAFT": "Only a draft scorecard version can be edited or activated.",
        "NOT_AN_APPROVER": "Your roles cannot give the approval this request needs.",
        "ALREADY_APPROVED": "Every approval the request needs is given.",
        "INVALID_RATE": "Not an exchange rate: a plain decimal above zero, 12 places at most.",
        "SAME_CURRENCY": "An exchange rate needs two different currencies.",
        "NO_EXCHANGE_RATE": "No rate converts between the two currencies on or before the date.",
        "INVALID_POLICY": "A credit-policy value is out of range or inconsistent with another.",
        "INVALID_TTL": "A reservation lasts 1 second to 1 day.",
        "BELOW_INVOICED": "An order cannot be less than what is invoiced of it.",
        "ORDER_REF_TAKEN": "The order reference is another customer's registered order.",
        "CUSTOMER_ARCHIVED": "The customer is archived.",
        "STALE_REQUEST": "A later limit of the customer was approved since this request was "
        "filed; request again (a credit application's: refileCreditApplicationLimit).",
        "NO_GROUP": "A group limit needs a customer with group links.",
        "GROUP_LIMIT_EXISTS": "The customer's group has its group limit on another member "
        "(its anchor), or new group relation kinds would join two anchors' groups; a group "
        "has one group limit.",
        # applications, agreements and reviews (Part C)
        "OPINIONS_MISSING": "The decision waits for a department's opinion.",
        "OPINION_GIVEN": "That department has given its opinion already.",
        "SAME_AS_REQUESTED": "A counter-offer must differ from what was asked.",
        "ABOVE_REQUESTED": "A counter-offer grants no more credit than was asked.",
        "DUPLICATE_REFERENCE": "The application reference is taken in the tenant.",
        "INVALID_CLASS_MOVE": "An upgrade names a better class, a downgrade a worse one.",
    },
)
