"""Every job survives every row a mutation accepts.

Extreme but valid rows go in through the public mutations: the earliest and latest dates,
the largest amounts in every currency exponent (JPY 0, CNY 2, KWD 3), the longest texts;
then every scheduled job runs over them, on ordinary days and at both ends of the range, and
the reads that aggregate them answer. A second test posts more maximum invoices than any
BIGINT sum holds and checks the totals come out exact.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from domain import texts
from domain.money import MAX_DOCUMENT_MINOR, Money
from domain.roles import ALL_ROLES
from jobs.actors import WORK
from services.jobs import catalogue as job
from tests.conftest import gql, token
from tests.jobs.every_job import run_every_job, run_one
from tests.schema.any_mutation import mutate
from tests.services.test_delivery import configure
from tests.smtp_server import smtp_server as smtp_server  # the fixture, by its name

EARLIEST, LATEST = "1900-01-01", "2199-12-31"
CURRENCIES = ("JPY", "CNY", "KWD")
LARGEST = {c: Money(MAX_DOCUMENT_MINOR, c).to_decimal_string() for c in CURRENCIES}
ID = "id userErrors { field code }"
ERRORS = "userErrors { field code }"


def longest(limit: texts.TextLimit, mark: str = "长") -> str:
    """A text of exactly its limit (CJK: each character is three bytes in UTF-8)."""
    return (mark * limit.max_chars)[: limit.max_chars]


def unique(limit: texts.TextLimit, tag: str) -> str:
    """A text of exactly its limit that differs by tag."""
    return (tag + "-" + "X" * limit.max_chars)[: limit.max_chars]


async def _ok(client: Any, bearer: str, mutation: str, value: dict[str, Any], select: str) -> Any:
    payload = await mutate(client, bearer, mutation, value, select)
    assert payload["userErrors"] == [], (mutation, payload["userErrors"])
    return payload


def _customer(code: str) -> dict[str, Any]:
    email = "e" * (texts.EMAIL.max_chars - len("@example.com")) + "@example.com"
    return {
        "code": code,
        "legalName": longest(texts.LEGAL_NAME),
        "country": "SE",
        "registrationNumber": "R" * texts.CODE.max_chars,
        "industry": longest(texts.SHORT),
        "foundedOn": EARLIEST,
        "registeredCapital": {"amount": LARGEST["KWD"], "currency": "KWD"},
        "annualSales": {"amount": LARGEST["JPY"], "currency": "JPY"},
        "businessModel": longest(texts.SUMMARY),
        "companyHistory": longest(texts.TEXT),
        "salesperson": longest(texts.NAME),
        "contacts": [
            {
                "name": longest(texts.NAME),
                "role": longest(texts.SHORT),
                "phone": "8" * texts.PHONE.max_chars,
                "email": email,
            }
        ]
        * texts.MAX_CONTACTS,
    }


async def _seed_extremes(client: Any, bearer: str) -> str:
    """The extreme rows, each through its mutation; the customer's id."""
    customer = (
        await _ok(
            client,
            bearer,
            "createCustomer",
            _customer(unique(texts.CODE, "EXT")),
            "customer { id } userErrors { field code }",
        )
    )["customer"]["id"]
    invoices = []
    for currency in CURRENCIES:
        for n, (issue, due) in enumerate(
            [(EARLIEST, EARLIEST), (LATEST, LATEST), (EARLIEST, LATEST), (LATEST, None)]
        ):
            tag = f"{currency}{n}"
            value = {
                "number": unique(texts.REFERENCE, tag),
                "customerId": customer,
                "issueDate": issue,
                "amount": {"amount": LARGEST[currency], "currency": currency},
                "orderRef": longest(texts.REFERENCE),
                "externalId": unique(texts.REFERENCE, "ext" + tag),
                "salesperson": longest(texts.NAME),
                "idempotencyKey": unique(texts.REFERENCE, "key" + tag),
            }
            if due:
                value["dueDate"] = due
            invoices.append(
                (
                    await _ok(
                        client,
                        bearer,
                        "createInvoice",
                        value,
                        "invoice { id } userErrors { field code }",
                    )
                )["invoice"]["id"]
            )
        for on in (EARLIEST, LATEST):
            await _ok(
                client,
                bearer,
                "createPayment",
                {
                    "customerId": customer,
                    "receivedOn": on,
                    "amount": {"amount": LARGEST[currency], "currency": currency},
                    "reference": longest(texts.REFERENCE),
                    "idempotencyKey": unique(texts.REFERENCE, f"pay{currency}{on}"),
                },
                "payment { id } userErrors { field code }",
            )
        await _ok(
            client,
            bearer,
            "promiseToPay",
            {
                "customerId": customer,
                "promisedOn": LATEST,
                "amount": {"amount": LARGEST[currency], "currency": currency},
            },
            ID,
        )
    # the 2199 invoices are still open: a credit note, a dispute and a write-off on them
    jpy_late, cny_late, kwd_late = invoices[1], invoices[5], invoices[9]
    await _ok(
        client,
        bearer,
        "createCreditNote",
        {
            "number": unique(texts.REFERENCE, "CN"),
            "invoiceId": jpy_late,
            "issueDate": LATEST,
            "amount": {"amount": "1", "currency": "JPY"},
            "reason": longest(texts.NOTE),
            "externalId": unique(texts.REFERENCE, "cn-ext"),
            "idempotencyKey": unique(texts.REFERENCE, "cn"),
        },
        "invoice { id } userErrors { field code }",
    )
    await _ok(
        client,
        bearer,
        "openDispute",
        {"invoiceId": kwd_late, "amount": "0.001", "reason": longest(texts.NOTE)},
        "userErrors { field code }",
    )
    proposal = (
        await _ok(
            client,
            token_for("carl"),
            "proposeWriteOff",
            {
                "customerId": customer,
                "reason": longest(texts.NOTE),
                "evidence": [longest(texts.EVIDENCE)] * texts.MAX_EVIDENCE,
                "lines": [{"invoiceId": cny_late, "amount": "0.01"}],
                "idempotencyKey": unique(texts.REFERENCE, "wo"),
            },
            "proposal { id } userErrors { field code }",
        )
    )["proposal"]["id"]
    for approver in ("fay",):  # 0.01 needs finance only
        await _ok(
            client,
            token_for(approver),
            "decideWriteOff",
            {"id": proposal, "approve": True, "note": longest(texts.NOTE)},
            "userErrors { field code }",
        )
    case = (
        await _ok(
            client,
            bearer,
            "postWriteOff",
            {
                "id": proposal,
                "effectiveOn": LATEST,
                "idempotencyKey": unique(texts.REFERENCE, "post"),
            },
            "case { id } userErrors { field code }",
        )
    )["case"]["id"]
    await _ok(
        client,
        bearer,
        "recordRecovery",
        {
            "caseId": case,
            "amount": "0.01",
            "receivedOn": LATEST,
            "reference": longest(texts.REFERENCE),
            "idempotencyKey": unique(texts.REFERENCE, "rec"),
        },
        "userErrors { field code }",
    )
    await _ok(
        client,
        bearer,
        "recordBadDebtLessons",
        {
            "caseId": case,
            "lessons": longest(texts.NOTE),
            "cause": longest(texts.NOTE),
        },
        "userErrors { field code }",
    )
    await _ok(
        client,
        bearer,
        "createPaymentPlan",
        {
            "customerId": customer,
            "currency": "CNY",
            "instalments": [
                {"dueOn": (date(2199, 1, 1) + timedelta(days=n)).isoformat(), "amount": "1.00"}
                for n in range(120)
            ],
        },
        ID,
    )
    await _ok(
        client,
        bearer,
        "recordActivity",
        {
            "customerId": customer,
            "kind": "CALL",
            "occurredAt": f"{EARLIEST}T00:00:00+00:00",
            "outcome": longest(texts.SHORT),
            "notes": longest(texts.NOTE),
            "documentRef": longest(texts.REFERENCE),
        },
        ID,
    )
    await _ok(
        client,
        bearer,
        "addCreditFileEntry",
        {
            "customerId": customer,
            "occurredOn": EARLIEST,
            "kind": "NOTE",
            "title": longest(texts.NAME),
            "body": longest(texts.TEXT),
            "documentRef": longest(texts.REFERENCE),
        },
        "userErrors { field code }",
    )
    terms = unique(texts.CODE, "T")[:32].upper()
    await _ok(
        client,
        bearer,
        "savePaymentTerms",
        {
            "code": terms,
            "name": longest(texts.NAME),
            "kind": "INSTALMENTS",
            "instalments": [{"percent": "1", "offsetDays": 3650 - 99 + n} for n in range(59)]
            + [{"percent": "41", "offsetDays": 3650}],
        },
        "userErrors { field code }",
    )
    await _ok(
        client,
        bearer,
        "setCustomerCreditTerms",
        {
            "id": customer,
            "version": 1,
            "paymentTermsCode": terms,
            "lateInterestDailyRate": "0.00999999",
        },
        "userErrors { field code }",
    )
    await _ok(
        client,
        bearer,
        "createInvoice",
        {
            "number": unique(texts.REFERENCE, "split"),
            "customerId": customer,
            "issueDate": LATEST,
            "amount": {"amount": LARGEST["KWD"], "currency": "KWD"},
            "idempotencyKey": unique(texts.REFERENCE, "split"),
        },
        "userErrors { field code }",
    )
    return str(customer)


