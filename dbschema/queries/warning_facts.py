"""The facts the warning rules read, set-wise over the whole tenant (one statement each).

Each returns rows keyed by customer; `services/warnings/facts.py` folds them into the
domain's CustomerFacts. Row-level security keeps every statement inside the tenant.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection


async def _rows(conn: AsyncConnection, sql: str, **params: Any) -> list[sa.Row[Any]]:
    return list(await conn.execute(sa.text(sql), params))


def _only(customers: Sequence[UUID] | None, column: str = "customer_id") -> str:
    """A filter to some customers (the immediate run), or none (the nightly run)."""
    return "" if customers is None else f" AND {column} = ANY(:customers)"


async def customers(conn: AsyncConnection, only: Sequence[UUID] | None) -> list[sa.Row[Any]]:
    """Active customers and their industry."""
    return await _rows(
        conn,
        "SELECT id, industry FROM customers WHERE status = 'ACTIVE'" + _only(only, "id"),
        customers=only,
    )


async def overdue(conn: AsyncConnection, as_of: date, only: Sequence[UUID] | None) -> list[Any]:
    """Per customer and currency: overdue open amount and the oldest item's days past due."""
    return await _rows(
        conn,
        "SELECT customer_id, currency, sum(open_minor) AS minor, max(:as_of - due_date) AS days "
        "FROM invoices WHERE is_open AND due_date < :as_of" + _only(only) + " "
        "GROUP BY customer_id, currency",
        as_of=as_of,
        customers=only,
    )


async def days_past_due(
    conn: AsyncConnection, as_of: date, lookback: int, only: Sequence[UUID] | None
) -> list[Any]:
    """Weighted days past due (worst currency) in the latest snapshot and `lookback` before."""
    return await _rows(
        conn,
        "WITH d AS (SELECT (SELECT max(as_of) FROM aging_snapshots WHERE as_of <= :as_of) AS now_d,"
        " (SELECT max(as_of) FROM aging_snapshots WHERE as_of <= :then_d) AS then_d) "
        "SELECT customer_id, max(weighted_days_past_due) FILTER (WHERE as_of = d.now_d) AS now, "
        "max(weighted_days_past_due) FILTER (WHERE as_of = d.then_d) AS then "
        "FROM aging_snapshots, d WHERE as_of IN (d.now_d, d.then_d)" + _only(only) + " "
        "GROUP BY customer_id",
        as_of=as_of,
        then_d=as_of - timedelta(days=lookback),
        customers=only,
    )


async def scores(
    conn: AsyncConnection, as_of: date, lookback: int, only: Sequence[UUID] | None
) -> list[Any]:
    """The latest score by `as_of` and the oldest score in the lookback, per customer."""
    return await _rows(
        conn,
        "SELECT customer_id, "
        "(array_agg(score ORDER BY as_of DESC, seq DESC))[1] AS now, "
        "(array_agg(score ORDER BY as_of, seq))[1] AS then "
        "FROM credit_scores WHERE as_of <= :as_of AND as_of >= :since" + _only(only) + " "
        "GROUP BY customer_id HAVING count(*) > 1",
        as_of=as_of,
        since=as_of - timedelta(days=lookback),
        customers=only,
    )


async def downgrades(
    conn: AsyncConnection, as_of: date, lookback: int, only: Sequence[UUID] | None
) -> list[Any]:
    """Customers whose latest class change (by `as_of`) was a recent downgrade."""
    return await _rows(
        conn,
        "SELECT * FROM (SELECT DISTINCT ON (customer_id) customer_id, from_class, to_class, "
        "direction, created_at::date AS on_day FROM credit_class_history "
        "WHERE created_at::date <= :as_of" + _only(only) + " "
        "ORDER BY customer_id, seq DESC) h "
        "WHERE direction = 'DOWNGRADE' AND on_day >= :since",
        as_of=as_of,
        since=as_of - timedelta(days=lookback),
        customers=only,
    )


async def utilisation(conn: AsyncConnection, as_of: date, only: Sequence[UUID] | None) -> list[Any]:
    """Per customer and limit currency: the customer limit in force (the newest standard valid
    on the date, as `in_force` picks it, plus current increases) and the exposure in that
    currency (open items and open orders)."""
    return await _rows(
        conn,
        "WITH lim AS (SELECT customer_id, currency, kind, amount_minor, valid_to, "
        "  row_number() OVER (PARTITION BY customer_id, kind"
        "   ORDER BY least(valid_to, :as_of) DESC, seq DESC) AS n "
        "  FROM credit_limits WHERE scope = 'CUSTOMER' AND valid_from <= :as_of"
        + _only(only)
        + "),"
        " std AS (SELECT customer_id, currency, amount_minor FROM lim "
        "  WHERE kind = 'STANDARD' AND n = 1 AND (valid_to IS NULL OR valid_to >= :as_of)),"
        " inc AS (SELECT customer_id, currency, sum(amount_minor) AS minor FROM lim "
        "  WHERE kind = 'TEMPORARY' AND valid_to >= :as_of GROUP BY 1, 2),"
        " rec AS (SELECT i.customer_id, i.currency, sum(i.open_minor) AS minor FROM invoices i "
        "  JOIN std USING (customer_id, currency) WHERE i.is_open GROUP BY 1, 2),"
        " ord AS (SELECT o.customer_id, o.currency, "
        "  sum(greatest(o.amount_minor - o.invoiced_minor, 0)) AS minor FROM sales_orders o "
        "  JOIN std USING (customer_id, currency) WHERE o.status IN ('OPEN', 'SHIPPED') "
        "  GROUP BY 1, 2) "
        "SELECT std.customer_id, std.currency, "
        "std.amount_minor + coalesce(inc.minor, 0) AS limit_minor, "
        "coalesce(rec.minor, 0) + coalesce(ord.minor, 0) AS exposure_minor FROM std "
        "LEFT JOIN inc USING (customer_id, currency) LEFT JOIN rec USING (customer_id, currency) "
        "LEFT JOIN ord USING (customer_id, currency)",
        as_of=as_of,
        customers=only,
    )


