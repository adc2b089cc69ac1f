"""Receivables KPIs for a period, per currency, from the ledger as it stood on each date.

Balances on a past date come from today's open amounts plus what was allocated after that
date (as in aging), so the figures for a closed month do not move when today's cash arrives.
Three statements: balances with concentration and top overdue customers, monthly net sales for
the countback, and collection per salesperson.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain import kpis
from domain.currencies import is_currency
from domain.dates import check_date
from domain.errors import DomainError
from domain.money import Money
from services.ledger import interest
from services.read_session import ReadSession

MAX_TOP = 50  #: top overdue customers returned at most

#: What was allocated after the period's start (after_begin) and after its end (after_end).
LATER = """
WITH later AS (
    SELECT invoice_id,
           coalesce(sum(amount_minor) FILTER (WHERE effective_on > CAST(:to AS date)), 0)
             AS after_end,
           sum(amount_minor) AS after_begin
      FROM allocations WHERE effective_on >= CAST(:from AS date) GROUP BY invoice_id
)"""

BALANCES_SQL = (
    LATER
    + """, items AS MATERIALIZED (
    SELECT i.customer_id, i.currency, i.issue_date, i.due_date,
           i.open_minor + coalesce(l.after_end, 0) AS open_end,
           i.open_minor + coalesce(l.after_begin, 0) AS open_begin
      FROM invoices i LEFT JOIN later l ON l.invoice_id = i.id
     WHERE i.issue_date <= CAST(:to AS date) {currency}
), totals AS (
    SELECT currency,
           coalesce(sum(open_begin) FILTER (WHERE issue_date < CAST(:from AS date)), 0) AS opening,
           coalesce(sum(open_end), 0) AS closing,
           coalesce(sum(open_end) FILTER (WHERE due_date < CAST(:to AS date)), 0) AS overdue
      FROM items GROUP BY currency
), per AS (
    SELECT customer_id, currency, sum(open_end) AS total,
           coalesce(sum(open_end) FILTER (WHERE due_date < CAST(:to AS date)), 0) AS overdue,
           row_number() OVER (PARTITION BY currency ORDER BY sum(open_end) DESC, customer_id) AS rn,
           row_number() OVER (PARTITION BY currency
                              ORDER BY coalesce(sum(open_end) FILTER
                                  (WHERE due_date < CAST(:to AS date)), 0) DESC, customer_id) AS od
      FROM items WHERE open_end > 0 GROUP BY customer_id, currency
), conc AS (
    SELECT currency, count(*) AS customers, sum(total::numeric * total) AS squares,
           coalesce(sum(total) FILTER (WHERE rn <= 10), 0) AS top10
      FROM per GROUP BY currency
)
SELECT 'T' AS kind, t.currency, NULL::uuid AS customer_id, t.opening, t.closing, t.overdue,
       coalesce(c.customers, 0) AS customers, coalesce(c.squares, 0) AS squares,
       coalesce(c.top10, 0) AS top10
  FROM totals t LEFT JOIN conc c USING (currency)
UNION ALL
SELECT 'C', currency, customer_id, 0, total, overdue, od, 0, 0
  FROM per WHERE od <= :top AND overdue > 0
"""
)

SALES_SQL = """
SELECT currency, CAST(date_trunc('month', d) AS date) AS month, sum(amt) AS sales,
       coalesce(sum(amt) FILTER (WHERE d >= CAST(:from AS date)), 0) AS in_period
  FROM (SELECT currency, issue_date AS d, amount_minor AS amt FROM invoices
         WHERE issue_date BETWEEN CAST(:start AS date) AND CAST(:to AS date) {currency}
        UNION ALL
        SELECT currency, issue_date, -amount_minor FROM credit_notes
         WHERE issue_date BETWEEN CAST(:start AS date) AND CAST(:to AS date) {currency}) s
 GROUP BY currency, month
