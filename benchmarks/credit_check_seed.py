"""The credit check benchmark's tenant: the receivables tenant plus what a check reads (open
orders and the confirmed reservations they came with, limits, groups with group limits, a
USD/CNY rate)."""

from __future__ import annotations

import time
from typing import Any

from benchmarks import receivables
from benchmarks.harness import Bench

ORDERS_PER_CUSTOMER = 2  #: 50,000 customers x 2 = 100,000 open orders
GROUPS = 2_000


def _limits(bench: Bench, scope: str, where: str, amount: str) -> None:
    """Approved limits set-wise: request, decision and limit rows, as the services leave them."""
    bench.sql(
        f"""WITH req AS (
              INSERT INTO credit_limit_requests (tenant_id, customer_id, scope, kind, currency,
                  amount_minor, valid_from, basis, tier, approvals_required, status, snapshot,
                  created_by, decided_at)
              SELECT tenant_id, id, '{scope}', 'STANDARD', 'CNY', {amount}, DATE '2025-01-01',
                     'MANUAL', 'MANAGER', 1, 'APPROVED', '{{}}', 'bench', now()
                FROM customers c WHERE tenant_id = %s AND {where}
              RETURNING tenant_id, id, customer_id, scope, amount_minor),
            dec AS (
              INSERT INTO credit_decisions (tenant_id, kind, subject_id, customer_id, snapshot,
                  outcome, versions, decided_by)
              SELECT tenant_id, 'LIMIT', id, customer_id, '{{}}', '{{"status": "APPROVED"}}',
                     '{{}}', 'bench' FROM req
              RETURNING id, subject_id)
            INSERT INTO credit_limits (tenant_id, customer_id, scope, kind, currency, amount_minor,
                valid_from, basis, request_id, requested_by, approved_by, decision_id)
            SELECT r.tenant_id, r.customer_id, r.scope, 'STANDARD', 'CNY', r.amount_minor,
                   DATE '2025-01-01', 'MANUAL', r.id, 'bench', ARRAY['bench-manager'], d.id
              FROM req r JOIN dec d ON d.subject_id = r.id""",
        bench.tenant_id,
    )


def _reservation_history(bench: Bench) -> None:
    """Each order was checked, reserved and confirmed when it came in: a tenant that checks
    at order time has that history (an empty reservations table is a day-one state, whose
    cached plans read it by scanning until statistics catch up)."""
    bench.sql(
        """WITH o AS MATERIALIZED (
              SELECT s.*, gen_random_uuid() AS decision,
                     s.ordered_on - interval '1 hour' AS checked_at
                FROM sales_orders s WHERE s.tenant_id = %s),
            dec AS (
              INSERT INTO credit_decisions (tenant_id, id, kind, subject_id, customer_id,
                  snapshot, outcome, versions, decided_by, decided_at)
              SELECT tenant_id, decision, 'CREDIT_CHECK', customer_id, customer_id, '{}',
                     '{"outcome": "APPROVED"}', '{}', 'bench', checked_at FROM o)
            INSERT INTO credit_reservations (tenant_id, customer_id, order_ref, currency,
                amount_minor, expires_at, status, decision_id, order_id, closed_at, created_by,
                created_at)
            SELECT tenant_id, customer_id, order_ref, currency, amount_minor,
                   checked_at + interval '15 minutes', 'CONFIRMED', decision, id,
                   checked_at + interval '5 minutes', 'bench', checked_at
              FROM o""",
        bench.tenant_id,
    )


def seed(bench: Bench) -> dict[str, Any]:
    """The receivables tenant, then what the credit check reads."""
    figures = receivables.seed(bench)
    started = time.monotonic()
    t = bench.tenant_id
    bench.sql(
        """UPDATE invoices SET open_minor = 0 WHERE tenant_id = %s
              AND due_date < current_date - 25 AND abs(hashtext(customer_id::text)) %% 5 <> 0""",
        t,
    )
    bench.sql(
        """INSERT INTO sales_orders (tenant_id, order_ref, customer_id, currency, amount_minor,
               status, ordered_on, fingerprint, created_by)
           SELECT c.tenant_id, 'SO-' || c.code || '-' || k, c.id, 'CNY',
                  100000 + abs(hashtext(c.code || k)) %% 2000000,
                  CASE WHEN k = 1 THEN 'OPEN' ELSE 'SHIPPED' END, current_date - k, 'bench',
                  'bench'
             FROM customers c CROSS JOIN generate_series(1, %s) k WHERE c.tenant_id = %s""",
        ORDERS_PER_CUSTOMER,
        t,
    )
    _reservation_history(bench)
    _limits(bench, "CUSTOMER", "true", "5000000 + abs(hashtext(c.code)) %% 20000000")
    bench.sql(
        """INSERT INTO customer_relations (tenant_id, customer_id, related_customer_id, kind)
           SELECT p.tenant_id, s.id, p.id, 'PARENT'
             FROM customers p JOIN customers s
               ON s.tenant_id = p.tenant_id
              AND s.code = 'C-' || lpad((substr(p.code, 3)::int + 1)::text, 6, '0')
            WHERE p.tenant_id = %s AND substr(p.code, 3)::int %% 2 = 1
              AND substr(p.code, 3)::int < %s""",
        t,
        2 * GROUPS,
    )
    _limits(
        bench,
        "GROUP",
        f"substr(c.code, 3)::int %% 2 = 1 AND substr(c.code, 3)::int < {2 * GROUPS}",
        "40000000",
    )
    bench.sql(
        """INSERT INTO exchange_rates (tenant_id, base, quote, rate, effective_on, created_by)
           VALUES (%s, 'USD', 'CNY', 7.1234, current_date - 3, 'bench')""",
        t,
    )
    bench.sql("VACUUM ANALYZE")
    counts = bench.sql(
        "SELECT (SELECT count(*) FROM sales_orders WHERE status IN ('OPEN','SHIPPED')),"
        " (SELECT count(*) FROM invoices WHERE open_minor > 0),"
        " (SELECT count(*) FROM credit_limits), (SELECT count(*) FROM customer_relations),"
        " (SELECT count(*) FROM credit_reservations)"
    )[0]
    figures.update(
        open_orders=counts[0],
        open_invoices_after_payoff=counts[1],
        limits=counts[2],
        group_links=counts[3],
        past_reservations=counts[4],
        credit_seed_s=round(time.monotonic() - started, 1),
    )
    return figures
