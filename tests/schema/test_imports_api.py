"""Bulk import through GraphQL and CSV: replay-safe, row errors by index, bad files refused."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import gql, token
from tests.schema.test_customers_api import create

IMPORT_INVOICES = """mutation I($input: ImportInvoicesInput!) { importInvoices(input: $input) {
  created replayed failed results { index status id userErrors { field code } }
  userErrors { field code } } }"""
IMPORT_PAYMENTS = """mutation P($input: ImportPaymentsInput!) { importPayments(input: $input) {
  created replayed failed results { index status id userErrors { field code } }
  userErrors { field code } } }"""


def invoice_row(n: int, customer: str = "IMP-1", **extra: Any) -> dict[str, Any]:
    """A valid import row."""
    return {
        "externalId": f"erp-{n}",
        "number": f"INV-{n}",
        "customerCode": customer,
        "issueDate": "2026-09-01",
        "amount": "100.50",
        "currency": "CNY",
        **extra,
    }


@pytest.fixture
async def finance(client, settings) -> str:
    """A finance token, with customers IMP-1 and IMP-2 created."""
    manager = token(settings)
    await create(client, manager, "IMP-1")
    await create(client, manager, "IMP-2")
    return token(settings, roles=["finance"], sub="fiona")


async def test_import_posts_valid_rows_and_reports_invalid_ones_by_index(client, finance, database):
    # given: rows 1, 3, 4, 5 and 6 are wrong, each in its own way
    rows = [
        invoice_row(0),
        invoice_row(1, customer="NOPE"),
        invoice_row(2, customer="IMP-2", dueDate="2026-09-20"),
        invoice_row(3, amount="0"),
        invoice_row(4, dueDate="2026-08-01"),
        invoice_row(5, currency="XYZ"),
        invoice_row(6, issueDate="2026-02-30"),
    ]
    # when
    body = await gql(client, IMPORT_INVOICES, {"input": {"rows": rows}}, finance)
    # then
    result = body["data"]["importInvoices"]
    assert (result["created"], result["replayed"], result["failed"]) == (2, 0, 5)
    by_index = {r["index"]: r for r in result["results"]}
    assert by_index[0]["status"] == "CREATED"
    assert by_index[1]["userErrors"] == [{"field": "customerCode", "code": "NOT_FOUND"}]
    assert by_index[2]["status"] == "CREATED"
    assert by_index[3]["userErrors"] == [{"field": "amount.amount", "code": "AMOUNT_NOT_POSITIVE"}]
    assert by_index[4]["userErrors"] == [{"field": "dueDate", "code": "DUE_BEFORE_ISSUE"}]
    assert by_index[5]["userErrors"][0]["code"] == "UNKNOWN_CURRENCY"
    assert by_index[6]["userErrors"] == [{"field": "issueDate", "code": "INVALID_DATE"}]
    assert database.query(
        "SELECT number, amount_minor, open_minor, due_date::text FROM invoices ORDER BY number"
    ) == [("INV-0", 10050, 10050, "2026-10-01"), ("INV-2", 10050, 10050, "2026-09-20")]


async def test_replaying_a_batch_posts_nothing_and_returns_the_same_ids(client, finance, database):
    # given
    rows = [invoice_row(n) for n in range(3)]
    first = await gql(client, IMPORT_INVOICES, {"input": {"rows": rows}}, finance)
    # when
    replay = await gql(client, IMPORT_INVOICES, {"input": {"rows": rows}}, finance)
    changed = await gql(
        client, IMPORT_INVOICES, {"input": {"rows": [invoice_row(1, amount="7.00")]}}, finance
    )
    # then
    ids = [r["id"] for r in first["data"]["importInvoices"]["results"]]
    again = replay["data"]["importInvoices"]
    assert (again["created"], again["replayed"]) == (0, 3)
    assert [r["id"] for r in again["results"]] == ids
    assert changed["data"]["importInvoices"]["results"][0]["userErrors"] == [
        {"field": "externalId", "code": "IDEMPOTENCY_MISMATCH"}
    ]
    assert database.query("SELECT count(*), sum(amount_minor) FROM invoices") == [(3, 30150)]


async def test_duplicates_inside_a_batch_and_against_the_ledger_are_refused(
    client, finance, database
):
    # given
    await gql(client, IMPORT_INVOICES, {"input": {"rows": [invoice_row(0)]}}, finance)
    rows = [
        invoice_row(1, number="INV-0"),  # number used by another external id
        invoice_row(2),
        invoice_row(2),  # same external id twice in the batch
    ]
    # when
    body = await gql(client, IMPORT_INVOICES, {"input": {"rows": rows}}, finance)
    # then
    results = body["data"]["importInvoices"]["results"]
    assert results[0]["userErrors"] == [{"field": "number", "code": "DUPLICATE_NUMBER"}]
    assert results[1]["status"] == "CREATED"
    assert results[2]["userErrors"] == [{"field": "externalId", "code": "DUPLICATE_NUMBER"}]
    assert database.query("SELECT count(*) FROM invoices") == [(2,)]


async def test_a_batch_over_the_limit_writes_nothing(client, finance, database):
    rows = [invoice_row(n) for n in range(5001)]
    body = await gql(client, IMPORT_INVOICES, {"input": {"rows": rows}}, finance)
    result = body["data"]["importInvoices"]
    assert result["userErrors"] == [{"field": "rows", "code": "TOO_MANY"}]
    assert result["results"] == []
    assert database.query("SELECT count(*) FROM invoices") == [(0,)]


async def test_imported_payments_allocate_oldest_first_and_replay(client, finance, database):
    # given: two invoices, the older due first
    await gql(
        client,
        IMPORT_INVOICES,
        {
            "input": {
                "rows": [
                    invoice_row(1, issueDate="2026-09-05"),
                    invoice_row(2, issueDate="2026-09-01"),
                ]
            }
        },
        finance,
    )
    rows = [
        {
            "externalId": "bank-1",
            "customerCode": "IMP-1",
            "receivedOn": "2026-10-10",
            "amount": "150.00",
            "currency": "CNY",
        },
        {
            "externalId": "bank-2",
            "customerCode": "GHOST",
            "receivedOn": "2026-10-10",
            "amount": "1.00",
            "currency": "CNY",
        },
    ]
    # when
    first = await gql(client, IMPORT_PAYMENTS, {"input": {"rows": rows}}, finance)
    replay = await gql(client, IMPORT_PAYMENTS, {"input": {"rows": rows[:1]}}, finance)
    # then
    result = first["data"]["importPayments"]
    assert (result["created"], result["failed"]) == (1, 1)
    assert result["results"][1]["userErrors"] == [{"field": "customerCode", "code": "NOT_FOUND"}]
    assert replay["data"]["importPayments"]["results"][0]["status"] == "REPLAYED"
    assert database.query("SELECT number, open_minor FROM invoices ORDER BY number") == [
        ("INV-1", 5100),
        ("INV-2", 0),
    ]
    assert database.query("SELECT count(*), sum(amount_minor) FROM allocations") == [(2, 15000)]


async def test_import_needs_a_posting_role(client, settings, finance, database):
    viewer = token(settings, roles=["viewer"])
    body = await gql(client, IMPORT_INVOICES, {"input": {"rows": [invoice_row(0)]}}, viewer)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert database.query("SELECT count(*) FROM invoices") == [(0,)]


CSV = (
    "External ID,number,customerCode,issue_date,due_date,amount,currency,order_ref\n"
    "csv-1,C-INV-1,IMP-1,2026-09-01,,1200.00,CNY,SO-9\n"
    "csv-2,C-INV-2,IMP-1,2026-13-01,,5.00,CNY,\n"
    "csv-3,C-INV-3,IMP-2,2026-09-02,2026-10-02,99.99,USD,\n"
)


async def post_csv(client: Any, bearer: str, body: bytes, kind: str = "invoices") -> Any:
    """POST a CSV file to the import route."""
    return await client.post(
        f"/imports/{kind}.csv",
        content=body,
        headers={"Authorization": f"Bearer {bearer}", "Content-Type": "text/csv"},
    )


async def test_csv_upload_posts_valid_rows_and_replays(client, finance, database):
    # when
    first = await post_csv(client, finance, CSV.encode())
    replay = await post_csv(client, finance, CSV.encode())
    # then
    assert first.status_code == 200
    body = first.json()
    assert (body["created"], body["failed"]) == (2, 1)
    assert body["results"][1]["line"] == 3
    assert body["results"][1]["userErrors"][0]["code"] == "INVALID_DATE"
    assert replay.json()["replayed"] == 2
    assert database.query(
        "SELECT number, currency, amount_minor FROM invoices ORDER BY number"
    ) == [("C-INV-1", "CNY", 120000), ("C-INV-3", "USD", 9999)]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "header"),
        (b"external_id,number\nx,1\n", "missing columns"),
        (CSV.replace("CNY,SO-9", "CNY,SO-9,extra").encode(), "fields"),
        (b"external_id\x80\xff,number\n", "UTF-8"),
        (CSV.replace("order_ref", "colour").encode(), "unknown columns"),
        (b'external_id,number,customer_code,issue_date,amount,currency\n"a,1\n', "line"),
    ],
)
async def test_malformed_csv_is_refused_and_writes_nothing(
    client, finance, database, body, message
):
    response = await post_csv(client, finance, body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "MALFORMED_CSV"
    assert message in response.json()["error"]["message"]
    assert database.query("SELECT count(*) FROM invoices") == [(0,)]


async def test_csv_upload_checks_token_and_role(client, settings, finance, database):
    anonymous = await client.post("/imports/invoices.csv", content=CSV.encode())
    viewer = await post_csv(client, token(settings, roles=["viewer"]), CSV.encode())
    assert (anonymous.status_code, viewer.status_code) == (401, 403)
    assert database.query("SELECT count(*) FROM invoices") == [(0,)]


async def test_a_full_batch_of_5000_rows_posts(client, finance, database):
    rows = [invoice_row(n, customer=("IMP-1", "IMP-2")[n % 2]) for n in range(5000)]
    body = await gql(client, IMPORT_INVOICES, {"input": {"rows": rows}}, finance)
    result = body["data"]["importInvoices"]
    assert (result["created"], result["failed"], result["userErrors"]) == (5000, 0, [])
    assert database.query("SELECT count(*), sum(amount_minor) FROM invoices") == [
        (5000, 5000 * 10050)
    ]


async def test_payments_csv_posts_and_allocates(client, finance, database):
    # given: an invoice for IMP-1
    await gql(client, IMPORT_INVOICES, {"input": {"rows": [invoice_row(1)]}}, finance)
    body = (
        b"external_id,customer_code,received_on,amount,currency,method,reference\n"
        b"bank-9,IMP-1,2026-10-02,50.25,CNY,BANK_TRANSFER,ref 9\n"
        b"bank-10,IMP-1,2026-10-02,1.00,CNY,PIGEON,\n"
    )
    # when
    response = await post_csv(client, finance, body, kind="payments")
    # then
    result = response.json()
    assert (result["created"], result["failed"]) == (1, 1)
    assert result["results"][1]["userErrors"][0]["field"] == "method"
    assert database.query("SELECT open_minor FROM invoices") == [(5025,)]


async def test_a_batch_of_payments_allocates_in_order_across_invoices(client, finance, database):
    # given: two invoices of 100.50, the first due first
    rows = [invoice_row(1, issueDate="2026-09-01"), invoice_row(2, issueDate="2026-09-02")]
    await gql(client, IMPORT_INVOICES, {"input": {"rows": rows}}, finance)
    cash = [
        {
            "externalId": f"b-{n}",
            "customerCode": "IMP-1",
            "receivedOn": "2026-10-05",
            "amount": "80.00",
            "currency": "CNY",
        }
        for n in range(3)
    ]
    # when: three payments of 80.00 in one call
    body = await gql(client, IMPORT_PAYMENTS, {"input": {"rows": cash}}, finance)
    # then: each payment sees what the one before left; the rest stays on account
    assert body["data"]["importPayments"]["created"] == 3
    assert database.query("SELECT number, open_minor FROM invoices ORDER BY number") == [
        ("INV-1", 0),
        ("INV-2", 0),
    ]
    assert database.query(
        "SELECT external_id, unallocated_minor FROM payments ORDER BY external_id"
    ) == [("b-0", 0), ("b-1", 0), ("b-2", 3900)]
    assert database.query(
        "SELECT p.external_id, i.number, a.amount_minor FROM allocations a "
        "JOIN payments p ON p.id = a.payment_id JOIN invoices i ON i.id = a.invoice_id "
        "ORDER BY 1, 2"
    ) == [
        ("b-0", "INV-1", 8000),
        ("b-1", "INV-1", 2050),
        ("b-1", "INV-2", 5950),
        ("b-2", "INV-2", 4100),
    ]
    assert database.query(
        "SELECT count(*), min(seq) < max(seq) FROM events WHERE topic = 'payment.received'"
    ) == [(3, True)]
