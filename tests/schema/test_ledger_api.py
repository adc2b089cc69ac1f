"""The ledger through GraphQL: posting, replaying, allocating, reversing, refusing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import gql, token
from tests.schema.test_customers_api import create

INVOICE = """mutation I($input: CreateInvoiceInput!) { createInvoice(input: $input) {
  invoice { id number dueDate status amount { amount currency } openAmount { amount } }
  replayed userErrors { field code } } }"""
PAYMENT = """mutation P($input: CreatePaymentInput!) { createPayment(input: $input) {
  payment { id status unallocated { amount } allocations { invoiceNumber amount { amount } } }
  replayed userErrors { field code } } }"""
REVERSE = """mutation R($input: ReversePaymentInput!) { reversePayment(input: $input) {
  payment { status reversalReason unallocated { amount } } userErrors { field code } } }"""
CREDIT = """mutation C($input: CreateCreditNoteInput!) { createCreditNote(input: $input) {
  invoice { openAmount { amount } status } userErrors { field code } } }"""
ALLOCATE = """mutation A($input: AllocatePaymentInput!) { allocatePayment(input: $input) {
  payment { unallocated { amount } } userErrors { field code } } }"""
INVOICES = """query Q($filter: InvoiceFilter) { invoices(filter: $filter) { totalCount
  edges { node { number status openAmount { amount } customer { code }
  allocations { kind amount { amount } } } } } }"""


def invoice_input(
    customer: str, number: str = "INV-1", amount: str = "1000.00", **extra: Any
) -> dict[str, Any]:
    """A valid CreateInvoiceInput."""
    return {
        "number": number,
        "customerId": customer,
        "issueDate": "2026-10-01",
        "amount": {"amount": amount, "currency": "CNY"},
        "idempotencyKey": f"k-{number}",
        **extra,
    }


@pytest.fixture
async def setup(client, settings) -> dict[str, Any]:
    """A finance token and a customer."""
    manager = token(settings)
    customer = (await create(client, manager, "LED-1"))["customer"]
    return {"finance": token(settings, roles=["finance"], sub="fiona"), "customer": customer}


async def test_invoice_due_date_from_terms_and_replay(client, setup, database):
    # given
    finance, customer = setup["finance"], setup["customer"]["id"]
    # when
    first = await gql(client, INVOICE, {"input": invoice_input(customer)}, finance)
    replay = await gql(client, INVOICE, {"input": invoice_input(customer)}, finance)
    mismatch = await gql(
        client, INVOICE, {"input": invoice_input(customer, amount="999.00")}, finance
    )
    # then: class B default is 30 days net
    created = first["data"]["createInvoice"]
    assert created["invoice"]["dueDate"] == "2026-10-31"
    assert created["replayed"] is False
    assert replay["data"]["createInvoice"]["replayed"] is True
    assert replay["data"]["createInvoice"]["invoice"]["id"] == created["invoice"]["id"]
    assert mismatch["data"]["createInvoice"]["userErrors"] == [
        {"field": "idempotencyKey", "code": "IDEMPOTENCY_MISMATCH"}
    ]
    assert database.query("SELECT count(*), sum(amount_minor) FROM invoices") == [(1, 100000)]


@pytest.mark.parametrize(
    ("override", "field", "code"),
    [
        ({"amount": {"amount": "0", "currency": "CNY"}}, "amount.amount", "AMOUNT_NOT_POSITIVE"),
        (
            {"amount": {"amount": "-5.00", "currency": "CNY"}},
            "amount.amount",
            "AMOUNT_NOT_POSITIVE",
        ),
        ({"amount": {"amount": "5.00", "currency": "ABC"}}, "amount.currency", "UNKNOWN_CURRENCY"),
        ({"dueDate": "2026-09-01"}, "dueDate", "DUE_BEFORE_ISSUE"),
        ({"number": " "}, "number", "REQUIRED"),
        ({"idempotencyKey": None}, "idempotencyKey", "INVALID_INPUT"),
    ],
)
async def test_invalid_invoices_write_nothing(client, setup, database, override, field, code):
    body = await gql(
        client,
        INVOICE,
        {"input": {**invoice_input(setup["customer"]["id"]), **override}},
        setup["finance"],
    )
    errors = body["data"]["createInvoice"]["userErrors"]
    assert {"field": field, "code": code} in errors
    assert database.query("SELECT count(*) FROM invoices") == [(0,)]
    assert database.query("SELECT count(*) FROM idempotency_keys") == [(0,)]


async def test_duplicate_number_with_another_key(client, setup, database):
    customer = setup["customer"]["id"]
    await gql(client, INVOICE, {"input": invoice_input(customer)}, setup["finance"])
    dup = await gql(
        client,
        INVOICE,
        {"input": {**invoice_input(customer), "idempotencyKey": "other"}},
        setup["finance"],
    )
    assert dup["data"]["createInvoice"]["userErrors"] == [
        {"field": "number", "code": "DUPLICATE_NUMBER"}
    ]
    assert database.query("SELECT count(*) FROM invoices") == [(1,)]


async def test_payment_auto_allocates_oldest_first_and_reversal_reopens(client, setup, database):
    # given: two invoices, the older due first
    finance, customer = setup["finance"], setup["customer"]["id"]
    await gql(
        client,
        INVOICE,
        {"input": invoice_input(customer, "NEW", "300.00", issueDate="2026-10-05")},
        finance,
    )
    await gql(
        client,
        INVOICE,
        {"input": invoice_input(customer, "OLD", "500.00", issueDate="2026-09-01")},
        finance,
    )
    # when: 600.00 arrives
    paid = await gql(
        client,
        PAYMENT,
        {
            "input": {
                "customerId": customer,
                "receivedOn": "2026-10-20",
                "amount": {"amount": "600.00", "currency": "CNY"},
                "idempotencyKey": "p1",
            }
        },
        finance,
    )
    payment = paid["data"]["createPayment"]["payment"]
    # then
    assert [(a["invoiceNumber"], a["amount"]["amount"]) for a in payment["allocations"]] == [
        ("OLD", "500.00"),
        ("NEW", "100.00"),
    ]
    assert payment["unallocated"]["amount"] == "0.00"
    listed = await gql(client, INVOICES, {"filter": {"status": "OPEN"}}, finance)
    assert [
        (e["node"]["number"], e["node"]["openAmount"]["amount"])
        for e in listed["data"]["invoices"]["edges"]
    ] == [("NEW", "200.00")]
    # and when it bounces, both re-open, by reversal entries (history kept)
    reversed_ = await gql(
        client,
        REVERSE,
        {"input": {"paymentId": payment["id"], "reason": "cheque bounced", "idempotencyKey": "r1"}},
        finance,
    )
    assert reversed_["data"]["reversePayment"]["payment"]["status"] == "REVERSED"
    assert database.query("SELECT number, open_minor FROM invoices ORDER BY number") == [
        ("NEW", 30000),
        ("OLD", 50000),
    ]
    assert database.query("SELECT count(*), sum(amount_minor) FROM allocations") == [(4, 0)]
    again = await gql(
        client,
        REVERSE,
        {"input": {"paymentId": payment["id"], "reason": "again", "idempotencyKey": "r2"}},
        finance,
    )
    assert again["data"]["reversePayment"]["userErrors"][0]["code"] == "ALREADY_REVERSED"


async def test_allocation_refusals_write_nothing(client, setup, settings, database):
    # given: a CNY invoice, a USD payment and a CNY payment on account
    finance, customer = setup["finance"], setup["customer"]["id"]
    inv = (
        await gql(client, INVOICE, {"input": invoice_input(customer, amount="100.00")}, finance)
    )["data"]["createInvoice"]["invoice"]
    usd = (
        await gql(
            client,
            PAYMENT,
            {
                "input": {
                    "customerId": customer,
                    "receivedOn": "2026-10-20",
                    "allocation": "NONE",
                    "amount": {"amount": "50.00", "currency": "USD"},
                    "idempotencyKey": "usd",
                }
            },
            finance,
        )
    )["data"]["createPayment"]["payment"]
    cny = (
        await gql(
            client,
            PAYMENT,
            {
                "input": {
                    "customerId": customer,
                    "receivedOn": "2026-10-20",
                    "allocation": "NONE",
                    "amount": {"amount": "150.00", "currency": "CNY"},
                    "idempotencyKey": "cny",
                }
            },
            finance,
        )
    )["data"]["createPayment"]["payment"]

    async def allocate(payment: str, amount: str, key: str) -> list[dict[str, str]]:
        body = await gql(
            client,
            ALLOCATE,
            {
                "input": {
                    "paymentId": payment,
                    "mode": "EXPLICIT",
                    "idempotencyKey": key,
                    "lines": [{"invoiceId": inv["id"], "amount": amount}],
                }
            },
            finance,
        )
        return body["data"]["allocatePayment"]["userErrors"]  # type: ignore[no-any-return]

    # when / then
    assert (await allocate(usd["id"], "10.00", "x1"))[0]["code"] == "CURRENCY_MISMATCH"
    assert (await allocate(cny["id"], "120.00", "x2"))[0]["code"] == "EXCEEDS_OPEN_AMOUNT"
    assert (await allocate(cny["id"], "0", "x3"))[0]["code"] == "AMOUNT_NOT_POSITIVE"
    assert database.query("SELECT count(*) FROM allocations") == [(0,)]
    assert database.query("SELECT open_minor FROM invoices") == [(10000,)]
    # a credit note beyond the open amount is refused too; within it, it applies
    over = await gql(
        client,
        CREDIT,
        {
            "input": {
                "number": "CN-1",
                "invoiceId": inv["id"],
                "issueDate": "2026-10-21",
                "amount": {"amount": "100.01", "currency": "CNY"},
                "reason": "returns",
                "idempotencyKey": "c1",
            }
        },
        finance,
    )
    assert over["data"]["createCreditNote"]["userErrors"][0]["code"] == "EXCEEDS_OPEN_AMOUNT"
    ok = await gql(
        client,
        CREDIT,
        {
            "input": {
                "number": "CN-1",
                "invoiceId": inv["id"],
                "issueDate": "2026-10-21",
                "amount": {"amount": "40.00", "currency": "CNY"},
                "reason": "returns",
                "idempotencyKey": "c2",
            }
        },
        finance,
    )
    assert ok["data"]["createCreditNote"]["invoice"]["openAmount"]["amount"] == "60.00"


async def test_sales_cannot_post_money_and_other_tenants_see_nothing(
    client, setup, settings, database
):
    sales = token(settings, roles=["sales"])
    body = await gql(client, INVOICE, {"input": invoice_input(setup["customer"]["id"])}, sales)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    await gql(client, INVOICE, {"input": invoice_input(setup["customer"]["id"])}, setup["finance"])
    other = token(settings, "globex", roles=["finance"])
    listed = await gql(client, INVOICES, {}, other)
    assert listed["data"]["invoices"]["totalCount"] == 0
    foreign = await gql(
        client, INVOICE, {"input": invoice_input(setup["customer"]["id"], "G-1")}, other
    )
    assert foreign["data"]["createInvoice"]["userErrors"][0] == {
        "field": "customerId",
        "code": "NOT_FOUND",
    }