async def orders(
    conn: AsyncConnection, as_of: date, window: int, trailing: int, only: Sequence[UUID] | None
) -> list[Any]:
    """Per customer and currency: orders in the recent window and in the trailing period
    before it (cancelled orders left out)."""
    return await _rows(
        conn,
        "SELECT customer_id, currency, "
        "count(*) FILTER (WHERE ordered_on > :recent) AS recent_count, "
        "coalesce(sum(amount_minor) FILTER (WHERE ordered_on > :recent), 0) AS recent_minor, "
        "count(*) FILTER (WHERE ordered_on <= :recent) AS trailing_count, "
        "coalesce(sum(amount_minor) FILTER (WHERE ordered_on <= :recent), 0) AS trailing_minor "
        "FROM sales_orders WHERE status <> 'CANCELLED' AND ordered_on <= :as_of "
        "AND ordered_on > :since" + _only(only) + " GROUP BY customer_id, currency",
        as_of=as_of,
        recent=as_of - timedelta(days=window),
        since=as_of - timedelta(days=window + trailing),
        customers=only,
    )


async def agreements(
    conn: AsyncConnection, as_of: date, promise_days: int, plan_days: int,
    only: Sequence[UUID] | None,
) -> list[Any]:  # fmt: skip
    """Per customer: promises broken and plans defaulted with an instalment in the lookback."""
    return await _rows(
        conn,
        "SELECT customer_id, sum(broken) AS broken, sum(defaulted) AS defaulted FROM ("
        " SELECT customer_id, 1 AS broken, 0 AS defaulted FROM promises WHERE status = 'BROKEN'"
        " AND promised_on > :promise_since AND promised_on <= :as_of" + _only(only) + " UNION ALL"
        " SELECT customer_id, 0, 1 FROM payment_plans p WHERE status = 'DEFAULTED'"
        + _only(only)
        + " AND EXISTS (SELECT 1 FROM jsonb_array_elements(p.schedule) e"
        " WHERE (e->>'dueOn')::date > :plan_since AND (e->>'dueOn')::date <= :as_of)"
        ") a GROUP BY customer_id",
        as_of=as_of,
        promise_since=as_of - timedelta(days=promise_days),
        plan_since=as_of - timedelta(days=plan_days),
        customers=only,
    )


async def reversals(
    conn: AsyncConnection, as_of: date, lookback: int, only: Sequence[UUID] | None
) -> list[Any]:
    """Per customer: payments reversed (bounced) in the lookback."""
    return await _rows(
        conn,
        "SELECT customer_id, array_agg(coalesce(external_id, id::text) ORDER BY reversed_at) "
        "AS refs FROM payments WHERE status = 'REVERSED' AND reversed_at::date > :since "
        "AND reversed_at::date <= :as_of" + _only(only) + " GROUP BY customer_id",
        as_of=as_of,
        since=as_of - timedelta(days=lookback),
        customers=only,
    )


async def contact_churn(
    conn: AsyncConnection, as_of: date, lookback: int, only: Sequence[UUID] | None
) -> list[Any]:
    """Per customer: buyer contacts removed in the audit trail's customer updates."""
    return await _rows(
        conn,
        "SELECT customer_id, sum((SELECT count(*) FROM jsonb_array_elements("
        "  CASE WHEN jsonb_typeof(changes->'contacts'->'before') = 'array'"
        "  THEN changes->'contacts'->'before' ELSE '[]'::jsonb END) b"
        "  WHERE NOT coalesce(changes->'contacts'->'after', '[]'::jsonb)"
        "  @> jsonb_build_array(jsonb_build_object('name', b->'name')))) AS removed "
        "FROM audit_log WHERE action = 'UPDATE_CUSTOMER' AND changes ? 'contacts' "
        "AND at::date > :since AND at::date <= :as_of" + _only(only) + " "
        "GROUP BY customer_id",
        as_of=as_of,
        since=as_of - timedelta(days=lookback),
        customers=only,
    )


async def legal_and_news(
    conn: AsyncConnection, as_of: date, legal_days: int, news_days: int,
    only: Sequence[UUID] | None,
) -> list[Any]:  # fmt: skip
    """Open legal records against the customer (enforcement and 失信 whenever filed, others
    filed in the lookback) and negative news recorded in its lookback."""
    return await _rows(
        conn,
        "SELECT customer_id, kind, coalesce(source || ':' || source_ref, id::text) AS ref, "
        "legal_kind, coalesce(filed_on, recorded_on) AS on_day, severity "
        "FROM credit_external_records WHERE recorded_on <= :as_of AND ("
        " (kind = 'LEGAL_RECORD' AND status = 'OPEN' AND filed_on <= :as_of"
        "  AND (legal_kind = 'DISHONEST_DEBTOR' OR role = 'DEFENDANT')"
        "  AND (legal_kind IN ('ENFORCEMENT', 'DISHONEST_DEBTOR') OR filed_on > :legal_since))"
        " OR (kind = 'NEGATIVE_NEWS' AND recorded_on > :news_since))" + _only(only),
        as_of=as_of,
        legal_since=as_of - timedelta(days=legal_days),
        news_since=as_of - timedelta(days=news_days),
        customers=only,
    )


async def relations(conn: AsyncConnection) -> list[Any]:
    """The partners graph (every relation of the tenant; contagion needs both ends)."""
    return await _rows(
        conn, "SELECT customer_id, related_customer_id, kind FROM customer_relations"
    )
