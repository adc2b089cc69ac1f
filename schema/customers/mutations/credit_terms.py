"""setCustomerCreditTerms: a customer's class, agreed terms and interest rate.

Credit terms are a credit decision and so a mutation of their own, with its own roles,
rather than fields of updateCustomer that sales may call.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles, texts
from domain.credit_terms import KEEP
from schema.context import Context
from schema.customers.mutations.master_data import CustomerPayload, show_customer
from schema.input_rules import text
from schema.money import DecimalString
from schema.mutation import INPUT, decode, respond
from schema.permissions import allow, roles_note
from services.customers import master_data as svc
from services.customers.records import CustomerRecord
from services.uow import UnitOfWork

RESET = "Null resets it to the practice's default; omitted leaves it as it is."


@strawberry.input(description="A customer's credit terms. " + RESET)
class SetCustomerCreditTermsInput:
    id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    version: int = strawberry.field(description="The version you read; a stale one is refused.")
    rating_class: str | None = text(
        "A, B, C or D (D: cash before delivery).", texts.CODE, default=strawberry.UNSET
    )
    payment_terms_code: str | None = text(
        "An agreed terms template; null: the class's.", texts.CODE, default=strawberry.UNSET
    )
    late_interest_daily_rate: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description="Agreed daily rate; null: the tenant's."
    )


def _term(value: Any) -> Any:
    """An omitted input field leaves its term as it is."""
    return KEEP if value is strawberry.UNSET else value


async def set_customer_credit_terms(
    info: Info[Context, Any], input: Annotated[SetCustomerCreditTermsInput, INPUT]
) -> CustomerPayload:
    async def work(uow: UnitOfWork) -> CustomerRecord:
        return await svc.set_credit_terms(
            uow,
            decode(input.id, "Customer"),
            input.version,
            rating_class=_term(input.rating_class),
            payment_terms_code=_term(input.payment_terms_code),
            late_interest_daily_rate=_term(input.late_interest_daily_rate),
        )

    return await respond(info, CustomerPayload, work, show_customer)


FIELDS = {
    "set_customer_credit_terms": strawberry.mutation(
        resolver=set_customer_credit_terms,
        extensions=allow(roles.SET_CREDIT_TERMS),
        description="Set a customer's rating class, agreed terms and interest rate; audited."
        + roles_note(roles.SET_CREDIT_TERMS),
    ),
}