"""

COLLECTION_SQL = (
    LATER
    + """, pool AS (
    SELECT i.id, coalesce(i.salesperson, '') AS salesperson, i.currency,
           i.open_minor + coalesce(l.after_end, 0) AS open_end
      FROM invoices i LEFT JOIN later l ON l.invoice_id = i.id
     WHERE i.due_date <= CAST(:to AS date) AND i.issue_date <= CAST(:to AS date)
       AND (i.issue_date >= CAST(:from AS date) OR i.open_minor + coalesce(l.after_begin, 0) > 0)
       {currency}
), cash AS (
    SELECT invoice_id, sum(amount_minor) AS amount FROM allocations
     WHERE kind = 'PAYMENT' AND effective_on BETWEEN CAST(:from AS date) AND CAST(:to AS date)
     GROUP BY invoice_id
)
SELECT p.salesperson, p.currency, coalesce(sum(c.amount), 0) AS collected,
       sum(p.open_end) AS still_open, count(*) AS invoices
  FROM pool p LEFT JOIN cash c ON c.invoice_id = p.id
 GROUP BY p.salesperson, p.currency ORDER BY p.salesperson, p.currency
"""
)


@dataclass(frozen=True)
class OverdueCustomer:
    """One of the customers owing the most past due."""

    customer_id: UUID
    rank: int
    overdue: Money
    total: Money


@dataclass(frozen=True)
class SalespersonRate:
    """Collection against what fell due, for one salesperson."""

    salesperson: str | None
    collected: Money
    still_open: Money
    invoices: int
    rate: Decimal | None


@dataclass(frozen=True)
class CurrencyKpis:
    """Every KPI of the period in one currency."""

    currency: str
    days: int
    opening: int
    closing: int
    overdue: int
    sales: int
    dso: Decimal | None
    #: how the DSO was got: the months walked back and whether the 24-month cap applied
    countback: kpis.Countback
    best_possible_dso: Decimal | None
    average_days_delinquent: Decimal | None
    overdue_ratio: Decimal | None
    cei: Decimal | None
    concentration: kpis.Concentration
    top_overdue: tuple[OverdueCustomer, ...]
    collection: tuple[SalespersonRate, ...]


@dataclass
class _Figures:
    """What the three statements gathered for one currency, before the KPIs are derived."""

    opening: int = 0
    closing: int = 0
    overdue: int = 0
    sales: int = 0
    concentration: kpis.Concentration = field(
        default_factory=lambda: kpis.Concentration(None, None, 0)
    )
    top_overdue: list[OverdueCustomer] = field(default_factory=list)
    collection: list[SalespersonRate] = field(default_factory=list)
    monthly_sales: dict[date, int] = field(default_factory=dict)

    def kpis(self, currency: str, days: int, segments: list[tuple[date, date]]) -> CurrencyKpis:
        """The period's KPIs from the gathered figures (domain.kpis does the arithmetic)."""
        current = self.closing - self.overdue
        walked = kpis.countback(
            self.closing, [(s, e, self.monthly_sales.get(s, 0)) for s, e in segments]
        )
        return CurrencyKpis(
            currency=currency,
            days=days,
            opening=self.opening,
            closing=self.closing,
            overdue=self.overdue,
            sales=self.sales,
            dso=walked.dso,
            countback=walked,
            best_possible_dso=kpis.per_sales_days(current, self.sales, days),
            average_days_delinquent=kpis.per_sales_days(self.overdue, self.sales, days),
            overdue_ratio=kpis.ratio(self.overdue, self.closing),
            cei=kpis.cei(self.opening, self.sales, self.closing, current),
            concentration=self.concentration,
            top_overdue=tuple(sorted(self.top_overdue, key=lambda c: c.rank)),
            collection=tuple(self.collection),
        )


def _currency_clause(column: str, currency: str | None, params: dict[str, Any]) -> str:
    """`AND <column> = :currency` for a checked ISO code, or nothing for all currencies."""
    if currency is None:
        return ""
    code = currency.strip().upper()
    if not is_currency(code):
        raise DomainError("UNKNOWN_CURRENCY", f"{currency!r} is not an ISO 4217 code", "currency")
    params["currency"] = code
    return f"AND {column} = :currency"


