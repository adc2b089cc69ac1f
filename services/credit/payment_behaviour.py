"""Payment behaviour from the ledger, set-wise: one statement for one customer or all of them.

The SQL returns the facts of `domain.credit.behaviour.ledger_facts` (its pure twin) per
customer and currency, and `summarise` turns them into ratios. A whole portfolio's facts are
a few scans of the ledger, not a query per customer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.credit.behaviour import (
    DEFAULT_WINDOW_MONTHS,
    MAX_WINDOW_MONTHS,
    Behaviour,
    BehaviourFacts,
    Window,
    overall,
    summarise,
    window,
)
from domain.credit.dates import check_date
from domain.errors import DomainError
from services.read_session import ReadSession

FACT_COLUMNS = (
    "judged_minor",
    "on_time_minor",
    "late_weighted",
    "max_days_past_due",
    "dtp_earlier_minor",
    "dtp_earlier_weighted",
    "dtp_recent_minor",
    "dtp_recent_weighted",
    "broken_promises",
    "disputed_minor",
    "invoiced_minor",
    "reversed_payments",
    "reversed_minor",
)
#: Per source, the fact columns it fills (the rest are 0 in its branch of the union).
_PAID = {
    "judged_minor": "sum(amount_minor) FILTER (WHERE due_in)",
    "on_time_minor": (
        "sum(amount_minor) FILTER (WHERE due_in AND kind <> 'WRITE_OFF' "
        "AND effective_on <= due_date)"
    ),
    "late_weighted": (
        "sum(amount_minor::numeric * CASE WHEN kind = 'WRITE_OFF' "
        "THEN GREATEST(effective_on - due_date, 1) "
        "ELSE GREATEST(effective_on - due_date, 0) END) FILTER (WHERE due_in)"
    ),
    "max_days_past_due": (
        "max(GREATEST(effective_on - due_date, 0)) FILTER (WHERE effective_on >= :start)"
    ),
    "dtp_earlier_minor": "sum(amount_minor) FILTER (WHERE early)",
    "dtp_earlier_weighted": (
        "sum(amount_minor::numeric * (effective_on - issue_date)) FILTER (WHERE early)"
    ),
    "dtp_recent_minor": "sum(amount_minor) FILTER (WHERE recent)",
    "dtp_recent_weighted": (
        "sum(amount_minor::numeric * (effective_on - issue_date)) FILTER (WHERE recent)"
    ),
}
_INVOICED = {
    "judged_minor": "sum(o) FILTER (WHERE o > 0 AND due_date >= :start AND due_date < :as_of)",
    "late_weighted": (
        "sum(o::numeric * (CAST(:as_of AS date) - due_date)) "
        "FILTER (WHERE o > 0 AND due_date >= :start AND due_date < :as_of)"
    ),
    "max_days_past_due": (
        "max(CAST(:as_of AS date) - due_date) FILTER (WHERE o > 0 AND due_date < :as_of)"
    ),
    "invoiced_minor": "sum(amount_minor) FILTER (WHERE issue_date >= :start)",
}
_MAX = ("max_days_past_due",)


def _branch(columns: dict[str, str], source: str) -> str:
    picked = ", ".join(
        f"coalesce({columns[c]}, 0) AS {c}" if c in columns else f"0 AS {c}" for c in FACT_COLUMNS
    )
    return f"SELECT customer_id, currency, {picked} FROM {source} GROUP BY customer_id, currency"


def build_sql(some_customers: bool) -> sa.TextClause:
    """The facts statement for every customer, or for the `:customers` array only."""
    mine = "AND i.customer_id = ANY(CAST(:customers AS uuid[]))" if some_customers else ""
    mine_p = "AND customer_id = ANY(CAST(:customers AS uuid[]))" if some_customers else ""
    # NUMERIC, not BIGINT: a customer's sums over many maximum documents exceed 2^63
    totals = ", ".join(
        f"{'max' if c in _MAX else 'sum'}({c})::numeric AS {c}" for c in FACT_COLUMNS
    )
    nonzero = " OR ".join(f"{'max' if c in _MAX else 'sum'}({c}) <> 0" for c in FACT_COLUMNS)
    return sa.text(f"""
