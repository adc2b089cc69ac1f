"""The nightly early-warning rules over the 50,000-customer, 1,000,000-invoice tenant.

Adds what the ledger seed lacks for the rules to have work (aging snapshots 30 days apart,
a partners graph for contagion, legal records, reversed payments), runs the rules, then runs
them again: the re-run must raise nothing new.
"""

from __future__ import annotations

import asyncio
import os
import time
from datetime import date
from typing import Any

from benchmarks import receivables
from benchmarks.harness import Bench, database, kept_database

FLOORS = {"run_s": 60.0}
TODAY = date.today()


def seed_signals(bench: Bench) -> dict[str, Any]:
    """Snapshots today and 30 days ago, 5,000 parent links, 500 legal records, 500 bounces."""
    started = time.monotonic()
    t = bench.tenant_id
    for days_ago, drift in ((30, 0), (0, 25)):
        bench.sql(
            """INSERT INTO aging_snapshots (tenant_id, as_of, customer_id, currency, open_minor,
                   overdue_minor, buckets, weighted_days_past_due)
               SELECT %s, current_date - %s, customer_id, currency, sum(open_minor),
                      sum(open_minor) FILTER (WHERE due_date < current_date), '{}'::jsonb,
                      least(9999, avg(greatest(current_date - due_date, 0))
                                  + CASE WHEN hashtext(customer_id::text) %% 5 = 0
                                         THEN %s ELSE 0 END)
                 FROM invoices WHERE tenant_id = %s AND open_minor > 0
                GROUP BY customer_id, currency
               ON CONFLICT DO NOTHING""",
            t, days_ago, drift, t,
        )  # fmt: skip
    bench.sql(
        """INSERT INTO customer_relations (tenant_id, customer_id, related_customer_id, kind)
           SELECT %s, c.id, p.id, 'PARENT' FROM
             (SELECT id, row_number() OVER (ORDER BY code) AS n FROM customers
               WHERE tenant_id = %s) c
             JOIN (SELECT id, row_number() OVER (ORDER BY code) AS n FROM customers
                    WHERE tenant_id = %s) p
               ON p.n = c.n + 1
            WHERE c.n %% 10 = 0 ON CONFLICT DO NOTHING""",
        t,
        t,
        t,
    )
    bench.sql(
        """INSERT INTO credit_external_records (tenant_id, customer_id, kind, source, source_ref,
               recorded_on, evidence, legal_kind, role, status, case_number, court, filed_on,
               fingerprint, created_by)
           SELECT %s, id, 'LEGAL_RECORD', 'bench', 'legal-' || code, current_date - 10, 'bench',
                  CASE WHEN n %% 2 = 0 THEN 'LAWSUIT' ELSE 'ENFORCEMENT' END, 'DEFENDANT',
                  'OPEN', 'case-' || code, 'court', current_date - 10, 'bench', 'bench'
             FROM (SELECT id, code, row_number() OVER (ORDER BY code) AS n FROM customers
                    WHERE tenant_id = %s) c
            WHERE n %% 100 = 7 ON CONFLICT DO NOTHING""",
        t,
        t,
    )
    bench.sql(
        """UPDATE payments SET status = 'REVERSED', reversed_at = now() - interval '3 days',
               reversal_reason = 'bounced'
            WHERE tenant_id = %s
              AND id IN (SELECT id FROM payments WHERE tenant_id = %s ORDER BY id LIMIT 500)""",
        t,
        t,
    )
    bench.sql("VACUUM ANALYZE")
    return {"seconds": round(time.monotonic() - started, 1)}


async def _runs(bench: Bench) -> dict[str, Any]:
    from infra.runtime import open_runtime
    from infra.settings import load
    from services.uow import UnitOfWork
    from services.warnings.engine import run_rules

    os.environ.update({"DATABASE_URL": bench.owner_url, "APP_DATABASE_URL": bench.app_url})
    runtime = open_runtime(load())
    figures: dict[str, Any] = {}
    try:
        for name in ("run", "rerun"):
            start = time.perf_counter()
            async with UnitOfWork(runtime.engine, bench.tenant_id) as uow:
                tally = await run_rules(uow, TODAY)
                await uow.commit()
            figures[f"{name}_s"] = round(time.perf_counter() - start, 2)
            figures[name] = {
                "customers": tally.customers,
                "findings": tally.findings,
                "raised": tally.raised,
                "level_raised": tally.level_raised,
                "responses": tally.responses,
                "held": tally.held,
            }
            print(f"warning rules {name}: {figures[f'{name}_s']} s {figures[name]}", flush=True)
    finally:
        await runtime.close()
    by_kind = bench.sql("SELECT kind, level, count(*) FROM warnings GROUP BY 1, 2 ORDER BY 1, 2")
    figures["warnings"] = {f"{k}/{lv}": int(n) for k, lv, n in by_kind}  # type: ignore[call-overload]
    return figures


def measure(bench: Bench, seeded: bool = False) -> dict[str, Any]:
    """Seed (unless the receivables benchmark already did), add signals, run twice."""
    figures: dict[str, Any] = {}
    if not seeded:
        figures["ledger_seed"] = receivables.seed(bench)
        print(f"seeded ledger {figures['ledger_seed']}", flush=True)
    figures["signals_seed"] = seed_signals(bench)
    figures |= asyncio.run(_runs(bench))
    return figures


def report(figures: dict[str, Any]) -> None:
    """Print the figures beside their floor."""
    run, rerun = figures["run"], figures["rerun"]
    ok = figures["run_s"] <= FLOORS["run_s"] and rerun["raised"] == 0
    print(f"\n== warning rules on {run['customers']} customers ==")
    print(
        f"nightly run: {figures['run_s']} s, {run['raised']} warnings raised from "
        f"{run['findings']} findings, {run['responses']} responses, {run['held']} holds; "
        f"re-run {figures['rerun_s']} s raising {rerun['raised']} (level raises "
        f"{rerun['level_raised']}) [floor 60 s and nothing new: {'PASS' if ok else 'BELOW FLOOR'}]"
    )


def _seed_all(bench: Bench) -> dict[str, Any]:
    """The ledger and the signals: what a kept copy holds."""
    return {"ledger_seed": receivables.seed(bench), "signals_seed": seed_signals(bench)}


def main(argv: list[str] | None = None) -> None:
    """Run on its own database: `python -m benchmarks.warning_rules [--reuse]`."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="start from the seeded tenant the bench server keeps (seeded the first time)",
    )
    args = parser.parse_args(argv)
    if args.reuse:
        with kept_database("bench_warnings", "bench-warnings", _seed_all) as (bench, seeded):
            figures = dict(seeded) | asyncio.run(_runs(bench))
    else:
        with database("bench_warnings", "bench-warnings") as bench:
            figures = measure(bench)
    report(figures)
    print(json.dumps(figures, indent=2, default=str))


if __name__ == "__main__":
    main()
