"""A limit decision recomputed from its snapshot: tier, approvals, status, recommendation.

The service records a limit decision by calling `decide_limit` on the snapshot it stores,
and a replay calls it again on the stored snapshot: the same pure function both times.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from domain.credit import policy_snapshot
from domain.credit.limits import (
    check_approval,
    inputs_from_json,
    recommend,
    recommendation_json,
    requirement,
)
from domain.credit.rates import ExchangeRate, RateBook
from domain.money import Money


def decide_limit(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """The outcome a limit request's snapshot implies.

    Snapshot: `asOf`, `policy` (policy_snapshot.to_json), `rates`, `request` (amount, kind,
    scope, dates, requestedBy), `approvals` (approver and roles, in order), `rejectedBy`
    (or null) and `recommendation` (its inputs, or null).
    """
    policy = policy_snapshot.from_json(snapshot["policy"])
    book = RateBook.of(
        date.fromisoformat(snapshot["asOf"]),
        [ExchangeRate.from_json(r) for r in snapshot["rates"]],
    )
    request = snapshot["request"]
    amount = Money(int(request["amount"]["minor"]), str(request["amount"]["currency"]))
    in_base = book.convert(amount, policy.base_currency, "amount.currency")
    needed = requirement(in_base.amount, policy.approval)
    approved_by: list[str] = []
    roles: list[str] = []
    for approval in snapshot["approvals"]:
        roles.append(
            check_approval(
                str(request["requestedBy"]),
                str(approval["approver"]),
                frozenset(approval["roles"]),
                needed,
                approved_by,
            )
        )
        approved_by.append(str(approval["approver"]))
    if snapshot.get("rejectedBy"):
        status = "REJECTED"
    elif len(approved_by) >= needed.count:
        status = "APPROVED"
    else:
        status = "PENDING"
    recommended = None
    if snapshot.get("recommendation") is not None:
        inputs = inputs_from_json(snapshot["recommendation"])
        klass = policy.for_class(inputs.rating_class) if inputs.rating_class else None
        result = recommend(inputs, policy.formula, klass, policy.base_currency, book)
        recommended = recommendation_json(inputs, result)
    return {
        "status": status,
        "tier": needed.tier.value,
        "approvalsRequired": needed.count,
        "amountInBase": in_base.to_json(),
        "approvedBy": approved_by,
        "approvedAs": roles,
        "recommendation": recommended,
    }
