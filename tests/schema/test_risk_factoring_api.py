"""Factoring through GraphQL and HTTP: agreement, assignment with reasons, notices, collections,
the sub-ledger and its reconciliations; bad input refused with nothing written."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from schema.relay import to_global_id
from services.ledger import disputes
from tests.conftest import gql, token
from tests.services.risk_fixtures import customer, invoice, pay, uow_for

ON = date(2026, 5, 1)
AGREEMENT = """mutation A($input: CreateFactoringAgreementInput!) {
  createFactoringAgreement(input: $input) {
    agreement { id reference recourse disclosed advancePercent allowedClasses
                remittance { bank accountNumber } }
    userErrors { field code message } } }"""
ASSIGN = """mutation S($input: AssignInvoicesInput!) { assignInvoices(input: $input) {
  batch { id invoiceCount totals { amount currency }
          notices { customer { code } document { id url(lang: "zh-CN") } } }
  replayed userErrors { field code message } } }"""
COLLECT = """mutation C($input: RecordFactoringCollectionInput!) {
  recordFactoringCollection(input: $input) {
    factoredInvoice { status face { amount } position { factoredOpen { amount }
                      reserve { amount } owedToFactor { amount } } }
    userErrors { field code } } }"""
BUY_BACK = """mutation B($input: BuyBackInvoiceInput!) { buyBackInvoice(input: $input) {
  factoredInvoice { status } userErrors { field code message } } }"""
READS = """query R($agreement: ID, $asOf: Date) {
  factoredInvoices(agreementId: $agreement) { totalCount edges { node { status
    invoice { number } agreement { reference } } } }
  factoringEntries(agreementId: $agreement, first: 50) { totalCount edges { node { kind
    invoiceNumber amount { amount } receivedBy } } }
  factoringReconciliation(agreementId: $agreement, asOf: $asOf) { compared
    differences { invoiceNumber factored { amount } ledger { amount } } } }"""
LIMIT = """mutation L($input: SetFactoringDebtorLimitInput!) {
  setFactoringDebtorLimit(input: $input) {
    agreement { debtorLimits { approved limit { amount } } } userErrors { code } } }"""
DOCUMENT_URL = """query U($id: ID!) { node(id: $id) { ... on RiskDocument { url(lang: "fr") } } }"""
ELIGIBILITY = """query E($agreement: ID!, $ids: [ID!]!, $on: Date) {
  assignmentEligibility(agreementId: $agreement, invoiceIds: $ids, on: $on) {
    index reasons } }"""


def agreement_input(**extra: Any) -> dict[str, Any]:
    """A valid CreateFactoringAgreementInput: disclosed, with recourse, CNY."""
    return {
        "factor": "平安商业保理有限公司",
        "reference": "PA-2026-01",
        "recourse": True,
        "disclosed": True,
        "currencies": ["CNY"],
        "commissionPercent": "0.5",
        "interestPercent": "7.3",
        "startsOn": "2026-01-01",
        "remittance": {"bank": "平安银行深圳分行", "accountNumber": "1500 0000 8888"},
        **extra,
    }


def gid(raw: Any) -> str:
    return to_global_id("Invoice", raw)


@pytest.fixture
async def setup(client, settings, runtime, tenants) -> dict[str, Any]:
    """A finance token and invoices of an A-class customer: one clean, one disputed, one paid,
    one in USD, one overdue."""
    async with uow_for(runtime, tenants["acme"]) as uow:
        c = await customer(uow, "FAC-1", "A")
        due = ON + timedelta(days=30)
        made = {
            name: await invoice(uow, c, name, ON, due, "10000.00", currency)
            for name, currency in (("OK", "CNY"), ("DIS", "CNY"), ("PAID", "CNY"), ("USD", "USD"))
        }
        made["LATE"] = await invoice(
            uow, c, "LATE", ON - timedelta(days=40), ON - timedelta(1), "1.00"
        )
        await disputes.open_dispute(uow, made["DIS"], "100.00", "质量问题")
        await pay(uow, c, made["PAID"], "10000.00", ON, "paid")
        await uow.commit()
    return {
        "finance": token(settings, roles=["finance"], sub="fiona"),
        "customer": to_global_id("Customer", c),
        "invoices": {k: gid(v) for k, v in made.items()},
    }


async def test_assign_collect_and_reconcile(client, setup, database):
    # given an agreement
    bearer = setup["finance"]
    made = await gql(client, AGREEMENT, {"input": agreement_input()}, bearer)
    agreement = made["data"]["createFactoringAgreement"]["agreement"]
    assert agreement["advancePercent"] == "80" and agreement["allowedClasses"] == list("ABCD")
    # when the clean invoice is assigned (twice with one key) and paid to the factor
    assign = {
        "agreementId": agreement["id"],
        "invoiceIds": [setup["invoices"]["OK"]],
        "assignedOn": ON.isoformat(),
        "idempotencyKey": "batch-1",
    }
    first = await gql(client, ASSIGN, {"input": assign}, bearer)
    replay = await gql(client, ASSIGN, {"input": assign}, bearer)
    collected = await gql(
        client,
        COLLECT,
        {
            "input": {
                "invoiceId": setup["invoices"]["OK"],
                "amount": "4000.00",
                "receivedOn": (ON + timedelta(days=10)).isoformat(),
                "receivedBy": "FACTOR",
                "idempotencyKey": "col-1",
            }
        },
        bearer,
    )
    reads = await gql(
        client,
        READS,
        {"agreement": agreement["id"], "asOf": (ON + timedelta(days=10)).isoformat()},
        bearer,
    )
    # then the batch, its notice to the debtor, the position and the sub-ledger
    batch = first["data"]["assignInvoices"]["batch"]
    assert batch["invoiceCount"] == 1 and batch["totals"] == [
        {"amount": "10000.00", "currency": "CNY"}
    ]
    assert replay["data"]["assignInvoices"]["replayed"] is True
    notice = batch["notices"][0]
    assert notice["customer"] == {"code": "FAC-1"}
    pdf = await client.get(notice["document"]["url"], headers={"Authorization": f"Bearer {bearer}"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    [(made_on,)] = database.query(
        "SELECT (created_at AT TIME ZONE 'Asia/Shanghai')::date FROM risk_documents"
    )
    assert pdf.headers["content-disposition"] == (
        f'inline; filename="risk-document-FAC-1-{made_on.isoformat()}-zh-CN.pdf"'
    )
    other = await gql(client, DOCUMENT_URL, {"id": notice["document"]["id"]}, bearer)
    assert other["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    position = collected["data"]["recordFactoringCollection"]["factoredInvoice"]["position"]
    assert position == {
        "factoredOpen": {"amount": "6000.00"},
        "reserve": {"amount": "2000.00"},
        "owedToFactor": {"amount": "4050.00"},  # 8,000 advanced + 50 commission - 4,000 paid
    }
    assert reads["data"]["factoredInvoices"]["totalCount"] == 1
    kinds = [e["node"]["kind"] for e in reads["data"]["factoringEntries"]["edges"]]
    assert kinds == ["COLLECTION", "COMMISSION", "RESERVE", "ADVANCE", "ASSIGNMENT"]
    assert reads["data"]["factoringReconciliation"] == {"compared": 1, "differences": []}
    assert database.query("SELECT count(*) FROM factoring_batches") == [(1,)]


async def test_ineligible_invoices_come_back_with_their_reasons_and_nothing_is_written(
    client, setup, database
):
    bearer = setup["finance"]
    agreement = (await gql(client, AGREEMENT, {"input": agreement_input()}, bearer))["data"][
        "createFactoringAgreement"
    ]["agreement"]["id"]
    invoices = setup["invoices"]
    await gql(
        client,
        ASSIGN,
        {
            "input": {
                "agreementId": agreement,
                "invoiceIds": [invoices["OK"]],
                "assignedOn": ON.isoformat(),
                "idempotencyKey": "first",
            }
        },
        bearer,
    )
    before = database.query("SELECT count(*) FROM factoring_entries")
    offered = [invoices[k] for k in ("DIS", "PAID", "OK", "USD", "LATE")]
    # when
    refused = await gql(
        client,
        ASSIGN,
        {
            "input": {
                "agreementId": agreement,
                "invoiceIds": offered,
                "assignedOn": ON.isoformat(),
                "idempotencyKey": "second",
            }
        },
        bearer,
    )
    dry = await gql(
        client, ELIGIBILITY, {"agreement": agreement, "ids": offered, "on": ON.isoformat()}, bearer
    )
    bad_date = await gql(
        client,
        ASSIGN,
        {
            "input": {
                "agreementId": agreement,
                "invoiceIds": [invoices["OK"]],
                "assignedOn": "2200-01-01",
                "idempotencyKey": "third",
            }
        },
        bearer,
    )
    # then
    assert [(e["field"], e["code"]) for e in refused["data"]["assignInvoices"]["userErrors"]] == [
        ("invoiceIds.0", "INVOICE_DISPUTED"),
        ("invoiceIds.1", "INVOICE_SETTLED"),
        ("invoiceIds.2", "ALREADY_ASSIGNED"),
        ("invoiceIds.3", "CURRENCY_NOT_ALLOWED"),
        ("invoiceIds.4", "INVOICE_OVERDUE"),
    ]
    assert [r["index"] for r in dry["data"]["assignmentEligibility"]] == [0, 1, 2, 3, 4]
    assert bad_date["data"]["assignInvoices"]["userErrors"][0]["code"] == "INVALID_DATE"
    assert database.query("SELECT count(*) FROM factoring_batches") == [(1,)]
    assert database.query("SELECT count(*) FROM factored_invoices") == [(1,)]
    assert database.query("SELECT count(*) FROM factoring_entries") == before
    assert database.query("SELECT count(*) FROM risk_documents") == [(1,)]  # the first notice
    assert database.query(
        "SELECT count(*) FROM idempotency_keys WHERE operation = 'ASSIGN_INVOICES'"
    ) == [(1,)]


@pytest.mark.parametrize(
    ("override", "field", "code"),
    [
        ({"recourse": False, "allowedClasses": ["A", "C"]}, "allowedClasses", "CLASS_NOT_ALLOWED"),
        ({"advancePercent": "101"}, "advancePercent", "INVALID_PERCENT"),
        ({"reference": "R" * 101}, "reference", "TOO_LONG"),
        ({"startsOn": "1899-12-31"}, "startsOn", "INVALID_DATE"),
        ({"currencies": ["CNY", "ABC"]}, "currencies.1", "UNKNOWN_CURRENCY"),
        ({"remittance": {"accountNumber": "9" * 61}}, "remittance.accountNumber", "TOO_LONG"),
    ],
)
async def test_bad_agreements_are_refused(client, setup, database, override, field, code):
    body = await gql(client, AGREEMENT, {"input": agreement_input(**override)}, setup["finance"])
    errors = body["data"]["createFactoringAgreement"]["userErrors"]
    assert (field, code) in [(e["field"], e["code"]) for e in errors]
    assert database.query("SELECT count(*) FROM factoring_agreements") == [(0,)]


async def test_a_non_recourse_invoice_cannot_be_bought_back(client, setup, database):
    bearer = setup["finance"]
    agreement = (
        await gql(
            client, AGREEMENT, {"input": agreement_input(recourse=False, disclosed=False)}, bearer
        )
    )["data"]["createFactoringAgreement"]["agreement"]["id"]
    await gql(
        client,
        LIMIT,
        {
            "input": {
                "agreementId": agreement,
                "customerId": setup["customer"],
                "limit": {"amount": "50000.00", "currency": "CNY"},
                "approved": True,
            }
        },
        bearer,
    )
    assigned = await gql(
        client,
        ASSIGN,
        {
            "input": {
                "agreementId": agreement,
                "invoiceIds": [setup["invoices"]["OK"]],
                "assignedOn": ON.isoformat(),
                "idempotencyKey": "nr",
            }
        },
        bearer,
    )
    assert assigned["data"]["assignInvoices"]["batch"]["notices"] == []  # confidential
    before = database.query("SELECT count(*) FROM factoring_entries")
    # when
    body = await gql(
        client,
        BUY_BACK,
        {
            "input": {
                "invoiceId": setup["invoices"]["OK"],
                "on": "2026-09-01",
                "idempotencyKey": "bb",
            }
        },
        bearer,
    )
    # then
    errors = body["data"]["buyBackInvoice"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [("invoiceId", "RECOURSE_NOT_AVAILABLE")]
    assert database.query("SELECT count(*) FROM factoring_entries") == before
    assert database.query("SELECT status FROM factored_invoices") == [("ACTIVE",)]
    assert database.query("SELECT count(*) FROM events WHERE topic = 'risk.buyback'") == [(0,)]


async def test_the_factor_statement_csv_lists_every_difference(client, setup, database):
    bearer = setup["finance"]
    agreement = (await gql(client, AGREEMENT, {"input": agreement_input()}, bearer))["data"][
        "createFactoringAgreement"
    ]["agreement"]["id"]
    await gql(
        client,
        ASSIGN,
        {
            "input": {
                "agreementId": agreement,
                "invoiceIds": [setup["invoices"]["OK"]],
                "assignedOn": ON.isoformat(),
                "idempotencyKey": "b",
            }
        },
        bearer,
    )
    csv_text = (
        "Invoice Number,Kind,Date,Amount\n"
        "OK,ASSIGNMENT,2026-05-01,10000.00\n"
        "OK,ADVANCE,2026-05-01,8000.00\n"
        "OK,RESERVE,2026-05-01,2000.00\n"
        "OK,COMMISSION,2026-05-01,55.00\n"
    )
    url = f"/imports/factoring/{agreement}/statement.csv?date=2026-05-31"
    headers = {"Authorization": f"Bearer {bearer}", "content-type": "text/csv"}
    # when
    answer = await client.post(url, content=csv_text.encode(), headers=headers)
    malformed = await client.post(url, content=b"Invoice,Amount\nOK,1\n", headers=headers)
    # then
    assert answer.status_code == 200
    assert answer.json()["differences"] == [
        {
            "invoiceNumber": "OK",
            "kind": "COMMISSION",
            "currency": "CNY",
            "ours": "50.00",
            "theirs": "55.00",
            "status": "AMOUNT_DIFFERS",
        }
    ]
    assert malformed.status_code == 400 and malformed.json()["error"]["code"] == "MALFORMED_CSV"
    assert database.query("SELECT count(*), sum(line_count) FROM factor_statements") == [(1, 4)]
