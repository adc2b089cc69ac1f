"""Setting up application, agreement and review scenarios through the real services."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from services.configuration import payment_terms
from services.credit import applications
from services.credit.application_reads import ApplicationView
from services.inputs import MoneyIn
from services.uow import Actor, UnitOfWork

SALES = Actor("sam", frozenset({"sales"}))
FINANCE = Actor("fay", frozenset({"finance"}))
SALES_2 = Actor("sue", frozenset({"sales"}))
LEGAL = Actor("leo", frozenset({"legal"}))
MANAGER = Actor("max", frozenset({"credit_manager"}))
TODAY = date.today()


async def terms(runtime: Any, tenant: UUID, code: str = "NET30", days: int = 30) -> None:
    """A payment-terms template the tenant can agree."""
    async with UnitOfWork(runtime.engine, tenant, Actor("setup")) as uow:
        await payment_terms.save(uow, payment_terms.TermsIn(code, code, "NET", net_days=days))
        await uow.commit()


async def submitted(
    runtime: Any, tenant: UUID, customer_id: UUID, amount: str = "500000.00", actor: Actor = SALES
) -> ApplicationView:
    """An application for a limit on NET30 terms."""
    async with UnitOfWork(runtime.engine, tenant, actor) as uow:
        view = await applications.submit(
            uow,
            applications.ApplicationIn(
                customer_id, MoneyIn(amount, "CNY"), "NET30", TODAY, None, "first orders"
            ),
            TODAY,
        )
        await uow.commit()
    return view


async def opinions(runtime: Any, tenant: UUID, application_id: UUID) -> None:
    """Finance, sales (another person than the applicant) and legal all support it."""
    for actor, role in ((FINANCE, "FINANCE"), (SALES_2, "SALES"), (LEGAL, "LEGAL")):
        async with UnitOfWork(runtime.engine, tenant, actor) as uow:
            await applications.give_opinion(uow, application_id, role, "SUPPORT", None)
            await uow.commit()
