"""Aging as of any date, by days past due or by age, grouped by customer, salesperson,
industry or for the whole tenant; one statement computes the totals and a page of groups.

The open amount on a past date is today's open amount plus whatever was allocated after that
date (payments, credit notes, write-offs, and their reversals), so history needs no replay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.queries.keyset import arrange
from dbschema.queries.ledger_as_of import OPEN_ON, later_cte
from dbschema.tables import tenants
from domain.aging import Bucket
from domain.dates import check_date
from domain.errors import DomainError
from services.configuration import policy as receivables_config
from services.read_session import ReadSession

#: Grouped by the column itself and turned into text once per group, not once per invoice
#: (a million uuid-to-text casts were most of what the tenant aging cost over the raw SQL).
GROUPS = {
    "INVOICE": "i.id",
    "CUSTOMER": "i.customer_id",
    "SALESPERSON": "coalesce(i.salesperson, '')",
    "INDUSTRY": "coalesce(c.industry, '')",
    "TENANT": "''",
}


@dataclass(frozen=True)
class AgingLine:
    """One group in one currency: total, overdue and per-bucket open amounts."""

    key: str
    currency: str
    total_minor: int
    overdue_minor: int
    buckets: dict[str, int]


@dataclass(frozen=True)
class AgingResult:
    """Tenant totals per currency, a page of groups, and how many groups there are."""

    as_of: date
    basis: str
    buckets: tuple[Bucket, ...]
    totals: list[AgingLine]
    rows: list[AgingLine]
    group_count: int
    has_next: bool


def buckets_for(basis: str, settings: dict[str, Any]) -> tuple[Bucket, ...]:
    """The tenant's configured buckets for a basis, or the defaults."""
    config = receivables_config.effective(settings)
    return config.aging_buckets if basis == "DPD" else config.age_buckets


def _bucket_filters(buckets: tuple[Bucket, ...], days: str) -> list[str]:
    parts = []
    for n, bucket in enumerate(buckets):
        cond = [f"{days} >= {int(bucket.min_days)}"] if n > 0 else []
        if bucket.max_days is not None:
            cond.append(f"{days} <= {int(bucket.max_days)}")
        where = " AND ".join(cond) or "TRUE"
        parts.append(f"coalesce(sum(amt) FILTER (WHERE {where}), 0) AS b{n}")
    return parts


def build_sql(
    group: str,
    basis: str,
    buckets: tuple[Bucket, ...],
    currency: bool,
    after: bool,
    customer: bool = False,
    backward: bool = False,
) -> sa.TextClause:
    """The single aging statement (group and buckets are validated, never user text)."""
    if group not in GROUPS:
        raise DomainError("INVALID_INPUT", f"groupBy must be one of {sorted(GROUPS)}", "groupBy")
    days = (
        "(CAST(:as_of AS date) - due_date)"
        if basis == "DPD"
        else "(CAST(:as_of AS date) - issue_date)"
    )
    join = (
        "JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id"
        if group == "INDUSTRY"
        else ""
    )
    columns = ", ".join(_bucket_filters(buckets, days))
    sums = ", ".join(f"sum(b{n})" for n in range(len(buckets)))
    plain = ", ".join(f"b{n}" for n in range(len(buckets)))
    currency_filter = "AND i.currency = :currency" if currency else ""
    if customer:  # one customer: touch only its invoices and their later allocations
        currency_filter += " AND i.customer_id = :customer"
    later_filter = (
        "AND invoice_id IN (SELECT id FROM invoices WHERE customer_id = :customer)"
        if customer
        else ""
    )
    # forward: the lines after the cursor line (overdue DESC, g, currency); backward: those
    # just before it, read in reverse order and turned round by the caller
    beyond = ("<", ">") if not backward else (">", "<")
    keyset = (
        (
            f"WHERE (overdue {beyond[0]} :after_overdue OR (overdue = :after_overdue AND "
            f"(g, currency) {beyond[1]} (:after_key, :after_currency)))"
        )
        if after
        else ""
    )
    order = "overdue DESC, g, currency" if not backward else "overdue, g DESC, currency DESC"
    return sa.text(f"""
WITH {later_cte(later_filter)}, items AS (
    SELECT {GROUPS[group]} AS k, i.currency, i.due_date, i.issue_date,
           {OPEN_ON} AS amt
      FROM invoices i
      LEFT JOIN later l ON l.invoice_id = i.id
      {join}
     WHERE i.issue_date <= CAST(:as_of AS date) {currency_filter}
), per AS MATERIALIZED (
    SELECT CAST(k AS text) AS g, currency, sum(amt) AS total,
           coalesce(sum(amt) FILTER (WHERE CAST(:as_of AS date) - due_date > 0), 0) AS overdue,
           {columns}
      FROM items WHERE amt > 0 GROUP BY k, currency
)
SELECT 'T' AS kind, '' AS g, currency, sum(total) AS total, sum(overdue) AS overdue, {sums},
       (SELECT count(*) FROM per) AS groups
  FROM per GROUP BY currency
UNION ALL
(SELECT 'R', g, currency, total, overdue, {plain}, 0 FROM per {keyset}
  ORDER BY {order} LIMIT :limit)
""")


async def aging(
    session: ReadSession,
    *,
    as_of: date,
    basis: str,
    group: str,
    currency: str | None,
    after: tuple[int, str, str] | None,
    first: int,
    customer: UUID | None = None,
    buckets: tuple[Bucket, ...] | None = None,
    backward: bool = False,
) -> AgingResult:
    """Aging as of a date in one statement; buckets default to the tenant's for the basis.
    The page is the `first` lines after the cursor line `after`, or (`backward`) the `first`
    lines just before it (the list's last ones without a cursor), in list order either way;
    `has_next`: more lines lie beyond the page in the direction read."""
    check_date(as_of, "asOf")
    if basis not in ("DPD", "AGE"):
        raise DomainError("INVALID_INPUT", "basis is DPD or AGE", "basis")
    params: dict[str, Any] = {"as_of": as_of, "limit": first + 1}
    if currency:
        params["currency"] = currency
    if customer:
        params["customer"] = customer
    if after:
        params.update(after_overdue=after[0], after_key=after[1], after_currency=after[2])

    async def run(conn: AsyncConnection) -> tuple[tuple[Bucket, ...], list[Any]]:
        chosen = buckets
        if chosen is None:
            chosen = buckets_for(basis, await conn.scalar(sa.select(tenants.c.settings)) or {})
        sql = build_sql(group, basis, chosen, bool(currency), bool(after), bool(customer), backward)
        return chosen, list((await conn.execute(sql, params)).all())

    used, rows = await session.run(run)
    totals, lines, groups = [], [], 0
    for row in rows:
        values = list(row)
        line = AgingLine(
            key=values[1],
            currency=values[2].strip(),
            total_minor=int(values[3]),
            overdue_minor=int(values[4]),
            buckets={b.label: int(values[5 + n]) for n, b in enumerate(used)},
        )
        if values[0] == "T":
            totals.append(line)
            groups = int(values[-1])
        else:
            lines.append(line)
    totals.sort(key=lambda t: t.currency)
    page, more = arrange(lines, first, backward)
    return AgingResult(as_of, basis, used, totals, page, groups, more)
