"""Setting up credit-limit scenarios through the real services (shared by Part B's tests)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.audit import AuditAction
from services.credit import check, limits
from services.credit.rates import set_rate
from services.customers.master_data import CustomerChanges, create_customer, save
from services.inputs import MoneyIn
from services.ledger import invoices
from services.ledger.inputs import InvoiceIn
from services.uow import Actor, UnitOfWork

ANALYST = Actor("ana", frozenset({"credit_analyst"}))
MANAGER = Actor("max", frozenset({"credit_manager"}))
MANAGER_2 = Actor("mia", frozenset({"credit_manager"}))
SALES = Actor("sam", frozenset({"sales"}))
TODAY = date.today()


async def customer(
    runtime: Any,
    tenant: UUID,
    code: str,
    rating: str | None = "B",
    capital: MoneyIn | None = None,
    sales: MoneyIn | None = None,
) -> UUID:
    """A customer with a rating class (and capital and sales when given)."""
    async with UnitOfWork(runtime.engine, tenant, Actor("setup")) as uow:
        row = await create_customer(
            uow,
            CustomerChanges(
                code=code,
                legal_name=f"{code} Co",
                country="CN",
                contacts=[],
                registered_capital=capital,
                annual_sales=sales,
            ),
        )
        if rating is not None:
            await save(uow, row.id, None, {"rating_class": rating}, AuditAction.SET_CREDIT_TERMS)
        await uow.commit()
    return row.id


async def approved_limit(
    runtime: Any,
    tenant: UUID,
    customer_id: UUID,
    amount: str,
    currency: str = "CNY",
    *,
    valid_from: date | None = None,
    valid_to: date | None = None,
    kind: str = "STANDARD",
    scope: str = "CUSTOMER",
) -> limits.LimitRequestView:
    """A limit requested by the analyst and approved by one or two managers."""
    async with UnitOfWork(runtime.engine, tenant, ANALYST) as uow:
        request = await limits.set_limit(
            uow,
            customer_id,
            MoneyIn(amount, currency),
            valid_from or date(2020, 1, 1),
            valid_to,
            kind=kind,
            scope=scope,
            # a limit that has lapsed by now was filed while it still ran
            today=TODAY if valid_to is None or valid_to >= TODAY else valid_to,
        )
        await uow.commit()
    for approver in (MANAGER, MANAGER_2)[: request.approvals_required]:
        async with UnitOfWork(runtime.engine, tenant, approver) as uow:
            request = await limits.approve_limit(uow, request.id, None)
            await uow.commit()
    assert request.status == "APPROVED", request
    return request


async def rate(runtime: Any, tenant: UUID, base: str, quote: str, value: str, on: date) -> None:
    """Finance records an exchange rate."""
    async with UnitOfWork(runtime.engine, tenant, Actor("fin", frozenset({"finance"}))) as uow:
        await set_rate(uow, base, quote, value, on)
        await uow.commit()


async def invoice(
    runtime: Any,
    tenant: UUID,
    customer_id: UUID,
    number: str,
    amount: str,
    *,
    currency: str = "CNY",
    issued: date | None = None,
    due: date | None = None,
    order_ref: str | None = None,
) -> UUID:
    """An invoice posted through the ledger service."""
    async with UnitOfWork(runtime.engine, tenant, Actor("erp")) as uow:
        result, _ = await invoices.create_invoice(
            uow,
            InvoiceIn(
                number=number,
                customer_id=customer_id,
                issue_date=issued or TODAY,
                due_date=due,
                amount=MoneyIn(amount, currency),
                order_ref=order_ref,
            ),
            key=f"key-{number}",
        )
        await uow.commit()
    return result.invoice_id


async def run_check(
    runtime: Any,
    tenant: UUID,
    customer_id: UUID,
    amount: str,
    currency: str = "CNY",
    **options: Any,
) -> check.CheckResult:
    """One credit check, committed."""
    async with UnitOfWork(runtime.engine, tenant, SALES) as uow:
        result = await check.check_credit(
            uow, check.CheckRequest(customer_id, MoneyIn(amount, currency), **options), TODAY
        )
        await uow.commit()
    return result
