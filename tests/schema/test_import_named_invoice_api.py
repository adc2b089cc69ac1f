"""importPayments and the payments CSV with an invoice per row: that invoice first, the rest
oldest due first; an unknown invoice or another customer's refuses only that row."""

from __future__ import annotations

from typing import Any

from tests.conftest import gql
from tests.schema import test_imports_api as imports
from tests.schema.test_imports_api import IMPORT_INVOICES, IMPORT_PAYMENTS, invoice_row, post_csv

finance = imports.finance  # the fixture: a finance token, customers IMP-1 and IMP-2


def payment(n: int, amount: str, invoice: str | None = None, **extra: Any) -> dict[str, Any]:
    row = {
        "externalId": f"pay-{n}",
        "customerCode": "IMP-1",
        "receivedOn": "2026-10-10",
        "amount": amount,
        "currency": "CNY",
        **extra,
    }
    return {**row, "invoice": invoice} if invoice else row


async def _invoices(client: Any, finance: str) -> dict[str, str]:
    """INV-1 (due first) and INV-2 of IMP-1, INV-9 of IMP-2, each 100.50: global ids."""
    rows = [
        invoice_row(1, issueDate="2026-09-01"),
        invoice_row(2, issueDate="2026-09-05"),
        invoice_row(9, customer="IMP-2"),
    ]
    body = await gql(client, IMPORT_INVOICES, {"input": {"rows": rows}}, finance)
    results = body["data"]["importInvoices"]["results"]
    return {f"INV-{n}": r["id"] for n, r in zip((1, 2, 9), results, strict=True)}


async def test_a_named_invoice_is_paid_first_and_the_rest_oldest_first(client, finance, database):
    # given two open invoices of IMP-1, the older one due first
    ids = await _invoices(client, finance)
    # when a payment names the newer one by number and pays more than it owes, another
    # names it by global id, and three rows name what cannot be theirs
    rows = [
        payment(1, "150.00", "INV-2"),
        payment(2, "10.00", ids["INV-2"]),
        payment(3, "1.00", "NOPE-7"),
        payment(4, "1.00", "INV-9"),
        payment(5, "1.00", "INV-1", currency="USD"),
    ]
    body = await gql(client, IMPORT_PAYMENTS, {"input": {"rows": rows}}, finance)
    # then INV-2 is settled first, 49.50 of the first payment goes to INV-1, and the second
    # payment (INV-2 already paid) goes oldest first too; the refusals name the invoice field
    result = body["data"]["importPayments"]
    assert (result["created"], result["failed"]) == (2, 3)
    assert [r["userErrors"] for r in result["results"][2:]] == [
        [{"field": "invoice", "code": "NOT_FOUND"}],
        [{"field": "invoice", "code": "INVOICE_OF_ANOTHER_CUSTOMER"}],
        [{"field": "invoice", "code": "CURRENCY_MISMATCH"}],
    ]
    assert database.query(
        "SELECT p.external_id, i.number, a.amount_minor FROM allocations a "
        "JOIN payments p ON p.id = a.payment_id JOIN invoices i ON i.id = a.invoice_id "
        "ORDER BY 1, 2"
    ) == [("pay-1", "INV-1", 4950), ("pay-1", "INV-2", 10050), ("pay-2", "INV-1", 1000)]
    assert database.query("SELECT number, open_minor FROM invoices ORDER BY 1") == [
        ("INV-1", 4100),
        ("INV-2", 0),
        ("INV-9", 10050),
    ]
    assert database.query("SELECT external_id, unallocated_minor FROM payments ORDER BY 1") == [
        ("pay-1", 0),
        ("pay-2", 0),
    ]


async def test_the_payments_csv_takes_an_invoice_column(client, finance, database):
    # given
    await _invoices(client, finance)
    body = (
        b"external_id,customer_code,received_on,amount,currency,invoice\n"
        b"csv-1,IMP-1,2026-10-02,20.00,CNY,INV-2\n"
        b"csv-2,IMP-1,2026-10-02,5.00,CNY,\n"
        b"csv-3,IMP-1,2026-10-02,5.00,CNY,INV-9\n"
    )
    # when
    first = await post_csv(client, finance, body, kind="payments")
    replay = await post_csv(client, finance, body, kind="payments")
    # then the named invoice is paid, the unnamed payment goes oldest first, and replays
    assert (first.json()["created"], first.json()["failed"]) == (2, 1)
    assert first.json()["results"][2]["userErrors"][0]["code"] == "INVOICE_OF_ANOTHER_CUSTOMER"
    assert replay.json()["replayed"] == 2
    assert database.query("SELECT number, open_minor FROM invoices ORDER BY 1") == [
        ("INV-1", 9550),
        ("INV-2", 8050),
        ("INV-9", 10050),
    ]
