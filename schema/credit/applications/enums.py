"""Enums of applications, agreements and reviews (the values are the domain's)."""

from __future__ import annotations

from schema.credit.limits.enums import described

ApplicationStatusEnum = described(
    "CreditApplicationStatus",
    "Where a credit application stands.",
    {
        "PENDING": "Waiting for opinions and the credit manager's decision.",
        "APPROVED": "Granted as asked.",
        "COUNTER_OFFERED": "Granted on other terms than asked.",
        "REJECTED": "Refused.",
    },
)
ApplicationLimitStatusEnum = described(
    "CreditApplicationLimitStatus",
    "Where the limit an application granted stands (the limit request its grant filed).",
    {
        "PENDING": "Awaiting approval under the tenant's matrix: nothing granted is in force.",
        "STALE": "Overtaken: a later limit of the customer was approved first, so the request "
        "can never be approved; re-file it (refileCreditApplicationLimit).",
        "APPROVED": "In force; the granted terms were set with it.",
        "REJECTED": "Refused: nothing granted took effect.",
    },
)
VerdictEnum = described(
    "CreditApplicationVerdict",
    "The credit manager's decision on an application.",
    {
        "APPROVE": "Grant the limit and terms asked for.",
        "COUNTER_OFFER": "Grant a different limit, terms, validity or class.",
        "REJECT": "Grant nothing.",
    },
)
OpinionRoleEnum = described(
    "CreditOpinionRole",
    "The department an opinion speaks for (the token must carry its role).",
    {"FINANCE": "Finance (role finance).", "SALES": "Sales (role sales).",
     "LEGAL": "Legal (role legal)."},
)  # fmt: skip
RecommendationEnum = described(
    "CreditOpinionRecommendation",
    "What a department recommends.",
    {
        "SUPPORT": "Grant it.",
        "SUPPORT_WITH_CONDITIONS": "Grant it on the conditions in the comment.",
        "OPPOSE": "Do not grant it.",
    },
)
AgreementStatusEnum = described(
    "CreditAgreementStatus",
    "Where a credit agreement stands on the day read (asOf, default today).",
    {
        "DRAFT": "Drawn up, not signed.",
        "NOT_YET_IN_FORCE": "Signed; in force from validFrom (the one it replaces runs till then).",
        "ACTIVE": "Signed and in force.",
        "EXPIRED": "Its validity ended.",
        "SUPERSEDED": "A newer signed agreement replaced it.",
    },
)
DisputeVenueEnum = described(
    "CreditDisputeVenue",
    "Where disputes under the agreement are settled.",
    {"ARBITRATION": "An arbitration commission.", "COURT": "A people's court."},
)
GuaranteeKindEnum = described(
    "CreditGuaranteeKind",
    "Security the customer gives.",
    {
        "THIRD_PARTY_GUARANTEE": "A guarantor (担保人).",
        "BANK_GUARANTEE": "A bank's letter of guarantee (银行保函).",
        "COLLATERAL": "Collateral (抵押物).",
    },
)
ReviewTriggerEnum = described(
    "CreditReviewTrigger",
    "Why a review was opened.",
    {
        "SCHEDULED": "The class's review interval came round.",
        "CLASS_DOWNGRADE": "The customer's class went down.",
        "AGREEMENT_EXPIRY": "The credit agreement ends soon.",
        "LARGE_ORDER": "An order above half the limit.",
        "MANUAL": "Recorded without an open review.",
    },
)
ReviewOutcomeEnum = described(
    "CreditReviewOutcome",
    "What a review decided; applied through the same services as a manual change.",
    {
        "KEEP": "Leave everything as it is.",
        "UPGRADE": "A better class (ratingClass).",
        "DOWNGRADE": "A worse class (ratingClass).",
        "CHANGE_LIMIT": "File a new limit for approval (limit).",
        "CHANGE_TERMS": "Set other agreed payment terms (paymentTermsCode).",
        "HOLD": "Put the customer on credit hold.",
    },
)
