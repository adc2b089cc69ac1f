"""`make bench`: every benchmark in turn on one seeded database, then a JSON summary."""

from __future__ import annotations

import json
import time

from benchmarks import (
    compiled,
    credit_check,
    credit_scoring,
    graphql_http,
    peer,
    receivables,
    risk_security,
    risk_transfer,
    sql_statements,
    subscriptions,
    warning_rules,
)
from benchmarks.harness import database, seed_customers

CUSTOMERS = 10_000  #: the tenant size the foundation issue measures on


def main() -> None:
    """Seed once, run each benchmark, print figures and a JSON summary."""
    summary: dict[str, object] = {}
    started = time.monotonic()
    with database() as bench:
        seed_customers(bench, CUSTOMERS)
        print(f"seeded {CUSTOMERS} customers (2 partners, 3 dossier entries each)")
        for name, module in (
            ("graphql_http", graphql_http),
            ("sql_statements", sql_statements),
            ("subscriptions", subscriptions),
            ("postgraphile", peer),
            ("compiled_documents", compiled),
        ):
            figures = module.measure(bench)  # type: ignore[attr-defined]
            module.report(figures)  # type: ignore[attr-defined]
            summary[name] = figures
        cost = graphql_http.cost_overhead(bench)
        graphql_http.report_cost(cost)
        summary["cost_analysis"] = cost
        # receivables at scale: a database of their own (50,000 customers, 1M invoices) on
        # the same server, which stops when the inner block ends
        with database("bench_receivables", "bench-ar", fresh_server=False) as big:
            figures = receivables.measure(big)
            receivables.report(figures)
            summary["receivables"] = figures
            # credit scoring on the same 50,000-customer, 1M-invoice tenant
            credit = credit_scoring.measure(big, seeded=True)
            credit_scoring.report(credit)
            summary["credit_scoring"] = credit
            # risk transfer, part B, on the same seeded tenant (covers, factoring added)
            figures = risk_transfer.measure(big, seeded=True)
            risk_transfer.report(figures)
            summary["risk_transfer"] = figures
            # risk security, part A: guarantees and collateral added to the same tenant
            figures = risk_security.measure(big, seeded=True)
            risk_security.report(figures)
            summary["risk_security"] = figures
            # issue 11 asks for the insurance-deadline and guarantee-period sweep together
            both = summary["risk_transfer"]["sweep"]["first_run_s"] + figures["sweep_s"]  # type: ignore[index]
            print(
                f"daily sweep, insurance deadlines + guarantee periods (first runs): {both:.2f} s "
                f"[floor 30 s: {'PASS' if both <= 30 else 'BELOW FLOOR'}]"
            )
            # the nightly early-warning rules on the same tenant (scores and classes included)
            warnings = warning_rules.measure(big, seeded=True)
            warning_rules.report(warnings)
            summary["warning_rules"] = warnings
        # the credit check on the same scale, in its own database (issue 10, limits part)
        with database("bench_credit", "bench-credit", fresh_server=False) as credit:
            figures = credit_check.measure(credit)
            credit_check.report(figures)
            summary["credit_check"] = figures
    summary["seconds"] = round(time.monotonic() - started, 1)
    print(json.dumps(summary, indent=2, default=str))


if __name__ == "__main__":
    main()