async def _compute(
    conn: AsyncConnection, start: date, end: date, currency: str | None, top: int
) -> list[CurrencyKpis]:
    """All KPIs for the period [start, end], one entry per currency with receivables."""
    days = kpis.check_period(start, end)
    if not 1 <= top <= MAX_TOP:
        raise DomainError("INVALID_INPUT", f"top is between 1 and {MAX_TOP}", "top")
    segments = kpis.month_segments(end)
    params: dict[str, Any] = {"from": start, "to": end, "top": top}
    clause = _currency_clause("currency", currency, params)
    invoice_clause = _currency_clause("i.currency", currency, params)
    out: dict[str, _Figures] = {}

    def entry(code: str) -> tuple[str, _Figures]:
        code = code.strip()
        return code, out.setdefault(code, _Figures())

    balance_rows = (
        await conn.execute(sa.text(BALANCES_SQL.format(currency=invoice_clause)), params)
    ).all()
    for row in balance_rows:
        code, k = entry(row.currency)
        if row.kind == "T":
            k.opening, k.closing, k.overdue = int(row.opening), int(row.closing), int(row.overdue)
            k.concentration = kpis.concentration(
                int(row.closing), int(row.top10), int(row.squares), int(row.customers)
            )
        else:
            k.top_overdue.append(
                OverdueCustomer(
                    row.customer_id,
                    int(row.customers),
                    Money(int(row.overdue), code),
                    Money(int(row.closing), code),
                )
            )
    sales_params = {**params, "start": min(start, segments[-1][0])}
    for row in (await conn.execute(sa.text(SALES_SQL.format(currency=clause)), sales_params)).all():
        _, k = entry(row.currency)
        k.sales += int(row.in_period)
        k.monthly_sales[row.month] = int(row.sales)
    collection = (
        await conn.execute(
            sa.text(COLLECTION_SQL.format(currency=invoice_clause)),
            params,
        )
    ).all()
    for row in collection:
        code, k = entry(row.currency)
        collected, still_open = int(row.collected), int(row.still_open)
        k.collection.append(
            SalespersonRate(
                row.salesperson or None,
                Money(collected, code),
                Money(still_open, code),
                int(row.invoices),
                kpis.ratio(collected, collected + still_open),
            )
        )
    return [out[c].kpis(c, days, segments) for c in sorted(out)]


async def receivables_kpis(
    session: ReadSession, start: date, end: date, currency: str | None, top: int
) -> list[CurrencyKpis]:
    """All KPIs for the period [start, end], one entry per currency with receivables."""
    return await session.run(lambda conn: _compute(conn, start, end, currency, top))


async def accrued_interest(
    session: ReadSession, customer_id: UUID, as_of: date
) -> tuple[Money, ...]:
    """A customer's late interest accrued by a date, per currency (by currency code)."""
    check_date(as_of, "asOf")
    totals = await interest.customer_interest(session, customer_id, as_of)
    return tuple(Money(minor, code) for code, minor in sorted(totals.items()))


TREND_SQL = """
SELECT as_of, currency, sum(open_minor) AS open, sum(overdue_minor) AS overdue,
       round(sum(weighted_days_past_due * open_minor) / NULLIF(sum(open_minor), 0), 2) AS wdpd
  FROM aging_snapshots
 WHERE as_of BETWEEN CAST(:from AS date) AND CAST(:to AS date) {customer} {currency}
 GROUP BY as_of, currency ORDER BY as_of, currency
"""


@dataclass(frozen=True)
class TrendPoint:
    """One day of a snapshot series."""

    as_of: date
    open: Money
    overdue: Money
    weighted_days_past_due: Decimal


async def aging_trend(
    session: ReadSession, customer_id: UUID | None, start: date, end: date, currency: str | None
) -> list[TrendPoint]:
    """Daily snapshot history for a customer or the tenant: is days-past-due lengthening?"""
    check_date(start, "from")
    check_date(end, "to")
    if (end - start).days > 731 or end < start:
        raise DomainError(
            "INVALID_DATE", "a trend covers at most two years, from before to", "from"
        )
    params: dict[str, Any] = {"from": start, "to": end, "customer": customer_id}
    clause = _currency_clause("currency", currency, params)
    sql = TREND_SQL.format(
        customer="AND customer_id = :customer" if customer_id else "", currency=clause
    )

    async def load(conn: AsyncConnection) -> list[TrendPoint]:
        rows = (await conn.execute(sa.text(sql), params)).all()
        return [
            TrendPoint(
                r.as_of,
                Money(int(r.open), r.currency.strip()),
                Money(int(r.overdue), r.currency.strip()),
                Decimal(r.wdpd or 0),
            )
            for r in rows
        ]

    return await session.run(load)
