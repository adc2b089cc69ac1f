"""Read entry points for receivables KPIs and aging history."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles, texts
from domain.errors import DomainError
from schema.context import Context
from schema.errors import bad_input
from schema.input_rules import text_arg
from schema.kpis.types import AgingTrendPoint, ReceivablesKpis, money
from schema.money import Money
from schema.permissions import allow, roles_note
from schema.relay import from_global_id
from services.kpis import receivables as kpis

READ = roles.READ_RECEIVABLES


@strawberry.type(description="Receivables KPIs and trends.")
class KpiQuery:
    @strawberry.field(
        description="DSO (countback), best possible DSO, average days delinquent, overdue "
        "ratio, CEI, concentration, top overdue customers and collection rate per "
        "salesperson for a period; one entry per currency." + roles_note(READ),
        extensions=allow(READ),
    )
    async def receivables_kpis(
        self,
        info: Info[Context, Any],
        from_: Annotated[
            date, strawberry.argument(name="from", description="First day of the period.")
        ],
        to: Annotated[date, strawberry.argument(description="Last day of the period.")],
        currency: Annotated[str | None, text_arg("One currency.", texts.CURRENCY)] = None,
        top: Annotated[int, strawberry.argument(description="Top overdue customers, 1-50.")] = 10,
    ) -> list[ReceivablesKpis]:
        try:
            figures = await kpis.receivables_kpis(info.context.session, from_, to, currency, top)
        except DomainError as exc:
            raise bad_input(exc) from None
        return [ReceivablesKpis.build(k, from_, to) for k in figures]

    @strawberry.field(
        description="A customer's late interest accrued by a date (default today), per "
        "currency: invoices paid late and still open, at the agreed or tenant rate; empty for "
        "an unknown customer." + roles_note(READ),
        extensions=allow(READ),
    )
    async def accrued_interest(
        self,
        info: Info[Context, Any],
        customer_id: Annotated[strawberry.ID, strawberry.argument(description="Customer.")],
        as_of: Annotated[date | None, strawberry.argument(description="Default today.")] = None,
    ) -> list[Money]:
        raw = from_global_id(customer_id, "Customer", "customerId")[1]
        day = as_of or info.context.today
        try:
            totals = await kpis.accrued_interest(info.context.session, raw, day)
        except DomainError as exc:
            raise bad_input(exc) from None
        return [money(m) for m in totals]

    @strawberry.field(
        description="Daily aging snapshots of one customer (or the tenant), per currency: "
        "is days-past-due lengthening?" + roles_note(READ),
        extensions=allow(READ),
    )
    async def aging_trend(
        self,
        info: Info[Context, Any],
        from_: Annotated[date, strawberry.argument(name="from", description="First day.")],
        to: Annotated[date, strawberry.argument(description="Last day.")],
        customer_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Null: the whole tenant.")
        ] = None,
        currency: Annotated[str | None, text_arg("One currency.", texts.CURRENCY)] = None,
    ) -> list[AgingTrendPoint]:
        raw = None
        if customer_id is not None:
            raw = from_global_id(customer_id, "Customer", "customerId")[1]
        try:
            points = await kpis.aging_trend(info.context.session, raw, from_, to, currency)
        except DomainError as exc:
            raise bad_input(exc) from None
        return [AgingTrendPoint.build(p) for p in points]
