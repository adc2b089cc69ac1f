"""setCustomerCreditTerms: a customer's class, agreed terms and interest rate.

Credit terms are a credit decision and so a mutation of their own, with its own roles,
rather than fields of updateCustomer that sales may call. The class goes through the
four-eyes rule (services.credit.terms): an upgrade comes back as a pending class override.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles, texts
from domain.credit_terms import KEEP
from schema.context import Context
from schema.credit.errors import CREDIT
from schema.credit.scoring.types import ClassOverride
from schema.customers.types import Customer
from schema.input_rules import text
from schema.money import DecimalString
from schema.mutation import INPUT, decode, respond
from schema.permissions import allow, roles_note
from services.credit import terms as svc
from services.uow import UnitOfWork

RESET = "Null resets it to the practice's default; omitted leaves it as it is."


@strawberry.input(description="A customer's credit terms. " + RESET)
class SetCustomerCreditTermsInput:
    id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    version: int = strawberry.field(description="The version you read; a stale one is refused.")
    rating_class: str | None = text(
        "A, B, C or D (D: cash before delivery). A downgrade applies at once; an upgrade, or a "
        "first class better than D, waits for a second credit manager (classOverride). "
        "Cannot be reset.",
        texts.CODE,
        default=strawberry.UNSET,
    )
    payment_terms_code: str | None = text(
        "An agreed terms template; null: the class's.", texts.CODE, default=strawberry.UNSET
    )
    late_interest_daily_rate: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description="Agreed daily rate; null: the tenant's."
    )
    reason: str | None = text(
        "Why the class changes: required with ratingClass, kept in the class history.",
        texts.NOTE,
        default=None,
    )


@strawberry.type(description="Result of setCustomerCreditTerms.")
class SetCustomerCreditTermsPayload(CREDIT.payload):
    customer: Customer | None = strawberry.field(
        default=None, description="The customer as stored, when it succeeded."
    )
    class_override: ClassOverride | None = strawberry.field(
        default=None,
        description="The class upgrade awaiting a second credit manager (decideClassOverride); "
        "null when the class applied at once or was not asked for.",
    )


def _term(value: Any) -> Any:
    """An omitted input field leaves its term as it is."""
    return KEEP if value is strawberry.UNSET else value


async def _show(outcome: svc.TermsOutcome) -> dict[str, Any]:
    """The stored customer and the pending override, from what the service returned."""
    pending = outcome.override
    return {
        "customer": Customer.from_row(outcome.customer),
        "class_override": None if pending is None else ClassOverride.build(pending),
    }


async def set_customer_credit_terms(
    info: Info[Context, Any], input: Annotated[SetCustomerCreditTermsInput, INPUT]
) -> SetCustomerCreditTermsPayload:
    async def work(uow: UnitOfWork) -> svc.TermsOutcome:
        return await svc.set_terms(
            uow,
            decode(input.id, "Customer"),
            input.version,
            info.context.today,
            rating_class=_term(input.rating_class),
            payment_terms_code=_term(input.payment_terms_code),
            late_interest_daily_rate=_term(input.late_interest_daily_rate),
            reason=input.reason,
        )

    return await respond(info, SetCustomerCreditTermsPayload, work, _show)


FIELDS = {
    "set_customer_credit_terms": strawberry.mutation(
        resolver=set_customer_credit_terms,
        extensions=allow(roles.SET_CREDIT_TERMS),
        description="Set a customer's agreed terms and interest rate, and ask for a class "
        "(four eyes on an upgrade); audited." + roles_note(roles.SET_CREDIT_TERMS),
    ),
}
