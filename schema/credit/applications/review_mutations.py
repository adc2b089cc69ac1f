"""Mutations of credit reviews (checklist and outcome) and the credit-file policy."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles, texts
from domain.credit.file_policy import ItemIn
from domain.credit.reviews import Checklist, OutcomeIn
from domain.money import Money as DomainMoney
from schema.context import Context
from schema.credit.applications.enums import ReviewOutcomeEnum
from schema.credit.applications.mutations import field_of
from schema.credit.applications.types import CreditReview
from schema.credit.errors import CREDIT
from schema.customers import loaders as customer_loaders
from schema.customers.types import Customer
from schema.input_rules import text
from schema.money import MoneyInput
from schema.mutation import INPUT, decode, respond
from services.credit import file_policy, reviews
from services.credit.file_policy import Policy
from services.credit.reviews import ReviewView
from services.uow import UnitOfWork


@strawberry.input(description="What the reviewer confirmed.")
class CreditReviewChecklistInput:
    statements_updated: bool = strawberry.field(default=False, description="Statements updated.")
    bureau_refreshed: bool = strawberry.field(default=False, description="Bureau refreshed.")
    visit_done: bool = strawberry.field(default=False, description="Site visit done.")
    agreement_valid: bool = strawberry.field(default=False, description="Agreement valid.")


@strawberry.input(description="Record a completed review: its checklist and outcome.")
class RecordCreditReviewInput:
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    reviewed_on: date | None = strawberry.field(default=None, description="Defaults to today.")
    checklist: CreditReviewChecklistInput | None = strawberry.field(
        default=None, description="What was checked (default: nothing confirmed)."
    )
    outcome: ReviewOutcomeEnum = strawberry.field(  # type: ignore[valid-type]
        default=ReviewOutcomeEnum.KEEP, description="What was decided (default KEEP)."
    )
    reason: str | None = text("Why; required for every outcome but KEEP.", texts.NOTE, default=None)
    rating_class: str | None = text(
        "UPGRADE or DOWNGRADE: the new class (A-D).", texts.LABEL, default=None
    )
    limit: MoneyInput | None = strawberry.field(
        default=None, description="CHANGE_LIMIT: the new limit (filed for approval)."
    )
    limit_valid_to: date | None = strawberry.field(
        default=None, description="CHANGE_LIMIT: the limit's last day, if any."
    )
    payment_terms_code: str | None = text(
        "CHANGE_TERMS: the new terms (a template code).", texts.CODE, default=None
    )


@strawberry.type(description="Result of recordCreditReview.")
class RecordCreditReviewPayload(CREDIT.payload):  # type: ignore[misc,name-defined]
    customer: Customer | None = strawberry.field(
        default=None, description="The customer after review."
    )
    review: CreditReview | None = strawberry.field(default=None, description="The review.")


async def record_credit_review(
    info: Info[Context, Any], input: Annotated[RecordCreditReviewInput, INPUT]
) -> RecordCreditReviewPayload:
    today = info.context.today

    async def work(uow: UnitOfWork) -> ReviewView:
        limit = None
        if input.limit is not None:
            limit = DomainMoney.parse(input.limit.amount, input.limit.currency, "limit")
        c = input.checklist
        checklist = (
            Checklist()
            if c is None
            else Checklist(
                c.statements_updated, c.bureau_refreshed, c.visit_done, c.agreement_valid
            )
        )
        given = OutcomeIn(
            input.outcome.value,
            input.reason,
            input.rating_class,
            limit,
            input.limit_valid_to,
            input.payment_terms_code,
        )
        customer_id = decode(input.customer_id, "Customer", "customerId")
        return await reviews.record(
            uow, customer_id, input.reviewed_on or today, checklist, given, today
        )

    async def show(review: ReviewView) -> dict[str, Any]:
        loader = info.context.loader("customers", customer_loaders.customers)
        record = await loader.load(review.customer_id)
        return {
            "customer": None if record is None else Customer.from_row(record),
            "review": CreditReview.build(review),
        }

    return await respond(info, RecordCreditReviewPayload, work, show)


@strawberry.input(description="One item the credit file must hold.")
class CreditFileItemInput:
    key: str = text(
        "A customer field (e.g. industry) or a dossier entry kind (CREDIT_REPORT).", texts.CODE
    )
    max_age_days: int | None = strawberry.field(
        default=None, description="Older than this (1-3650 days) counts as stale."
    )


@strawberry.input(description="The tenant's credit-file policy; an omitted part is kept.")
class UpdateCreditFilePolicyInput:
    items: list[CreditFileItemInput] | None = strawberry.field(
        default=None, description="The whole checklist (replaces the current one)."
    )
    review_interval_days: int | None = strawberry.field(
        default=None, description="Days between credit-file reviews, 1-3650."
    )


@strawberry.type(description="One required item of the credit file.")
class CreditFileItem:
    key: str = strawberry.field(description="What is required.")
    max_age_days: int | None = strawberry.field(description="Stale after this many days.")


@strawberry.type(description="The tenant's credit-file completeness policy and review interval.")
class CreditFilePolicy:
    items: list[CreditFileItem] = strawberry.field(description="The checklist.")
    review_interval_days: int = strawberry.field(description="Days between reviews.")

    @classmethod
    def build(cls, p: Policy) -> CreditFilePolicy:
        """From the service's policy."""
        return cls(
            items=[CreditFileItem(key=i.key, max_age_days=i.max_age_days) for i in p.items],
            review_interval_days=p.review_interval_days,
        )


@strawberry.type(description="Result of updateCreditFilePolicy.")
class CreditFilePolicyPayload(CREDIT.payload):  # type: ignore[misc,name-defined]
    policy: CreditFilePolicy | None = strawberry.field(default=None, description="The policy now.")


async def update_credit_file_policy(
    info: Info[Context, Any], input: Annotated[UpdateCreditFilePolicyInput, INPUT]
) -> CreditFilePolicyPayload:
    async def work(uow: UnitOfWork) -> Policy:
        items = None
        if input.items is not None:
            items = [ItemIn(i.key, i.max_age_days) for i in input.items]
        return await file_policy.update(uow, items, input.review_interval_days)

    async def show(policy: Policy) -> dict[str, Any]:
        return {"policy": CreditFilePolicy.build(policy)}

    return await respond(info, CreditFilePolicyPayload, work, show)


FIELDS = {
    "record_credit_review": field_of(
        record_credit_review,
        roles.RUN_REVIEWS,
        "Record a completed review with its checklist and outcome, applied through the same "
        "services as a manual change; completes the customer's open reviews and settles the "
        "review warnings.",
    ),
    "update_credit_file_policy": field_of(
        update_credit_file_policy,
        roles.CONFIGURE_CREDIT_POLICY,
        "Set the credit-file completeness checklist and/or the review interval.",
    ),
}
