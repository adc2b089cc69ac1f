"""Exchange rates (finance) and the credit policy (credit manager)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles, texts
from domain.credit.class_policy import CreditPolicy
from schema.context import Context
from schema.credit.errors import CREDIT
from schema.credit.limits.enums import OrderHandlingEnum, PartnerKindEnum, SecurityEnum
from schema.credit.limits.types import CreditPolicyView, ExchangeRate
from schema.input_rules import text
from schema.money import DecimalString
from schema.mutation import INPUT, respond
from schema.permissions import allow, roles_note
from services.credit import class_policy, rates
from services.credit.rates import StoredRate
from services.uow import UnitOfWork

RESET = "Null restores the practice's default; omitted leaves it as it is."
UNSET: Any = strawberry.UNSET


@strawberry.input(description="An exchange rate: 1 base = rate quote, from a date on.")
class SetExchangeRateInput:
    base: str = text(
        limit=texts.CURRENCY, description="ISO 4217 code of the unit priced, e.g. USD."
    )
    quote: str = text(limit=texts.CURRENCY, description="ISO 4217 code of the price, e.g. CNY.")
    rate: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="Exact decimal above zero, at most 12 decimal places."
    )
    effective_on: date = strawberry.field(description="First day the rate applies.")


@strawberry.type(description="Result of recording an exchange rate.")
class ExchangeRatePayload(CREDIT.payload):  # type: ignore[misc,name-defined]
    rate: ExchangeRate | None = strawberry.field(default=None, description="The rate entered.")


async def set_exchange_rate(
    info: Info[Context, Any], input: Annotated[SetExchangeRateInput, INPUT]
) -> ExchangeRatePayload:
    async def work(uow: UnitOfWork) -> StoredRate:
        return await rates.set_rate(uow, input.base, input.quote, input.rate, input.effective_on)

    async def show(result: StoredRate) -> dict[str, Any]:
        return {"rate": ExchangeRate.build(result)}

    return await respond(info, ExchangeRatePayload, work, show)


@strawberry.input(description="Changes to one rating class's policy. " + RESET)
class ClassPolicyInput:
    payment_terms_code: str | None = text(
        limit=texts.CODE,
        default=UNSET,
        description="A terms template code (CLASS_A .. or an agreed one).",
    )
    limit_factor: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        default=UNSET, description="Share of the formula's basis, 0-5; never above a better class."
    )
    max_limit: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        default=UNSET, description="Cap on a recommended limit, base currency."
    )
    review_interval_months: int | None = strawberry.field(default=UNSET, description="1-36 months.")
    order_handling: OrderHandlingEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=UNSET, description="How orders are checked."
    )
    review_above_utilisation: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        default=UNSET, description="Close tracking threshold, 0-1."
    )
    reminder_days_before_due: int | None = strawberry.field(default=UNSET, description="0-60 days.")
    required_security: SecurityEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=UNSET, description="Security required."
    )


@strawberry.input(description="Who approves limits, by amount in the base currency. " + RESET)
class ApprovalMatrixInput:
    analyst_up_to: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        default=UNSET, description="A credit analyst approves up to this."
    )
    manager_up_to: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        default=UNSET, description="A credit manager up to this; above it two managers."
    )


@strawberry.input(description="The recommended-limit formula. " + RESET)
class LimitFormulaInput:
    capital_share: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        default=UNSET, description="Share of registered capital, 0-1."
    )
    sales_share: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        default=UNSET, description="Share of annual sales over the credit days, 0-1."
    )
    round_to: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        default=UNSET, description="Round down to a multiple of this (above zero)."
    )


@strawberry.input(description="Changes to the credit policy, checked as a whole. " + RESET)
class UpdateCreditPolicyInput:
    base_currency: str | None = text(
        limit=texts.CURRENCY, default=UNSET, description="ISO 4217 code."
    )
    overdue_review_days: int | None = strawberry.field(
        default=UNSET, description="Overdue beyond this sends a check to review (0-3650)."
    )
    overdue_block_days: int | None = strawberry.field(
        default=UNSET, description="Overdue beyond this blocks (not below the review days)."
    )
    require_complete_dossier: bool | None = strawberry.field(
        default=UNSET, description="An incomplete credit file sends a check to review."
    )
    approval_matrix: ApprovalMatrixInput | None = strawberry.field(
        default=UNSET, description="Approval authority by amount."
    )
    limit_formula: LimitFormulaInput | None = strawberry.field(
        default=UNSET, description="Recommended-limit parameters."
    )
    group_relation_kinds: list[PartnerKindEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=UNSET,
        description="Partner links that make customers one group; "
        "kinds that would join two groups each with a group limit are refused "
        "(GROUP_LIMIT_EXISTS).",
    )
    class_a: ClassPolicyInput | None = strawberry.field(default=UNSET, description="Class A.")
    class_b: ClassPolicyInput | None = strawberry.field(default=UNSET, description="Class B.")
    class_c: ClassPolicyInput | None = strawberry.field(default=UNSET, description="Class C.")
    class_d: ClassPolicyInput | None = strawberry.field(default=UNSET, description="Class D.")


def _given(obj: Any, names: dict[str, str]) -> dict[str, Any]:
    """The fields a client wrote (null included), under their stored names."""
    out: dict[str, Any] = {}
    for attr, key in names.items():
        value = getattr(obj, attr)
        if value is UNSET:
            continue
        out[key] = value.value if hasattr(value, "value") and not isinstance(value, str) else value
    return out


CLASS_NAMES = {
    "payment_terms_code": "paymentTermsCode",
    "limit_factor": "limitFactor",
    "max_limit": "maxLimit",
    "review_interval_months": "reviewIntervalMonths",
    "order_handling": "orderHandling",
    "review_above_utilisation": "reviewAboveUtilisation",
    "reminder_days_before_due": "reminderDaysBeforeDue",
    "required_security": "requiredSecurity",
}


def policy_changes(data: UpdateCreditPolicyInput) -> dict[str, Any]:
    """The input as stored-form changes: None resets, nested for matrix, formula, classes."""
    changes = _given(
        data,
        {
            "base_currency": "baseCurrency",
            "overdue_review_days": "overdueReviewDays",
            "overdue_block_days": "overdueBlockDays",
            "require_complete_dossier": "requireCompleteDossier",
        },
    )
    for attr, key, names in (
        ("approval_matrix", "approvalMatrix", {"analyst_up_to": "analystUpTo",
                                                "manager_up_to": "managerUpTo"}),
        ("limit_formula", "limitFormula", {"capital_share": "capitalShare",
                                            "sales_share": "salesShare", "round_to": "roundTo"}),
    ):  # fmt: skip
        value = getattr(data, attr)
        if value is not UNSET:
            changes[key] = None if value is None else _given(value, names)
    if data.group_relation_kinds is not UNSET:
        kinds = data.group_relation_kinds
        changes["groupRelationKinds"] = None if kinds is None else [k.value for k in kinds]
    classes: dict[str, Any] = {}
    for rating in "ABCD":
        value = getattr(data, f"class_{rating.lower()}")
        if value is not UNSET:
            classes[rating] = None if value is None else _given(value, CLASS_NAMES)
    if classes:
        changes["classes"] = classes
    return changes


@strawberry.type(description="Result of a credit-policy change.")
class CreditPolicyPayload(CREDIT.payload):  # type: ignore[misc,name-defined]
    policy: CreditPolicyView | None = strawberry.field(
        default=None, description="The policy in force (a new version when anything changed)."
    )


async def update_credit_policy(
    info: Info[Context, Any], input: Annotated[UpdateCreditPolicyInput, INPUT]
) -> CreditPolicyPayload:
    changes = policy_changes(input)

    async def work(uow: UnitOfWork) -> CreditPolicy:
        return await class_policy.update(uow, changes)

    async def show(result: CreditPolicy) -> dict[str, Any]:
        return {"policy": CreditPolicyView.build(result)}

    return await respond(info, CreditPolicyPayload, work, show)


FIELDS = {
    "set_exchange_rate": strawberry.mutation(
        resolver=set_exchange_rate,
        extensions=allow(roles.MAINTAIN_EXCHANGE_RATES),
        description="Record an exchange rate by date (a correction is a newer entry for the "
        "same date); audited." + roles_note(roles.MAINTAIN_EXCHANGE_RATES),
    ),
    "update_credit_policy": strawberry.mutation(
        resolver=update_credit_policy,
        extensions=allow(roles.CONFIGURE_CREDIT_POLICY),
        description="Change the credit policy (classes A-D, thresholds, approval matrix, "
        "formula, group links) as a new version, checked as a whole; audited."
        + roles_note(roles.CONFIGURE_CREDIT_POLICY),
    ),
}
