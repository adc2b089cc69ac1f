"""Totals stay exact past a BIGINT: more maximum invoices than any BIGINT sum holds go in,
the day's jobs run over them, and every aggregate read gives the exact total.
"""

from __future__ import annotations

from datetime import date

from domain.money import MAX_DOCUMENT_MINOR, Money
from domain.roles import ALL_ROLES
from services.jobs import catalogue as job
from tests.conftest import gql, token
from tests.jobs.every_job import run_every_job, run_one
from tests.jobs.extreme_values import ERRORS, LARGEST, ok
from tests.schema.any_mutation import mutate


async def test_sums_of_more_maximum_documents_than_a_bigint_holds_are_exact(
    client, settings, runtime, tenants, database
):
    currency = "CNY"
    # given 9,300 invoices of the largest amount: 9.3 x 10^18 minor units, beyond a BIGINT
    bearer = token(settings, roles=sorted(ALL_ROLES), sub="dora")
    for n in range(10):
        await ok(
            client,
            bearer,
            "createCustomer",
            {"code": f"SUM-{n}", "legalName": f"合计 {n}", "country": "CN"},
            ERRORS,
        )
    today = date.today()
    rows = [
        {
            "externalId": f"sum-{n}",
            "number": f"SUM-INV-{n}",
            "customerCode": f"SUM-{n % 10}",
            "issueDate": today.isoformat(),
            "amount": LARGEST[currency],
            "currency": currency,
        }
        for n in range(9300)
    ]
    for batch in (rows[:5000], rows[5000:]):
        payload = await mutate(
            client,
            bearer,
            "importInvoices",
            {"rows": batch},
            "created failed userErrors { field code }",
        )
        assert payload["failed"] == 0
    expected = Money(9300 * MAX_DOCUMENT_MINOR, currency).to_decimal_string()
    # when the day's jobs and a provision run for today run over them
    tenant = tenants["acme"]
    outcomes = await run_every_job(runtime, tenant, [today], "sums")
    outcomes.append(
        (
            "run_provisions",
            await run_one(runtime, tenant, job.RUN_PROVISIONS, job.PeriodEnd(today), "sums:today"),
        )
    )
    # then they succeed and every total is exact
    assert {o for _, o in outcomes} <= {"SUCCEEDED", "ALREADY_DONE"}, outcomes
    body = await gql(
        client,
        """query S($d: Date!) { aging(asOf: $d) { totals { total { amount } } }
             receivablesKpis(from: $d, to: $d) { closing { amount } }
             agingTrend(from: $d, to: $d) { open { amount } }
             provisionRuns(periodEnd: $d) { totals { open { amount } } } }""",
        {"d": today.isoformat()},
        bearer,
    )
    assert "errors" not in body, body
    data = body["data"]
    assert data["aging"]["totals"][0]["total"]["amount"] == expected
    assert data["receivablesKpis"][0]["closing"]["amount"] == expected
    assert data["agingTrend"][0]["open"]["amount"] == expected
    assert data["provisionRuns"][0]["totals"][0]["open"]["amount"] == expected
