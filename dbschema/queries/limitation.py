"""The limitation clock of every open invoice, set-wise: the SQL twin of
domain.warning_rules.limitation.clock (a test holds them together on generated data).

A clock starts at the due date and restarts at the latest of: a part payment allocated to
the invoice (not reversed), a promise to pay in its currency, a confirmed statement whose
month covers its issue date, a written demand sent (dunning letter, letter, legal action).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.engine import fetch_native, native_sql

#: Activities of the evidence chain that are written demands the customer was sent.
DEMANDS = ("DUNNING_LETTER", "LETTER", "LEGAL")

CLOCKS = """
WITH pay AS (
  SELECT a.invoice_id, max(a.effective_on) AS on_day FROM allocations a
   WHERE a.kind = 'PAYMENT' AND a.amount_minor > 0 {only_alloc}
     AND NOT EXISTS (SELECT 1 FROM allocations r
                      WHERE r.tenant_id = a.tenant_id AND r.reverses_id = a.id)
   GROUP BY a.invoice_id),
demand AS (
  SELECT customer_id, max(occurred_at::date) AS on_day FROM activities
   WHERE kind IN ('DUNNING_LETTER', 'LETTER', 'LEGAL') {only} GROUP BY customer_id),
promise AS (
  SELECT customer_id, currency, max(created_at::date) AS on_day FROM promises
   WHERE true {only} GROUP BY customer_id, currency),
stmt AS (
  SELECT customer_id, currency, period, status_at::date AS on_day FROM statements
   WHERE status = 'CONFIRMED' AND status_at IS NOT NULL {only}),
clocks AS MATERIALIZED (
  SELECT i.id, i.customer_id, i.due_date, pay.on_day AS pay_d, promise.on_day AS promise_d,
         (SELECT max(s.on_day) FROM stmt s
           WHERE s.customer_id = i.customer_id AND s.currency = i.currency
             AND i.issue_date < (s.period + interval '1 month')::date) AS stmt_d,
         demand.on_day AS demand_d
    FROM invoices i
    LEFT JOIN pay ON pay.invoice_id = i.id
    LEFT JOIN demand ON demand.customer_id = i.customer_id
    LEFT JOIN promise ON promise.customer_id = i.customer_id AND promise.currency = i.currency
   WHERE i.is_open AND i.due_date <= :horizon_due {only_inv}),
started AS (
  SELECT *, greatest(due_date, pay_d, promise_d, stmt_d, demand_d) AS started_on FROM clocks)
SELECT id, customer_id, due_date, started_on,
       CASE WHEN pay_d >= due_date AND pay_d = started_on THEN 'PART_PAYMENT'
            WHEN promise_d >= due_date AND promise_d = started_on THEN 'PROMISE'
            WHEN stmt_d >= due_date AND stmt_d = started_on THEN 'CONFIRMED_STATEMENT'
            WHEN demand_d >= due_date AND demand_d = started_on THEN 'WRITTEN_DEMAND'
            ELSE 'DUE_DATE' END AS started_by,
       (started_on + interval '3 years')::date AS lapses_on
  FROM started
 WHERE (started_on + interval '3 years')::date <= :last_lapse
"""


#: Per customer, its soonest clocks (the warning lists five) with the customer's counts: the
#: SQL twin of domain.warning_rules.limitation.summarise. A night finds hundreds of thousands
#: of lapsing claims on a tenant with years of open invoices; this sends a few per customer.
SUMMARIES = """
SELECT id, customer_id, due_date, started_on, started_by, lapses_on, total, lapsed FROM (
  SELECT c.*, row_number() OVER (PARTITION BY customer_id ORDER BY lapses_on, id) AS n,
         count(*) OVER (PARTITION BY customer_id) AS total,
         count(*) FILTER (WHERE lapses_on < :as_of) OVER (PARTITION BY customer_id) AS lapsed
    FROM ({clocks}) c) r
 WHERE n <= :listed
 ORDER BY customer_id, n
"""


async def summaries(
    conn: AsyncConnection,
    as_of: date,
    first_days: int,
    listed: int,
    only: Sequence[UUID] | None = None,
) -> list[Any]:
    """Per customer with claims lapsing within `first_days` of `as_of` (or lapsed), its
    `listed` soonest clocks, each row carrying the customer's `total` and `lapsed` counts."""
    sql, params = _clocks_sql(as_of, first_days, only)
    params |= {"as_of": as_of, "listed": listed}
    statement, names = native_sql(SUMMARIES.format(clocks=sql))
    # up to five rows a customer of a 50,000-customer tenant: driver records, read by position
    return await fetch_native(conn, statement, *(params[n] for n in names))


async def clocks(
    conn: AsyncConnection, as_of: date, first_days: int, only: Sequence[UUID] | None = None
) -> list[sa.Row[Any]]:
    """Clocks of open invoices lapsing within `first_days` of `as_of` (or lapsed already).

    An invoice due after the horizon cannot lapse within it, so the scan stops there."""
    sql, params = _clocks_sql(as_of, first_days, only)
    return list(await conn.execute(sa.text(sql), params))


def _clocks_sql(
    as_of: date, first_days: int, only: Sequence[UUID] | None
) -> tuple[str, dict[str, Any]]:
    """The clocks statement and its parameters."""
    last_lapse = as_of + timedelta(days=first_days)
    flt = "" if only is None else " AND customer_id = ANY(:customers)"
    sql = CLOCKS.format(
        only=flt,
        only_inv="" if only is None else " AND i.customer_id = ANY(:customers)",
        only_alloc=""
        if only is None
        else " AND a.invoice_id IN (SELECT id FROM invoices WHERE customer_id = ANY(:customers))",
    )
    params: dict[str, Any] = {
        "last_lapse": last_lapse,
        "horizon_due": last_lapse - timedelta(days=3 * 365 - 1),
    }
    if only is not None:
        params["customers"] = list(only)
    return sql, params
