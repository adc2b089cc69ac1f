"""Every job survives every row a mutation accepts.

Extreme but valid rows go in through the public mutations: the earliest and latest dates,
the largest amounts in every currency exponent (JPY 0, CNY 2, KWD 3), the longest texts;
then every scheduled job runs over them, on ordinary days and at both ends of the range, and
the reads that aggregate them answer.
"""

from __future__ import annotations

from datetime import date

from domain import texts
from domain.roles import ALL_ROLES
from jobs.actors import WORK
from services.jobs import catalogue as job
from tests.conftest import gql, token
from tests.jobs.every_job import run_every_job, run_one
from tests.jobs.extreme_insurance import insure_and_notify
from tests.jobs.extreme_receivables import seed_extremes
from tests.jobs.extreme_values import CURRENCIES, TOKENS, ok, unique
from tests.services.test_delivery import configure
from tests.smtp_server import smtp_server as smtp_server  # the fixture, by its name

READS = """query R($from: Date!, $to: Date!) {
  early: aging(asOf: "1900-01-01") { totals { currency total { amount } } }
  late: aging(asOf: "2199-12-31", basis: AGE) { totals { currency total { amount } } }
  receivablesKpis(from: $from, to: $to) { currency dso closing { amount } }
  agingTrend(from: "2199-01-01", to: "2199-12-31") { asOf }
  provisionRuns { periodEnd totals { currency provision { amount } } }
  statements { period }
  invoices(first: 100) { edges { node { accruedInterest(asOf: "2199-12-31") { amount } } } }
}"""


async def test_every_job_runs_over_extreme_but_valid_rows(
    client, settings, runtime, tenants, database, smtp_server
):
    # given the extreme rows, posted through the public mutations
    bearer = token(settings, roles=sorted(ALL_ROLES), sub="dora")
    TOKENS.update(
        carl=token(settings, roles=["collector"], sub="carl"),
        fay=token(settings, roles=["finance"], sub="fay"),
        mia=token(settings, roles=["credit_manager"], sub="mia"),
    )
    customer = await seed_extremes(client, bearer)
    tenant = tenants["acme"]
    # and a mail server, so statements are e-mailed and a letter goes to every contact
    await configure(runtime, tenant, smtp_server)
    overdue = (
        await ok(
            client,
            bearer,
            "createInvoice",
            {
                "number": unique(texts.REFERENCE, "overdue"),
                "customerId": customer,
                "issueDate": "2026-03-01",
                "dueDate": "2026-03-31",
                "amount": {"amount": "20000.00", "currency": "CNY"},
                "idempotencyKey": unique(texts.REFERENCE, "overdue"),
            },
            "invoice { id } userErrors { field code }",
        )
    )["invoice"]["id"]
    await insure_and_notify(client, bearer, customer, overdue)
    await ok(
        client,
        bearer,
        "sendDunningLetter",
        {"customerId": customer, "kind": "DEMAND", "channel": "EMAIL"},
        "userErrors { field code }",
    )
    # when every scheduled job runs, today and at both ends of the range, and a provision
    # run and a collections day are asked for at the very last day
    today = date.today()
    days = [today, today.replace(day=1), date(1900, 2, 1), date(2199, 12, 1), date(2199, 12, 31)]
    outcomes = await run_every_job(runtime, tenant, days, "extreme")
    outcomes.append(
        (
            "run_provisions",
            await run_one(
                runtime,
                tenant,
                job.RUN_PROVISIONS,
                job.PeriodEnd(date(2199, 12, 31)),
                "extreme:last",
            ),
        )
    )
    # then every job succeeded, every kind of job ran
    assert database.query("SELECT actor, error FROM jobs WHERE status = 'FAILED'") == []
    assert {o for _, o in outcomes} <= {"SUCCEEDED", "ALREADY_DONE"}, outcomes
    assert {name for name, _ in outcomes} == {w.spec.name for w in WORK}
    # and the letter and the statements reached the mail server
    assert database.query("SELECT DISTINCT status FROM document_deliveries") == [("SENT",)]
    assert smtp_server.handler.received
    # and the reads over them answer, without an error
    body = await gql(client, READS, {"from": "2199-01-01", "to": "2199-12-31"}, bearer)
    assert "errors" not in body, body["errors"]
    totals = {t["currency"] for t in body["data"]["late"]["totals"]}
    assert totals == set(CURRENCIES)
