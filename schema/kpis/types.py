"""KPI types: one set per currency, decimals as exact strings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain.kpis import DAYS, RATIO, quantize
from domain.money import Money as DomainMoney
from schema.context import Context
from schema.customers import loaders
from schema.customers.types import Customer
from schema.money import DecimalString, Money
from services.kpis.receivables import CurrencyKpis, TrendPoint


def money(value: DomainMoney) -> Money:
    """API money from domain money."""
    return Money.of(value.minor, value.currency)


def dec(value: Decimal | None, step: Decimal) -> str | None:
    """A rounded decimal string, or null when the KPI is undefined (no sales, no balance)."""
    rounded = quantize(value, step)
    return None if rounded is None else str(rounded)


@strawberry.type(description="A customer among those owing the most past due.")
class OverdueCustomer:
    rank: int = strawberry.field(description="1 owes the most past due.")
    overdue: Money = strawberry.field(description="Past due at the period end.")
    total: Money = strawberry.field(description="All open at the period end.")
    customer_id: strawberry.Private[UUID]

    @strawberry.field(description="The customer.")
    async def customer(self, info: Info[Context, Any]) -> Customer | None:
        row = await info.context.loader("customers", loaders.customers).load(self.customer_id)
        return Customer.from_row(row) if row else None


@strawberry.type(description="Collection rate of one salesperson (the basis of sales bonuses).")
class SalespersonCollection:
    salesperson: str | None = strawberry.field(description="Null for invoices without one.")
    collected: Money = strawberry.field(
        description="Cash received in the period on invoices due by its end."
    )
    still_open: Money = strawberry.field(description="What those invoices still owe at the end.")
    invoices: int = strawberry.field(description="Invoices in the pool.")
    rate: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        description="collected / (collected + stillOpen), 0..1, 4 decimals; null when none due."
    )


@strawberry.type(description="Concentration of open receivables.")
class Concentration:
    top10_share: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        description="Share of the 10 largest customers, 0..1."
    )
    hhi: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        description="Herfindahl-Hirschman index, 0..10000 (over 2500: highly concentrated)."
    )
    customers: int = strawberry.field(description="Customers with an open balance.")


@strawberry.type(
    description="How the countback DSO was computed: the months of sales it walked back "
    "through from the period end, and whether it stopped at the 24-month cap."
)
class DsoWindow:
    window_from: date | None = strawberry.field(
        description="First day of the oldest month the walk reached; null when nothing was "
        "open at the period end (DSO 0, no month walked)."
    )
    window_to: date = strawberry.field(description="The period end the walk started from.")
    months: int = strawberry.field(
        description="Calendar months walked back (the period end's own month, even partial, "
        "counts as one); at most 24."
    )
    capped: bool = strawberry.field(
        description="True when 24 months of net sales did not cover the closing balance: "
        "the DSO is then the 24 months' days, a floor of the true figure."
    )


@strawberry.type(description="Receivables KPIs of a period in one currency.")
class ReceivablesKpis:
    currency: str = strawberry.field(description="ISO 4217; KPIs never mix currencies.")
    period_from: date = strawberry.field(description="First day of the period.")
    period_to: date = strawberry.field(description="Last day of the period.")
    days: int = strawberry.field(description="Days in the period.")
    opening: Money = strawberry.field(description="Open receivables the day before it starts.")
    closing: Money = strawberry.field(description="Open receivables at its end.")
    overdue: Money = strawberry.field(description="Past due at its end.")
    sales: Money = strawberry.field(description="Net credit sales (invoices less credit notes).")
    dso: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        description="Days sales outstanding by the countback method (1 decimal); see "
        "dsoWindow for the months it walked."
    )
    dso_window: DsoWindow = strawberry.field(
        description="The window the countback DSO used and whether the 24-month cap applied."
    )
    best_possible_dso: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        description="Current receivables / sales x days; null without sales."
    )
    average_days_delinquent: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        description="Overdue receivables / sales x days: the delay customers add."
    )
    overdue_ratio: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        description="Overdue / closing, 0..1."
    )
    collection_effectiveness_index: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        description="CEI in percent, 0..100, 4 decimals (the precision of the other ratios): "
        "(opening + sales - closing) / (opening + sales - current) x 100."
    )
    concentration: Concentration = strawberry.field(description="Top-10 share and HHI.")
    top_overdue_customers: list[OverdueCustomer] = strawberry.field(
        description="Most past due first."
    )
    collection_by_salesperson: list[SalespersonCollection] = strawberry.field(
        description="Collection rate per salesperson."
    )

    @classmethod
    def build(cls, k: CurrencyKpis, start: date, end: date) -> ReceivablesKpis:
        """From the service's figures."""

        def m(minor: int) -> Money:
            return Money.of(minor, k.currency)

        return cls(
            currency=k.currency,
            period_from=start,
            period_to=end,
            days=k.days,
            opening=m(k.opening),
            closing=m(k.closing),
            overdue=m(k.overdue),
            sales=m(k.sales),
            dso=dec(k.dso, DAYS),
            dso_window=DsoWindow(
                window_from=k.countback.window_from,
                window_to=k.countback.window_to,
                months=k.countback.months,
                capped=k.countback.capped,
            ),
            best_possible_dso=dec(k.best_possible_dso, DAYS),
            average_days_delinquent=dec(k.average_days_delinquent, DAYS),
            overdue_ratio=dec(k.overdue_ratio, RATIO),
            collection_effectiveness_index=dec(k.cei, RATIO),
            concentration=Concentration(
                top10_share=dec(k.concentration.top10_share, RATIO),
                hhi=dec(k.concentration.hhi, DAYS),
                customers=k.concentration.customers,
            ),
            top_overdue_customers=[
                OverdueCustomer(
                    rank=c.rank,
                    overdue=money(c.overdue),
                    total=money(c.total),
                    customer_id=c.customer_id,
                )
                for c in k.top_overdue
            ],
            collection_by_salesperson=[
                SalespersonCollection(
                    salesperson=s.salesperson,
                    collected=money(s.collected),
                    still_open=money(s.still_open),
                    invoices=s.invoices,
                    rate=dec(s.rate, RATIO),
                )
                for s in k.collection
            ],
        )


@strawberry.type(description="One day of the aging snapshot history.")
class AgingTrendPoint:
    as_of: date = strawberry.field(description="Snapshot date.")
    open: Money = strawberry.field(description="Open receivables that day.")
    overdue: Money = strawberry.field(description="Past due that day.")
    weighted_days_past_due: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="Amount-weighted average days past due of the open items (2 decimals)."
    )

    @classmethod
    def build(cls, p: TrendPoint) -> AgingTrendPoint:
        """From the service's point."""
        return cls(
            as_of=p.as_of,
            open=money(p.open),
            overdue=money(p.overdue),
            weighted_days_past_due=str(p.weighted_days_past_due.quantize(Decimal("0.01"))),
        )
