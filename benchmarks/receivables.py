"""Receivables at scale: 50,000 customers and 1,000,000 open invoices in one tenant.

Measures import throughput through `importInvoices`, tenant aging through GraphQL against
the same aggregate as one raw SQL statement, a month-end provision run, one customer's aging
(200 open invoices), and (benchmarks/statements.py) monthly statement PDFs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import httpx
import psycopg

from benchmarks import statements
from benchmarks.harness import Bench, database, kept_database, server

CUSTOMERS = 50_000
INVOICES = 1_000_000
BIG_CUSTOMER_INVOICES = 200  #: the one-customer aging query reads this many open invoices
IMPORT_BATCHES = 10
IMPORT_ROWS = 5_000
PAYMENT_BATCHES = 3  #: importPayments calls of IMPORT_ROWS each, the figure their median
FLOORS = {
    "import_rows_per_s": 5000,
    "payment_rows_per_s": 5000,
    "aging_graphql_s": 3.0,
    "aging_ratio": 1.5,
    "provision_s": 10.0,
    "one_customer_p99_ms": 50.0,
    "statements_s": 300.0,
}
TODAY = date.today()

AGING_QUERY = """query Aging($asOf: Date) {
  aging(asOf: $asOf, groupBy: CUSTOMER, first: 100) {
    totalCount
    totals { currency total { amount } overdue { amount } buckets { label amount { amount } } }
    lines { key currency total { amount } overdue { amount } buckets { label amount { amount } }
            customer { code legalName } }
    pageInfo { hasNextPage endCursor } } }"""

ONE_CUSTOMER_QUERY = """query One($id: ID) {
  aging(groupBy: INVOICE, customerId: $id, first: 100) {
    totalCount totals { currency total { amount } overdue { amount } }
    lines { key overdue { amount } buckets { label amount { amount } } } } }"""

PAYMENTS_MUTATION = """mutation Pay($input: ImportPaymentsInput!) {
  importPayments(input: $input) { created failed userErrors { code } } }"""

IMPORT_MUTATION = """mutation Import($input: ImportInvoicesInput!) {
  importInvoices(input: $input) { created replayed failed userErrors { code } } }"""

#: The same aggregate as the GraphQL aging (tenant totals by bucket per currency, then the
#: 100 most overdue customers), written independently with GROUPING SETS.
RAW_AGING_SQL = """
WITH later AS (
    SELECT invoice_id, sum(amount_minor) AS amt FROM allocations
     WHERE effective_on > %(as_of)s GROUP BY invoice_id
), a AS (
    SELECT i.currency, i.customer_id, %(as_of)s - i.due_date AS d,
           i.open_minor + coalesce(l.amt, 0) AS amt
      FROM invoices i LEFT JOIN later l ON l.invoice_id = i.id
     WHERE i.issue_date <= %(as_of)s
), g AS MATERIALIZED (
    SELECT currency, customer_id, grouping(customer_id) AS is_total, sum(amt) AS total,
           coalesce(sum(amt) FILTER (WHERE d > 0), 0) AS overdue,
           coalesce(sum(amt) FILTER (WHERE d <= 0), 0) AS b0,
           coalesce(sum(amt) FILTER (WHERE d BETWEEN 1 AND 30), 0) AS b1,
           coalesce(sum(amt) FILTER (WHERE d BETWEEN 31 AND 60), 0) AS b2,
           coalesce(sum(amt) FILTER (WHERE d BETWEEN 61 AND 90), 0) AS b3,
           coalesce(sum(amt) FILTER (WHERE d BETWEEN 91 AND 180), 0) AS b4,
           coalesce(sum(amt) FILTER (WHERE d BETWEEN 181 AND 365), 0) AS b5,
           coalesce(sum(amt) FILTER (WHERE d > 365), 0) AS b6
      FROM a WHERE amt > 0
     GROUP BY GROUPING SETS ((currency), (currency, customer_id))
)
SELECT * FROM g WHERE is_total = 1
UNION ALL
(SELECT * FROM g WHERE is_total = 0 ORDER BY overdue DESC, customer_id, currency LIMIT 100)
"""


def seed(bench: Bench) -> dict[str, Any]:
    """Customers, a million open invoices over four years, 10% part-paid, one big customer."""
    started = time.monotonic()
    t = bench.tenant_id
    bench.sql(
        """INSERT INTO customers (tenant_id, code, legal_name, country, industry,
               salesperson, contacts, rating_class)
           SELECT %s, 'C-' || lpad(g::text, 6, '0'), '客户公司 ' || g, 'CN',
                  (ARRAY['Machinery','Textiles','Energy','Food'])[1 + g %% 4],
                  (ARRAY['王伟','张敏','刘洋','陈静'])[1 + g %% 4], '[]'::jsonb,
                  (ARRAY['A','B','C','D'])[1 + g %% 4]
             FROM generate_series(1, %s) g""",
        t,
        CUSTOMERS,
    )
    bench.sql("DROP TABLE IF EXISTS bench_customer_ids")
    bench.sql(
        """CREATE UNLOGGED TABLE bench_customer_ids AS
           SELECT row_number() OVER (ORDER BY code) AS n, id, salesperson FROM customers
            WHERE tenant_id = %s""",
        t,
    )
    bench.sql(
        """INSERT INTO invoices (tenant_id, number, external_id, customer_id, issue_date,
               due_date, currency, amount_minor, open_minor, salesperson, fingerprint,
               created_by)
           SELECT %s, 'INV-' || g, 'erp-' || g, c.id,
                  current_date - (g %% 1460), current_date - (g %% 1460) + 30,
                  CASE WHEN g %% 10 = 0 THEN 'USD' ELSE 'CNY' END,
                  10000 + (g::bigint * 7919) %% 900000,
                  CASE WHEN g %% 10 = 1 THEN (10000 + (g::bigint * 7919) %% 900000) / 2
                       ELSE 10000 + (g::bigint * 7919) %% 900000 END,
                  c.salesperson, 'bench', 'bench'
             FROM generate_series(1, %s) g
             JOIN bench_customer_ids c ON c.n = 1 + g %% %s""",
        t,
        INVOICES - (BIG_CUSTOMER_INVOICES - (INVOICES // CUSTOMERS - 1)),
        CUSTOMERS,
    )
    have = bench.sql(
        "SELECT count(*) FROM invoices i JOIN customers c ON c.id = i.customer_id "
        "WHERE c.code = 'C-000001'"
    )[0][0]
    extra = BIG_CUSTOMER_INVOICES - int(have)  # type: ignore[call-overload]
    bench.sql(
        """INSERT INTO invoices (tenant_id, number, customer_id, issue_date, due_date, currency,
               amount_minor, open_minor, salesperson, fingerprint, created_by)
           SELECT %s, 'BIG-' || g, c.id, current_date - g * 3, current_date - g * 3 + 30,
                  'CNY', 50000 + g, 50000 + g, c.salesperson, 'bench', 'bench'
             FROM generate_series(1, %s) g JOIN bench_customer_ids c ON c.n = 1""",
        t,
        extra,
    )
    # 10% of invoices are half paid: a payment and its allocation, some after the as-of date
    bench.sql(
        """INSERT INTO payments (tenant_id, external_id, customer_id, received_on, currency,
               amount_minor, unallocated_minor, method, fingerprint, created_by)
           SELECT tenant_id, 'pay-' || number, customer_id, least(issue_date + 20, current_date),
                  currency, amount_minor - open_minor, 0, 'BANK_TRANSFER', 'bench', 'bench'
             FROM invoices WHERE tenant_id = %s AND open_minor < amount_minor""",
        t,
    )
    bench.sql(
        """INSERT INTO allocations (tenant_id, invoice_id, currency, kind, payment_id,
               amount_minor, effective_on, created_by)
           SELECT i.tenant_id, i.id, i.currency, 'PAYMENT', p.id, p.amount_minor,
                  p.received_on, 'bench'
             FROM invoices i JOIN payments p
               ON p.tenant_id = i.tenant_id AND p.external_id = 'pay-' || i.number
            WHERE i.tenant_id = %s""",
        t,
    )
    bench.sql("DROP TABLE bench_customer_ids")
    bench.sql("VACUUM ANALYZE")
    counts = bench.sql(
        "SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM invoices "
        "WHERE open_minor > 0), (SELECT count(*) FROM allocations)"
    )[0]
    return {
        "customers": counts[0],
        "open_invoices": counts[1],
        "allocations": counts[2],
        "seed_s": round(time.monotonic() - started, 1),
    }


def gql(client: httpx.Client, url: str, token: str, query: str, variables: Any = None) -> Any:
    """POST one operation; any GraphQL error aborts the benchmark (no figures from errors)."""
    response = client.post(
        url + "/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"Authorization": f"Bearer {token}"},
        timeout=120,
    )
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise RuntimeError(f"benchmark request failed: {body}")
    return body["data"]


def measure_import(
    client: httpx.Client, url: str, token: str, prefix: str = "imp"
) -> dict[str, Any]:
    """Ten calls of 5,000 new invoices each for random existing customers, then a replay."""
    batches = []
    for b in range(IMPORT_BATCHES):
        rows = [
            {
                "externalId": f"{prefix}-{b}-{n}",
                "number": f"{prefix.upper()}-{b}-{n}",
                "customerCode": f"C-{1 + (b * IMPORT_ROWS + n) * 7 % CUSTOMERS:06d}",
                "issueDate": (TODAY - timedelta(days=n % 90)).isoformat(),
                "amount": f"{1000 + n % 5000}.{n % 100:02d}",
                "currency": "CNY",
            }
            for n in range(IMPORT_ROWS)
        ]
        batches.append(rows)
    timings = []
    for rows in batches:
        start = time.perf_counter()
        data = gql(client, url, token, IMPORT_MUTATION, {"input": {"rows": rows}})
        timings.append(time.perf_counter() - start)
        assert data["importInvoices"]["created"] == IMPORT_ROWS, data
    start = time.perf_counter()
    replay = gql(client, url, token, IMPORT_MUTATION, {"input": {"rows": batches[0]}})
    replay_s = time.perf_counter() - start
    assert replay["importInvoices"]["replayed"] == IMPORT_ROWS, replay
    payment_runs = []
    for b in range(PAYMENT_BATCHES):  # a median, as for the other figures: one call drifts
        cash = [
            {
                "externalId": f"{prefix}-pay-{b}-{n}",
                "customerCode": f"C-{1 + (b * IMPORT_ROWS + n) * 13 % CUSTOMERS:06d}",
                "receivedOn": TODAY.isoformat(),
                "amount": f"{500 + n % 3000}.00",
                "currency": "CNY",
            }
            for n in range(IMPORT_ROWS)
        ]
        start = time.perf_counter()
        paid = gql(client, url, token, PAYMENTS_MUTATION, {"input": {"rows": cash}})
        payment_runs.append(time.perf_counter() - start)
        assert paid["importPayments"]["created"] == IMPORT_ROWS, paid
    total = IMPORT_BATCHES * IMPORT_ROWS
    return {
        "rows": total,
        "rows_per_s": round(total / sum(timings)),
        "batch_p50_s": round(statistics.median(timings), 3),
        "batch_max_s": round(max(timings), 3),
        "replay_rows_per_s": round(IMPORT_ROWS / replay_s),
        "payment_rows_per_s": round(IMPORT_ROWS / statistics.median(payment_runs)),
        "payment_batches_rows_per_s": [round(IMPORT_ROWS / s) for s in payment_runs],
    }


def measure_aging(client: httpx.Client, url: str, token: str, bench: Bench) -> dict[str, Any]:
    """Tenant aging through GraphQL, end to end, against the raw statement (median of 5)."""
    as_of = (TODAY - timedelta(days=10)).isoformat()  # some allocations fall after it
    gql(client, url, token, AGING_QUERY, {"asOf": as_of})  # warm caches alike for both
    graphql_runs = []
    for _ in range(5):
        start = time.perf_counter()
        data = gql(client, url, token, AGING_QUERY, {"asOf": as_of})
        graphql_runs.append(time.perf_counter() - start)
    assert len(data["aging"]["lines"]) == 100
    raw_runs = []
    with psycopg.connect(bench.app_url) as conn:
        conn.execute("SELECT set_config('app.tenant_id', %s, false)", (bench.tenant_id,))
        conn.execute(RAW_AGING_SQL, {"as_of": as_of}).fetchall()
        for _ in range(5):
            start = time.perf_counter()
            rows = conn.execute(RAW_AGING_SQL, {"as_of": as_of}).fetchall()
            raw_runs.append(time.perf_counter() - start)
    assert len(rows) == 102  # two currency totals and 100 customers
    graphql_s = statistics.median(graphql_runs)
    raw_s = statistics.median(raw_runs)
    return {
        "graphql_s": round(graphql_s, 3),
        "raw_sql_s": round(raw_s, 3),
        "ratio": round(graphql_s / raw_s, 2),
        "groups": data["aging"]["totalCount"],
    }


def measure_one_customer(client: httpx.Client, url: str, token: str) -> dict[str, Any]:
    """One customer's aging by invoice (200 open invoices), 300 sequential requests."""
    from schema.relay import to_global_id

    with psycopg.connect(_owner_url) as conn:
        customer_id = conn.execute("SELECT id FROM customers WHERE code = 'C-000001'").fetchone()
    gid = to_global_id("Customer", customer_id[0])  # type: ignore[index]
    data = gql(client, url, token, ONE_CUSTOMER_QUERY, {"id": gid})
    assert data["aging"]["totalCount"] >= BIG_CUSTOMER_INVOICES, data["aging"]["totalCount"]
    timings = []
    for _ in range(300):
        start = time.perf_counter()
        gql(client, url, token, ONE_CUSTOMER_QUERY, {"id": gid})
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "open_invoices": data["aging"]["totalCount"],
        "p50_ms": round(timings[len(timings) // 2], 1),
        "p99_ms": round(timings[int(len(timings) * 0.99) - 1], 1),
    }


_owner_url = ""


async def _provision_run(bench: Bench, period_end: date) -> float:
    from infra.runtime import open_runtime
    from infra.settings import load
    from services.closing.provisions import run_provisions
    from services.uow import UnitOfWork

    os.environ.update({"DATABASE_URL": bench.owner_url, "APP_DATABASE_URL": bench.app_url})
    runtime = open_runtime(load())
    try:
        start = time.perf_counter()
        async with UnitOfWork(runtime.engine, bench.tenant_id) as uow:
            await run_provisions(uow, period_end)
            await uow.commit()
        return time.perf_counter() - start
    finally:
        await runtime.close()


def measure_provisions(bench: Bench) -> dict[str, Any]:
    """A month-end provision run over every open invoice, then the same period again."""
    period_end = TODAY.replace(day=1) - timedelta(days=1)
    first = asyncio.run(_provision_run(bench, period_end))
    again = asyncio.run(_provision_run(bench, period_end))
    lines = bench.sql("SELECT sum(cardinality(invoice_ids)) FROM provision_customer_lines")[0][0]
    return {
        "period_end": period_end.isoformat(),
        "lines": lines,
        "first_run_s": round(first, 2),
        "rerun_s": round(again, 2),
    }


#: The parts `--only` can pick, in the order a whole run measures them.
PARTS = ("aging", "one_customer_aging", "import", "provisions", "statements")


def measure(
    bench: Bench, seeded: dict[str, Any] | None = None, only: str | None = None
) -> dict[str, Any]:
    """Seed the big tenant (unless `seeded` gives its figures) and run every receivables
    benchmark on it, or only one part (`import` is the invoices, then the payments)."""
    global _owner_url
    _owner_url = bench.owner_url
    figures: dict[str, Any] = {"seed": seeded or seed(bench)}
    print(f"seeded {figures['seed']}", flush=True)
    token = bench.token(["finance", "credit_manager"])
    served: dict[str, Callable[[httpx.Client, str], dict[str, Any]]] = {
        "aging": lambda client, url: measure_aging(client, url, token, bench),
        "one_customer_aging": lambda client, url: measure_one_customer(client, url, token),
        "import": lambda client, url: measure_import(client, url, token),
    }
    if only is None or only in served:
        with server(bench) as url, httpx.Client() as client:
            for part, run in served.items():
                if only in (None, part):
                    figures[part] = run(client, url)
                    print(f"{part} {figures[part]}", flush=True)
    if only in (None, "provisions"):
        figures["provisions"] = measure_provisions(bench)
        print(f"provisions {figures['provisions']}", flush=True)
    if only in (None, "statements"):
        figures["statements"] = statements.measure(bench)
    return figures


def report(figures: dict[str, Any]) -> None:
    """Print the figures beside their floors (those of the parts that ran)."""

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "BELOW FLOOR"

    print(f"\n== receivables on {figures['seed']} ==")
    if imp := figures.get("import"):
        print(
            f"importInvoices: {imp['rows_per_s']} rows/s over {imp['rows']} rows "
            f"(batch of 5000 p50 {imp['batch_p50_s']} s; replay {imp['replay_rows_per_s']} "
            f"rows/s) [floor {FLOORS['import_rows_per_s']}: "
            f"{verdict(imp['rows_per_s'] >= FLOORS['import_rows_per_s'])}]"
        )
        print(
            f"importPayments with allocation: {imp['payment_rows_per_s']} rows/s, median of "
            f"{imp['payment_batches_rows_per_s']} [floor {FLOORS['payment_rows_per_s']}: "
            f"{verdict(imp['payment_rows_per_s'] >= FLOORS['payment_rows_per_s'])}]"
        )
    if aging := figures.get("aging"):
        print(
            f"aging via GraphQL: {aging['graphql_s']} s, raw SQL {aging['raw_sql_s']} s, "
            f"ratio {aging['ratio']} over {aging['groups']} groups [floors 3 s, 1.5x: "
            f"{verdict(aging['graphql_s'] <= 3 and aging['ratio'] <= 1.5)}]"
        )
    if prov := figures.get("provisions"):
        print(
            f"provision run: {prov['first_run_s']} s for {prov['lines']} lines "
            f"(re-run {prov['rerun_s']} s) [floor 10 s: {verdict(prov['first_run_s'] <= 10)}]"
        )
    if one := figures.get("one_customer_aging"):
        print(
            f"one-customer aging ({one['open_invoices']} open invoices): p50 {one['p50_ms']} "
            f"ms, p99 {one['p99_ms']} ms [floor 50 ms: {verdict(one['p99_ms'] <= 50)}]"
        )
    if stmt := figures.get("statements"):
        print(
            f"statements: {stmt['pdfs']} PDFs for {stmt['customers']} customers in "
            f"{stmt['seconds']} s with 2 worker processes ({stmt['pdfs_per_s']} PDFs/s, "
            f"{stmt['megabytes']} MB) [floor 300 s: {verdict(stmt['seconds'] <= 300)}]"
        )


def main(argv: list[str] | None = None) -> None:
    """Run on its own database: `python -m benchmarks.receivables [--only PART] [--reuse]`."""
    import json

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--only",
        choices=PARTS,
        help="measure one part (import: the invoice batches, then the payments)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="start from the seeded tenant the bench server keeps (seeded and kept the first "
        "time): every run the same rows, without minutes of seeding",
    )
    parser.add_argument(
        "--reseed", action="store_true", help="with --reuse: seed the kept tenant anew"
    )
    args = parser.parse_args(argv)
    if args.reuse:
        with kept_database("bench_receivables", "bench-ar", seed, args.reseed) as (bench, seeded):
            figures = measure(bench, seeded, args.only)
    else:
        with database("bench_receivables", "bench-ar") as bench:
            figures = measure(bench, only=args.only)
    report(figures)
    print(json.dumps(figures, indent=2, default=str))


if __name__ == "__main__":
    main()
