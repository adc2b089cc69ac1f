"""A credit policy as a decision snapshot stores it, and back, exactly.

The snapshot holds every value (not only the overrides), so a replay rebuilds the policy as
it was, whatever the defaults have become since.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from domain.credit.class_policy import (
    ApprovalMatrix,
    ClassPolicy,
    CreditPolicy,
    LimitFormula,
    OrderHandling,
    Security,
)


def _opt(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def to_json(policy: CreditPolicy) -> dict[str, Any]:
    """The whole effective policy, as a decision snapshot records it."""
    return {
        "version": policy.version,
        "baseCurrency": policy.base_currency,
        "overdueReviewDays": policy.overdue_review_days,
        "overdueBlockDays": policy.overdue_block_days,
        "requireCompleteDossier": policy.require_complete_dossier,
        "approvalMatrix": {
            "analystUpTo": str(policy.approval.analyst_up_to),
            "managerUpTo": str(policy.approval.manager_up_to),
        },
        "limitFormula": {
            "capitalShare": str(policy.formula.capital_share),
            "salesShare": str(policy.formula.sales_share),
            "roundTo": str(policy.formula.round_to),
        },
        "groupRelationKinds": list(policy.group_relation_kinds),
        "classes": {
            c.rating_class: {
                "paymentTermsCode": c.payment_terms_code,
                "limitFactor": str(c.limit_factor),
                "maxLimit": _opt(c.max_limit),
                "reviewIntervalMonths": c.review_interval_months,
                "orderHandling": c.order_handling.value,
                "reviewAboveUtilisation": _opt(c.review_above_utilisation),
                "reminderDaysBeforeDue": c.reminder_days_before_due,
                "requiredSecurity": c.required_security.value,
            }
            for c in policy.classes
        },
    }


def _opt_decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def from_json(raw: Mapping[str, Any]) -> CreditPolicy:
    """A policy from its snapshot (to_json), for replay: built from the snapshot alone, so it
    is the policy as it was, whatever the defaults are today."""
    matrix, formula = raw["approvalMatrix"], raw["limitFormula"]
    return CreditPolicy(
        version=int(raw["version"]),
        base_currency=str(raw["baseCurrency"]),
        overdue_review_days=int(raw["overdueReviewDays"]),
        overdue_block_days=int(raw["overdueBlockDays"]),
        require_complete_dossier=bool(raw["requireCompleteDossier"]),
        approval=ApprovalMatrix(Decimal(matrix["analystUpTo"]), Decimal(matrix["managerUpTo"])),
        formula=LimitFormula(
            Decimal(formula["capitalShare"]),
            Decimal(formula["salesShare"]),
            Decimal(formula["roundTo"]),
        ),
        group_relation_kinds=tuple(raw["groupRelationKinds"]),
        classes=tuple(
            ClassPolicy(
                rating,
                str(c["paymentTermsCode"]),
                Decimal(c["limitFactor"]),
                _opt_decimal(c["maxLimit"]),
                int(c["reviewIntervalMonths"]),
                OrderHandling(c["orderHandling"]),
                _opt_decimal(c["reviewAboveUtilisation"]),
                None if c["reminderDaysBeforeDue"] is None else int(c["reminderDaysBeforeDue"]),
                Security(c["requiredSecurity"]),
            )
            for rating, c in sorted(raw["classes"].items())
        ),
    )