async def _insure_and_notify(client: Any, bearer: str, customer: str, invoice: str) -> None:
    """A policy with the longest names, a cover, and the insurer told of the overdue invoice
    (its letter is rendered by a job)."""
    policy = (
        await _ok(
            client,
            bearer,
            "createInsurancePolicy",
            {
                "insurer": longest(texts.NAME),
                "policyNumber": unique(texts.AGREEMENT_NUMBER, "POL"),
                "startsOn": "2026-01-01",
                "endsOn": "2026-12-31",
                "maxLiability": {"amount": "1000000.00", "currency": "CNY"},
                "premiumRatePercent": "0.35",
                "coverRequired": False,
            },
            "policy { id } userErrors { field code }",
        )
    )["policy"]["id"]
    cover = (
        await _ok(
            client,
            bearer,
            "requestBuyerCover",
            {
                "policyId": policy,
                "customerId": customer,
                "amount": {"amount": "50000.00", "currency": "CNY"},
                "effectiveOn": "2026-01-10",
                "note": longest(texts.DESCRIPTION),
            },
            "cover { id version } userErrors { field code }",
        )
    )["cover"]
    granted = (
        await _ok(
            client,
            bearer,
            "decideBuyerCover",
            {
                "id": cover["id"],
                "status": "GRANTED",
                "amount": {"amount": "50000.00", "currency": "CNY"},
                "effectiveOn": "2026-01-15",
                "version": cover["version"],
            },
            "cover { version } userErrors { field code }",
        )
    )["cover"]
    # a cut later in the year runs the customer's warning rules at once
    await _ok(
        client,
        bearer,
        "decideBuyerCover",
        {
            "id": cover["id"],
            "status": "REDUCED",
            "amount": {"amount": "40000.00", "currency": "CNY"},
            "effectiveOn": "2026-06-01",
            "version": granted["version"],
            "note": longest(texts.DESCRIPTION),
        },
        "userErrors { field code }",
    )
    await _ok(
        client,
        bearer,
        "notifyInsurer",
        {"customerId": customer, "invoiceIds": [invoice], "notifiedOn": "2026-05-02"},
        "userErrors { field code }",
    )


def token_for(subject: str) -> str:
    """Set by the test: a token for another person (proposer, approvers)."""
    return TOKENS[subject]


TOKENS: dict[str, str] = {}
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
    customer = await _seed_extremes(client, bearer)
    tenant = tenants["acme"]
    # and a mail server, so statements are e-mailed and a letter goes to every contact
    await configure(runtime, tenant, smtp_server)
    overdue = (
        await _ok(
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
    await _insure_and_notify(client, bearer, customer, overdue)
    await _ok(
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


async def test_sums_of_more_maximum_documents_than_a_bigint_holds_are_exact(
    client, settings, runtime, tenants, database
):
    currency = "CNY"
    # given 9,300 invoices of the largest amount: 9.3 x 10^18 minor units, beyond a BIGINT
    bearer = token(settings, roles=sorted(ALL_ROLES), sub="dora")
    for n in range(10):
        await _ok(
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
