"""What the recommended-limit formula reads of a customer."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from domain.credit.class_policy import CreditPolicy
from domain.credit.limits import RecommendationInputs, credit_days
from domain.money import Money
from services.configuration.terms import terms_on


def _money(minor: int | None, currency: str | None) -> Money | None:
    return None if minor is None or currency is None else Money(int(minor), currency.strip())


async def recommendation_inputs(
    conn: AsyncConnection, customer: dict[str, Any], currency: str, policy: CreditPolicy
) -> RecommendationInputs:
    """Registered capital, annual sales, class and agreed credit days: the customer's own
    terms if it has agreed some, else the terms its class's policy names."""
    rating = customer.get("rating_class")
    code = customer.get("payment_terms_code") or (
        policy.for_class(rating).payment_terms_code if rating else None
    )
    terms = await terms_on(conn, code, rating)
    return RecommendationInputs(
        currency,
        _money(
            customer.get("registered_capital_minor"), customer.get("registered_capital_currency")
        ),
        _money(customer.get("annual_sales_minor"), customer.get("annual_sales_currency")),
        rating,
        credit_days(terms),
    )
