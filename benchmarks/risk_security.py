"""Risk security (issue 11 part A) at scale: the net retained risk waterfall for the portfolio
and for one customer, and the daily guarantee sweep, on the 50,000-customer, 1,000,000-invoice
tenant with guarantees on a tenth of the customers and collateral on a twentieth.

`python -m benchmarks.risk_security` seeds its own database; run_all.py runs it on the
receivables tenant already seeded. Figures are service calls (one read session each, as a
request has), not HTTP; on a shared machine they are figures under load.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from datetime import date
from typing import Any
from uuid import UUID

from benchmarks.harness import Bench, database

FLOORS = {"portfolio_s": 5.0, "one_customer_p99_ms": 20.0, "sweep_s": 30.0}
ONE_CUSTOMER_CALLS = 300  #: calls timed for the one-customer percentile
TODAY = date.today()


def seed_security(bench: Bench) -> dict[str, Any]:
    """Guarantors and guarantees on every tenth customer (kinds, scopes and periods mixed,
    a fifth of them expiring within the month), collateral on every twentieth, a USD rate."""
    started = time.monotonic()
    t = bench.tenant_id
    bench.sql(
        """INSERT INTO exchange_rates (tenant_id, base, quote, rate, effective_on, created_by)
           VALUES (%s, 'USD', 'CNY', 7.1, current_date - 3650, 'bench')""",
        t,
    )
    bench.sql(
        """INSERT INTO guarantors (tenant_id, kind, name, identity_number, created_by)
           SELECT %s, 'COMPANY', '担保人 ' || g, '9111' || lpad(g::text, 14, '0'), 'bench'
             FROM generate_series(1, 100) g""",
        t,
    )
    bench.sql(
        """WITH c AS (SELECT id, row_number() OVER (ORDER BY code) AS n FROM customers
                       WHERE tenant_id = %s),
                g AS (SELECT id, row_number() OVER (ORDER BY name) AS n FROM guarantors)
           INSERT INTO guarantees (tenant_id, reference, guarantor_id, customer_id, kind, scope,
               amount_minor, currency, valid_from, valid_to, period_months, created_by)
           SELECT %s, 'G-' || c.n, g.id, c.id,
                  (ARRAY['GENERAL','JOINT_AND_SEVERAL','BANK_GUARANTEE',
                         'STANDBY_LC'])[1 + c.n %% 4],
                  CASE WHEN c.n %% 3 = 0 THEN 'UP_TO_AMOUNT' ELSE 'ALL_DEBTS' END,
                  1000000 + c.n * 100, 'CNY', current_date - 1500,
                  current_date + CASE WHEN c.n %% 50 = 0 THEN 20 ELSE 400 END,
                  CASE WHEN c.n %% 2 = 0 THEN NULL ELSE 12 END, 'bench'
             FROM c JOIN g ON g.n = 1 + c.n %% 100 WHERE c.n %% 10 = 0""",
        t,
        t,
    )
    bench.sql(
        """WITH c AS (SELECT id, row_number() OVER (ORDER BY code) AS n FROM customers
                       WHERE tenant_id = %s)
           INSERT INTO collateral (tenant_id, reference, customer_id, form, asset_kind,
               description, appraised_minor, currency, appraised_on, haircut_percent,
               valid_from, created_by)
           SELECT %s, 'M-' || c.n, c.id, 'MORTGAGE', 'EQUIPMENT', '设备', 5000000, 'CNY',
                  current_date - CAST(c.n %% 400 AS int), 30, current_date - 400, 'bench'
             FROM c WHERE c.n %% 20 = 0""",
        t,
        t,
    )
    bench.sql("VACUUM ANALYZE guarantees, collateral, guarantors")
    counts = bench.sql(
        "SELECT (SELECT count(*) FROM guarantees), (SELECT count(*) FROM collateral)"
    )
    return {
        "guarantees": counts[0][0],
        "collateral": counts[0][1],
        "seed_s": round(time.monotonic() - started, 1),
    }


async def _measure(bench: Bench) -> dict[str, Any]:
    from infra.runtime import open_runtime
    from infra.settings import load
    from services.read_session import ReadSession
    from services.risk import guarantee_sweep, waterfall
    from services.uow import UnitOfWork

    os.environ.update({"DATABASE_URL": bench.owner_url, "APP_DATABASE_URL": bench.app_url})
    runtime = open_runtime(load())
    tenant = UUID(bench.tenant_id)
    try:
        session = ReadSession(runtime.engine, tenant)
        start = time.perf_counter()
        total = await waterfall.portfolio_waterfall(session, TODAY)
        portfolio_s = time.perf_counter() - start
        await session.close()
        rows = bench.sql(
            "SELECT customer_id FROM guarantees ORDER BY customer_id LIMIT %s", ONE_CUSTOMER_CALLS
        )
        timings = []
        for (customer_id,) in rows:
            session = ReadSession(runtime.engine, tenant)
            start = time.perf_counter()
            await waterfall.risk_waterfall(session, customer_id, TODAY)  # type: ignore[arg-type]
            await session.close()
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        sweeps = []
        for _ in range(2):  # the first run records, the second finds nothing new
            start = time.perf_counter()
            async with UnitOfWork(runtime.engine, tenant) as uow:
                result = await guarantee_sweep.sweep(uow, TODAY)
                await uow.commit()
            sweeps.append((time.perf_counter() - start, result))
    finally:
        await runtime.close()
    first = sweeps[0][1]
    return {
        "portfolio_s": round(portfolio_s, 2),
        "portfolio_customers": total.customers,
        "portfolio_gross": str(total.gross.minor),
        "portfolio_net": str(total.net.minor),
        "one_customer_p50_ms": round(statistics.median(timings), 1),
        "one_customer_p99_ms": round(timings[int(len(timings) * 0.99) - 1], 1),
        "one_customer_calls": len(timings),
        "sweep_s": round(sweeps[0][0], 2),
        "sweep_rerun_s": round(sweeps[1][0], 2),
        "sweep_notices": {
            "period_lapsing": first.period_lapsing, "period_lapsed": first.period_lapsed,
            "expiring": first.expiring, "expired": first.expired,
            "propose_release": first.propose_release, "reappraisals": first.reappraisals,
        },
    }  # fmt: skip


def measure(bench: Bench, seeded: bool = False) -> dict[str, Any]:
    """Seed guarantees and collateral (and the receivables tenant unless seeded), then time."""
    figures: dict[str, Any] = {}
    if not seeded:
        from benchmarks import receivables

        figures["receivables_seed"] = receivables.seed(bench)
    figures["seed"] = seed_security(bench)
    print(f"risk security seeded {figures['seed']}", flush=True)
    figures.update(asyncio.run(_measure(bench)))
    return figures


def report(figures: dict[str, Any]) -> None:
    """Print the figures beside the issue's floors."""

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "BELOW FLOOR"

    print(f"\n== risk security on {figures['seed']} (service calls; under load if shared) ==")
    print(
        f"portfolio waterfall: {figures['portfolio_s']} s over {figures['portfolio_customers']} "
        f"customers [floor 5 s: {verdict(figures['portfolio_s'] <= FLOORS['portfolio_s'])}]"
    )
    print(
        f"one customer's waterfall: p50 {figures['one_customer_p50_ms']} ms, p99 "
        f"{figures['one_customer_p99_ms']} ms over {figures['one_customer_calls']} calls "
        f"[floor 20 ms: "
        f"{verdict(figures['one_customer_p99_ms'] <= FLOORS['one_customer_p99_ms'])}]"
    )
    print(
        f"guarantee sweep: {figures['sweep_s']} s (re-run {figures['sweep_rerun_s']} s), "
        f"{figures['sweep_notices']} [floor 30 s: "
        f"{verdict(figures['sweep_s'] <= FLOORS['sweep_s'])}]"
    )


def main() -> None:
    """Run on its own database: `python -m benchmarks.risk_security`."""
    import json

    with database("bench_receivables", "bench-ar") as bench:
        figures = measure(bench)
        report(figures)
        print(json.dumps(figures, indent=2, default=str))


if __name__ == "__main__":
    main()
