"""Credit scoring at scale: 50,000 customers with statements, external data and a 1M-invoice ledger.

Seeds on top of the receivables tenant (`benchmarks.receivables.seed`: 50,000 customers,
1,000,000 invoices, payments) the master data scoring reads, two annual statements per
customer, bureau reports, legal records, news, promises, disputes and reversed payments; then
measures rescoring every customer (the nightly run's worst case), the monthly
reclassification (scores applied as classes through set_class), a re-run with nothing changed,
and `scorecardSimulation` through GraphQL against the active version.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from datetime import date
from typing import Any

import httpx

from benchmarks.harness import Bench, database, server
from benchmarks.receivables import gql
from benchmarks.receivables import seed as seed_ledger

FLOORS = {"rescore_all_s": 60.0, "simulation_s": 10.0}
TODAY = date.today()

CREATE_DRAFT = """mutation D($input: CreateScorecardVersionInput!) {
  createScorecardVersion(input: $input) { version { id number } userErrors { code } } }"""
ACTIVE = """query { activeScorecard { definition { currency reasonCount thresholds { a b c }
  factors { input weight missing bands { label points lower upper categories otherwise } }
  knockOuts { code input operator values cap } } } }"""
SIMULATE = """query S($id: ID!) { scorecardSimulation(versionId: $id, first: 100) {
  customers moved matrix { fromClass cells { toClass customers } }
  movers { code classBefore classAfter } moversHasNext } }"""


def seed_credit(bench: Bench) -> dict[str, Any]:
    """Master data, statements, external records, promises, disputes, reversals (set-wise)."""
    started = time.monotonic()
    t = bench.tenant_id
    bench.sql(
        """UPDATE customers SET
             founded_on = current_date - (abs(hashtext(code)::bigint) %% 9000)::int,
             registered_capital_minor = (1 + abs(hashtext(code || 'c')::bigint) %% 1000) * 10000000,
             registered_capital_currency = 'CNY',
             annual_sales_minor = (1 + abs(hashtext(code || 's')::bigint) %% 2000) * 10000000,
             annual_sales_currency = 'CNY'
           WHERE tenant_id = %s""",
        t,
    )
    # two balanced annual statements per customer (万元), with Z'' computed as the service does
    bench.sql(
        """INSERT INTO financial_statements (tenant_id, customer_id, period_start, period_end,
               kind, source, currency, unit, cash_minor, receivables_minor, inventory_minor,
               current_assets_minor, total_assets_minor, current_liabilities_minor,
               total_liabilities_minor, equity_minor, retained_earnings_minor, revenue_minor,
               cost_of_sales_minor, ebit_minor, interest_expense_minor, net_profit_minor,
               operating_cash_flow_minor, negative_equity, z_score, z_zone, z_inputs,
               fingerprint, created_by)
           SELECT c.tenant_id, c.id, make_date(y, 1, 1), make_date(y, 12, 31), 'ANNUAL',
                  'AUDITED', 'CNY', 'TEN_THOUSAND', v.ta / 10, v.ta / 5, v.ta / 8, v.ca, v.ta,
                  v.cl, v.tl, v.ta - v.tl, (v.ta - v.tl) / 2, v.ta * 2, v.ta * 3 / 2, v.ebit,
                  v.ta / 50, v.ebit * 3 / 4, v.ebit / 2, v.ta < v.tl, z.z,
                  CASE WHEN z.z > 2.60 THEN 'SAFE' WHEN z.z < 1.10 THEN 'DISTRESS'
                       ELSE 'GREY' END,
                  '{"lines": {}, "x": null, "reason": null, "seeded": true}'::jsonb,
                  'bench', 'bench'
             FROM customers c
            CROSS JOIN generate_series(extract(year FROM current_date)::int - 2,
                                       extract(year FROM current_date)::int - 1) y
            CROSS JOIN LATERAL (
                SELECT ta, ta * (30 + h %% 50) / 100 AS ca, ta * (20 + h %% 60) / 100 AS cl,
                       ta * (30 + h %% 75) / 100 AS tl, ta * ((h %% 30) - 5) / 100 AS ebit
                  FROM (SELECT (1 + abs(hashtext(c.code || y)::bigint) %% 5000) * 1000000 AS ta,
                               abs(hashtext(c.code || y || 'h')::bigint) AS h) base
            ) v
            CROSS JOIN LATERAL (
                SELECT round(6.56 * (v.ca - v.cl) / v.ta
                             + 3.26 * ((v.ta - v.tl) / 2) / v.ta
                             + 6.72 * v.ebit / v.ta + 1.05 * (v.ta - v.tl) / v.tl, 4) AS z
            ) z
           WHERE c.tenant_id = %s""",
        t,
    )
    bench.sql(
        """INSERT INTO credit_external_records (tenant_id, customer_id, kind, source, source_ref,
               recorded_on, evidence, score, legal_kind, role, case_number, court, status,
               filed_on, severity, fingerprint, created_by)
           SELECT c.tenant_id, c.id, k.kind, 'bench-' || k.kind, c.code || '-' || k.kind,
                  current_date - (abs(hashtext(c.code)::bigint) %% 300)::int, 'doc://bench',
                  CASE WHEN k.kind = 'BUREAU_REPORT' THEN 'BBB' END,
                  CASE WHEN k.kind = 'LEGAL_RECORD' THEN
                       (ARRAY['LAWSUIT','ENFORCEMENT','DISHONEST_DEBTOR','ARBITRATION'])
                       [1 + (abs(hashtext(c.code || 'l')::bigint) %% 4)::int] END,
                  CASE WHEN k.kind = 'LEGAL_RECORD' THEN 'DEFENDANT' END,
                  CASE WHEN k.kind = 'LEGAL_RECORD' THEN 'case-' || c.code END,
                  CASE WHEN k.kind = 'LEGAL_RECORD' THEN 'bench court' END,
                  CASE WHEN k.kind = 'LEGAL_RECORD' THEN 'OPEN' END,
                  CASE WHEN k.kind = 'LEGAL_RECORD' THEN current_date - 400 END,
                  CASE WHEN k.kind = 'NEGATIVE_NEWS' THEN 'MEDIUM' END, 'bench', 'bench'
             FROM customers c
             JOIN (VALUES ('BUREAU_REPORT', 3), ('LEGAL_RECORD', 50), ('NEGATIVE_NEWS', 100))
                  k(kind, every) ON abs(hashtext(c.code || k.kind)::bigint) %% k.every = 0
            WHERE c.tenant_id = %s""",
        t,
    )
    bench.sql(
        """INSERT INTO promises (tenant_id, customer_id, currency, amount_minor, promised_on,
               status, baseline_paid_minor, created_by)
           SELECT tenant_id, id, 'CNY', 100000,
                  current_date - (abs(hashtext(code)::bigint) %% 360)::int,
                  (ARRAY['KEPT','BROKEN'])[1 + (abs(hashtext(code || 'p')::bigint) %% 2)::int],
                  0, 'bench'
             FROM customers
            WHERE tenant_id = %s AND abs(hashtext(code || 'promise')::bigint) %% 20 = 0""",
        t,
    )
    bench.sql(
        """INSERT INTO disputes (tenant_id, invoice_id, amount_minor, reason, created_by)
           SELECT tenant_id, id, amount_minor / 4, 'quality', 'bench' FROM invoices
            WHERE tenant_id = %s AND issue_date > current_date - 365
              AND abs(hashtext(number)::bigint) %% 100 = 0""",
        t,
    )
    bench.sql(
        """UPDATE payments SET status = 'REVERSED', reversed_at = now()
            WHERE tenant_id = %s AND abs(hashtext(external_id)::bigint) %% 200 = 0""",
        t,
    )
    bench.sql("VACUUM ANALYZE")
    bench.sql("CHECKPOINT")  # the seed's writes are flushed before the clock starts
    counts = bench.sql(
        "SELECT (SELECT count(*) FROM financial_statements), "
        "(SELECT count(*) FROM credit_external_records), (SELECT count(*) FROM promises), "
        "(SELECT count(*) FROM disputes)"
    )[0]
    return {
        "statements": counts[0],
        "external_records": counts[1],
        "promises": counts[2],
        "disputes": counts[3],
        "seed_s": round(time.monotonic() - started, 1),
    }


async def _rescore(bench: Bench) -> dict[str, Any]:
    from infra.runtime import open_runtime
    from infra.settings import load
    from services.credit.scoring import rescore_all, rescore_changed
    from services.uow import UnitOfWork

    os.environ.update({"DATABASE_URL": bench.owner_url, "APP_DATABASE_URL": bench.app_url})
    runtime = open_runtime(load())
    figures: dict[str, Any] = {}
    try:
        for name, run in (
            ("rescore_all", lambda uow: rescore_all(uow, TODAY)),
            ("rescore_unchanged", lambda uow: rescore_changed(uow, TODAY)),
            ("reclassify_all", lambda uow: rescore_all(uow, TODAY, apply=True)),
        ):
            start = time.perf_counter()
            async with UnitOfWork(runtime.engine, bench.tenant_id) as uow:
                summary = await run(uow)
                await uow.commit()
            figures[f"{name}_s"] = round(time.perf_counter() - start, 2)
            figures[name] = {
                "customers": summary.customers,
                "scored": summary.scored,
                "class_changes": summary.class_changes,
            }
            print(f"{name}: {figures[f'{name}_s']} s {figures[name]}", flush=True)
    finally:
        await runtime.close()
    return figures


def _definition(raw: dict[str, Any]) -> dict[str, Any]:
    """The active definition as an input, with stricter thresholds (so customers move)."""
    return {**raw, "thresholds": {"a": "85", "b": "65", "c": "45"}}


def measure_simulation(bench: Bench) -> dict[str, Any]:
    """scorecardSimulation through GraphQL on a draft (median of three), end to end."""
    token = bench.token(["credit_manager"])
    with server(bench) as url, httpx.Client() as client:
        active = gql(client, url, token, ACTIVE)["activeScorecard"]["definition"]
        draft = gql(
            client, url, token, CREATE_DRAFT, {"input": {"definition": _definition(active)}}
        )
        version_id = draft["createScorecardVersion"]["version"]["id"]
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            data = gql(client, url, token, SIMULATE, {"id": version_id})
            timings.append(time.perf_counter() - start)
    sim = data["scorecardSimulation"]
    return {
        "simulation_s": round(statistics.median(timings), 2),
        "simulation_runs_s": [round(x, 2) for x in timings],
        "customers": sim["customers"],
        "moved": sim["moved"],
    }


def measure(bench: Bench, seeded: bool = False) -> dict[str, Any]:
    """Seed (unless the receivables benchmark already did) and run the scoring benchmarks."""
    figures: dict[str, Any] = {}
    if not seeded:
        figures["ledger_seed"] = seed_ledger(bench)
        print(f"seeded ledger {figures['ledger_seed']}", flush=True)
    figures["seed"] = seed_credit(bench)
    print(f"seeded credit data {figures['seed']}", flush=True)
    figures["rescoring"] = asyncio.run(_rescore(bench))
    figures["simulation"] = measure_simulation(bench)
    return figures


def report(figures: dict[str, Any]) -> None:
    """Print the figures beside their floors."""

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "BELOW FLOOR"

    r, s = figures["rescoring"], figures["simulation"]
    print(f"\n== credit scoring on {figures['seed']} ==")
    print(
        f"rescoring all {r['rescore_all']['customers']} customers: {r['rescore_all_s']} s "
        f"[floor {FLOORS['rescore_all_s']:.0f} s: "
        f"{verdict(r['rescore_all_s'] <= FLOORS['rescore_all_s'])}]; "
        f"nothing changed: {r['rescore_unchanged_s']} s ({r['rescore_unchanged']['scored']} "
        f"scored); monthly reclassification with classes applied: {r['reclassify_all_s']} s "
        f"({r['reclassify_all']['class_changes']} class changes)"
    )
    print(
        f"scorecardSimulation through GraphQL over {s['customers']} customers: "
        f"{s['simulation_s']} s median of {s['simulation_runs_s']} ({s['moved']} would move) "
        f"[floor {FLOORS['simulation_s']:.0f} s: "
        f"{verdict(s['simulation_s'] <= FLOORS['simulation_s'])}]"
    )


def main() -> None:
    """Run on its own database: `python -m benchmarks.credit_scoring`."""
    import json

    with database("bench_receivables", "bench-ar") as bench:
        figures = measure(bench)
        report(figures)
        print(json.dumps(figures, indent=2, default=str))


if __name__ == "__main__":
    main()
