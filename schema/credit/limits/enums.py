"""Enums of the limits API, each value described (the values are the domain's)."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry


def described(name: str, description: str, values: dict[str, str]) -> Any:
    """A GraphQL enum whose every value carries its description."""
    return strawberry.enum(
        Enum(  # type: ignore[misc]  # a functional Enum: the members are data, not code
            name, {k: strawberry.enum_value(k, description=v) for k, v in values.items()}
        ),
        description=description,
    )


CheckOutcomeEnum = described(
    "CreditCheckOutcome",
    "The answer of a credit check.",
    {
        "APPROVED": "Ship on credit: within every limit, no reason against it.",
        "PREPAYMENT_REQUIRED": "Ship once `prepayment` is paid (class D, or above the headroom).",
        "REVIEW_REQUIRED": "A credit person decides first (no or expired limit, overdue, ...).",
        "BLOCKED": "Do not ship (credit hold, long overdue, archived customer).",
    },
)
ReasonEnum = described(
    "CreditCheckReason",
    "Why a credit check did not simply approve.",
    {
        "CUSTOMER_ARCHIVED": "The customer is archived. Blocks.",
        "CREDIT_HOLD": "A credit manager (or the warning engine) put the customer on hold. Blocks.",
        "OVERDUE_BLOCK": "Overdue beyond the tenant's block days (default 90). Blocks.",
        "NOT_RATED": "The customer has no rating class. Review.",
        "NO_LIMIT": "No credit limit, own or group. Review.",
        "LIMIT_EXPIRED": "The limit in force has ended. Review.",
        "OVERDUE_REVIEW": "Overdue beyond the tenant's review days (default 30). Review.",
        "DOSSIER_INCOMPLETE": "The credit file misses required items (if the tenant asks). Review.",
        "CLOSE_TRACKING": "A closely tracked class would go above its use threshold. Review.",
        "CLASS_PREPAYMENT": "The class's orders are prepaid in full (default D). Prepayment.",
        "OVER_LIMIT": "The amount exceeds the customer's headroom. Prepay the excess.",
        "OVER_GROUP_LIMIT": "The amount exceeds the group's headroom. Prepay the excess.",
        "NO_EXCHANGE_RATE": "An open item, a limit increase or the order has no rate to a "
        "limit's currency on or before the date (`currencyPair` names it): that limit's "
        "headroom is unknown. Review.",
    },
)
ExposurePartEnum = described(
    "CreditExposurePart",
    "Where a figure belongs in a standing.",
    {
        "RECEIVABLES": "Open invoices.",
        "ORDERS": "Open orders not yet invoiced.",
        "RESERVATIONS": "Live reservations.",
        "INCREASES": "A running temporary increase of the limit.",
    },
)
OrderHandlingEnum = described(
    "CreditOrderHandling",
    "How a class's orders are treated at the credit check.",
    {
        "STANDARD": "Checked against the limit.",
        "CLOSE_TRACKING": "Checked, and reviewed above the class's use threshold.",
        "PREPAYMENT": "Every order prepaid in full (cash before delivery).",
    },
)
SecurityEnum = described(
    "CreditSecurity",
    "Security a class's customers give before trading on credit.",
    {
        "NONE": "No security required.",
        "THIRD_PARTY_GUARANTEE": "A third party guarantees the debt (担保).",
        "BANK_GUARANTEE": "A bank's letter of guarantee (银行保函).",
        "COLLATERAL": "Pledged or mortgaged assets (抵押).",
    },
)
ScopeEnum = described(
    "CreditLimitScope",
    "Whom a limit covers.",
    {
        "CUSTOMER": "The customer alone.",
        "GROUP": "The customer and every customer linked to it by the tenant's group links.",
    },
)
KindEnum = described(
    "CreditLimitKind",
    "A standing limit or a temporary increase.",
    {
        "STANDARD": "The limit; the newest one started is in force.",
        "TEMPORARY": "An increase on top of the limit between two dates.",
    },
)
BasisEnum = described(
    "CreditLimitBasis",
    "Why a limit's amount is what it is.",
    {
        "RECOMMENDED": "The tenant's formula (recommendedCreditLimit).",
        "MANUAL": "A credit person's judgement.",
        "APPLICATION": "A customer's credit application.",
        "REVIEW": "A periodic or event-driven review.",
    },
)
TierEnum = described(
    "CreditApprovalTier",
    "The authority a limit needs, by its amount in the base currency.",
    {
        "ANALYST": "Up to the analyst's amount: one credit analyst or manager.",
        "MANAGER": "Up to the manager's amount: one credit manager.",
        "TWO_MANAGERS": "Above it: two different credit managers.",
    },
)
RequestStatusEnum = described(
    "CreditLimitRequestStatus",
    "Where a limit request stands.",
    {
        "PENDING": "Waiting for approvals.",
        "STALE": "Waiting, but overtaken: a later limit of the customer (same scope) was "
        "approved since it was filed, so approving it is refused (STALE_REQUEST). A credit "
        "application's request: file it anew with refileCreditApplicationLimit (rejecting it "
        "would lose the application's grant); any other: reject it and request again against "
        "the limit in force.",
        "APPROVED": "Approved; the limit is in its history.",
        "REJECTED": "Refused with a reason.",
    },
)
OrderStatusEnum = described(
    "SalesOrderStatus",
    "An order's life.",
    {
        "OPEN": "Ordered, counts as exposure.",
        "SHIPPED": "Delivered, not yet invoiced; still counts.",
        "INVOICED": "Consumed by its invoices, which count instead.",
        "CANCELLED": "Withdrawn; no longer counts.",
    },
)
ReservationStatusEnum = described(
    "CreditReservationStatus",
    "Where a reservation stands.",
    {
        "ACTIVE": "Holding headroom until it expires.",
        "CONFIRMED": "Its order was registered; the order counts instead.",
        "RELEASED": "Given back, or replaced by a newer check of the same order.",
        "EXPIRED": "Its time passed; it stopped counting then.",
    },
)
DecisionKindEnum = described(
    "CreditDecisionKind",
    "What a logged decision decided.",
    {
        "CREDIT_CHECK": "An order-time credit check.",
        "LIMIT": "A limit approved or rejected.",
        "LIMIT_EXPIRY": "A limit or increase lapsed (the expiry sweep).",
        "CLASS": "A rating class (scoring).",
        "APPLICATION": "A credit application approved, counter-offered or rejected.",
        "REVIEW": "A credit review's outcome.",
    },
)
PartnerKindEnum = described(
    "CreditGroupLinkKind",
    "Partner-link kinds that can make customers one group.",
    {
        "PARENT": "The linked customer is the parent.",
        "SUBSIDIARY": "The linked customer is a subsidiary.",
        "SHAREHOLDER": "The linked customer is a shareholder.",
        "KEY_SUPPLIER": "A key supplier.",
        "KEY_BUYER": "A key buyer.",
        "GUARANTOR": "A guarantor.",
    },
)
