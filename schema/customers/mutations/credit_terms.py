"""setCustomerCreditTerms: a customer's class, agreed terms and interest rate.

Credit terms are a credit decision and so a mutation of their own, with its own roles,
rather than fields of updateCustomer that sales may call.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles
from domain.audit import AuditAction
from domain.errors import DomainError, ValidationFailed
from domain.interest import parse_daily_rate
from schema.context import Context
from schema.customers.errors import CUSTOMERS
from schema.customers.mutations.master_data import CustomerPayload
from schema.customers.types import Customer
from schema.money import DecimalString
from schema.mutation import INPUT, decode, run
from schema.permissions import allow, roles_note
from services.configuration import payment_terms
from services.customers import master_data as customer_service
from services.uow import UnitOfWork

RESET = "Null resets it to the practice's default; omitted leaves it as it is."


@strawberry.input(description="A customer's credit terms. " + RESET)
class SetCustomerCreditTermsInput:
    id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    version: int = strawberry.field(description="The version you read; a stale one is refused.")
    rating_class: str | None = strawberry.field(
        default=strawberry.UNSET, description="A, B, C or D (D: cash before delivery)."
    )
    payment_terms_code: str | None = strawberry.field(
        default=strawberry.UNSET, description="An agreed terms template; null: the class's."
    )
    late_interest_daily_rate: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description="Agreed daily rate; null: the tenant's."
    )


def credit_terms_values(data: SetCustomerCreditTermsInput) -> dict[str, Any]:
    """Column values, or every problem at once."""
    errors: list[DomainError] = []
    values: dict[str, Any] = {}
    if data.rating_class is not strawberry.UNSET:
        rating = (data.rating_class or "").strip().upper() or None
        if rating is not None and rating not in ("A", "B", "C", "D"):
            errors.append(DomainError("INVALID_INPUT", "A, B, C or D", "ratingClass"))
        values["rating_class"] = rating
    if data.payment_terms_code is not strawberry.UNSET:
        values["payment_terms_code"] = (data.payment_terms_code or "").strip().upper() or None
    if data.late_interest_daily_rate is not strawberry.UNSET:
        raw = data.late_interest_daily_rate
        try:
            values["late_interest_daily_rate"] = (
                None if raw is None else parse_daily_rate(raw, "lateInterestDailyRate")
            )
        except DomainError as exc:
            errors.append(exc)
    if not values:
        errors.append(DomainError("REQUIRED", "nothing to change", None))
    if errors:
        raise ValidationFailed(errors)
    return values


async def set_customer_credit_terms(
    info: Info[Context, Any], input: Annotated[SetCustomerCreditTermsInput, INPUT]
) -> CustomerPayload:
    async def work(uow: UnitOfWork) -> dict[str, Any]:
        customer_id = decode(input.id, "Customer")
        values = credit_terms_values(input)
        code = values.get("payment_terms_code")
        if code and not await payment_terms.exists(uow, code):
            raise DomainError("NOT_FOUND", f"no payment terms {code!r}", "paymentTermsCode")
        return await customer_service.save(
            uow, customer_id, input.version, values, AuditAction.SET_CREDIT_TERMS
        )

    row, errors = await run(info, CUSTOMERS, work)
    return CustomerPayload(customer=Customer.from_row(row) if row else None, user_errors=errors)


FIELDS = {
    "set_customer_credit_terms": strawberry.mutation(
        resolver=set_customer_credit_terms,
        extensions=allow(roles.SET_CREDIT_TERMS),
        description="Set a customer's rating class, agreed terms and interest rate; audited."
        + roles_note(roles.SET_CREDIT_TERMS),
    ),
}