WITH reversed AS MATERIALIZED (
    SELECT reverses_id AS id FROM allocations
     WHERE reverses_id IS NOT NULL AND effective_on <= :as_of
), paid AS (
    SELECT i.customer_id, i.currency, i.issue_date, i.due_date, a.kind, a.amount_minor,
           a.effective_on,
           i.due_date BETWEEN :start AND :as_of AS due_in,
           a.kind <> 'WRITE_OFF' AND a.effective_on BETWEEN :start AND :middle AS early,
           a.kind <> 'WRITE_OFF' AND a.effective_on > :middle AS recent
      FROM allocations a
      JOIN invoices i ON i.tenant_id = a.tenant_id AND i.id = a.invoice_id
     WHERE a.reverses_id IS NULL AND a.effective_on <= :as_of AND i.issue_date <= :as_of
       AND (a.effective_on >= :start OR i.due_date BETWEEN :start AND :as_of) {mine}
       AND NOT EXISTS (SELECT 1 FROM reversed r WHERE r.id = a.id)
), later AS (
    SELECT invoice_id, sum(amount_minor) AS amount FROM allocations
     WHERE effective_on > :as_of GROUP BY invoice_id
), items AS (
    SELECT i.customer_id, i.currency, i.issue_date, i.due_date, i.amount_minor,
           i.open_minor + coalesce(l.amount, 0) AS o
      FROM invoices i LEFT JOIN later l ON l.invoice_id = i.id
     WHERE i.issue_date <= :as_of {mine}
       AND (i.issue_date >= :start OR i.open_minor > 0 OR l.invoice_id IS NOT NULL)
), promised AS (
    SELECT customer_id, currency, 1 AS n FROM promises
     WHERE status = 'BROKEN' AND promised_on BETWEEN :start AND :as_of {mine_p}
), disputed AS (
    SELECT i.customer_id, i.currency, d.amount_minor FROM disputes d
      JOIN invoices i ON i.tenant_id = d.tenant_id AND i.id = d.invoice_id
     WHERE i.issue_date <= :as_of {mine}
       AND CAST(d.created_at AT TIME ZONE 'UTC' AS date) BETWEEN :start AND :as_of
), bounced AS (
    SELECT customer_id, currency, amount_minor FROM payments
     WHERE status = 'REVERSED' AND received_on BETWEEN :start AND :as_of {mine_p}
       AND CAST(reversed_at AT TIME ZONE 'UTC' AS date) <= :as_of
)
SELECT customer_id, currency, {totals} FROM (
    {_branch(_PAID, "paid")}
    UNION ALL {_branch(_INVOICED, "items")}
    UNION ALL {_branch({"broken_promises": "sum(n)"}, "promised")}
    UNION ALL {_branch({"disputed_minor": "sum(amount_minor)"}, "disputed")}
    UNION ALL {
        _branch({"reversed_payments": "count(*)", "reversed_minor": "sum(amount_minor)"}, "bounced")
    }
) u
GROUP BY customer_id, currency
HAVING {nonzero}
""")


ALL_SQL = build_sql(some_customers=False)
SOME_SQL = build_sql(some_customers=True)


def check_months(months: int, field: str = "windowMonths") -> int:
    """1 to 60 months."""
    if not 1 <= months <= MAX_WINDOW_MONTHS:
        raise DomainError("INVALID_INPUT", f"between 1 and {MAX_WINDOW_MONTHS} months", field)
    return months


async def behaviour_facts(
    conn: AsyncConnection,
    as_of: date,
    months: int = DEFAULT_WINDOW_MONTHS,
    customer_id: UUID | None = None,
    customer_ids: Sequence[UUID] | None = None,
) -> dict[UUID, list[BehaviourFacts]]:
    """Facts per customer (each a list per currency) over the window ending on as_of; of
    every customer, of one, or of a list."""
    w = window(as_of, months)
    params: dict[str, Any] = {"start": w.start, "middle": w.middle, "as_of": w.end}
    some = list(customer_ids or ()) + ([customer_id] if customer_id is not None else [])
    if customer_id is not None or customer_ids is not None:
        params["customers"] = some
    rows = await conn.execute(ALL_SQL if "customers" not in params else SOME_SQL, params)
    out: dict[UUID, list[BehaviourFacts]] = {}
    for row in rows:
        values = row._mapping
        facts = BehaviourFacts(
            currency=values["currency"].strip(), **{c: int(values[c]) for c in FACT_COLUMNS}
        )
        out.setdefault(values["customer_id"], []).append(facts)
    return out


@dataclass(frozen=True)
class CustomerBehaviour:
    """A customer's behaviour per currency and overall (None without history) in a window."""

    window: Window
    months: int
    per_currency: list[Behaviour]
    overall: Behaviour | None


def behaviour_of(facts: list[BehaviourFacts], as_of: date, months: int) -> CustomerBehaviour:
    """Ratios from a customer's facts."""
    per = [summarise(f) for f in sorted(facts, key=lambda f: f.currency)]
    return CustomerBehaviour(window(as_of, months), months, per, overall(per))


async def payment_behaviour(
    session: ReadSession, customer_id: UUID, as_of: date, months: int = DEFAULT_WINDOW_MONTHS
) -> CustomerBehaviour:
    """One customer's behaviour (an unknown customer simply has no history)."""
    check_months(months)
    check_date(as_of, "asOf")

    async def run(conn: AsyncConnection) -> dict[UUID, list[BehaviourFacts]]:
        return await behaviour_facts(conn, as_of, months, customer_id)

    facts = await session.run(run)
    return behaviour_of(facts.get(customer_id, []), as_of, months)
