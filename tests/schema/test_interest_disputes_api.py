"""Accrued interest and disputes through GraphQL."""

from __future__ import annotations

from tests.conftest import gql, token
from tests.schema.test_customers_api import create
from tests.schema.test_ledger_api import INVOICE, PAYMENT, invoice_input

INTEREST = """query I($id: ID!, $asOf: Date) { invoice(id: $id) {
  accruedInterest(asOf: $asOf) { amount currency } } }"""
CUSTOMER_INTEREST = """query C($id: ID!, $asOf: Date) {
  accruedInterest(customerId: $id, asOf: $asOf) { amount currency } }"""
OPEN = """mutation O($input: OpenDisputeInput!) { openDispute(input: $input) {
  disputeId invoice { disputedAmount { amount } } userErrors { field code } } }"""
RESOLVE = """mutation R($input: ResolveDisputeInput!) { resolveDispute(input: $input) {
  invoice { disputedAmount { amount } } userErrors { code } } }"""


async def test_interest_as_of_dates_and_after_a_part_payment(client, settings, database):
    finance = token(settings, roles=["finance"])
    customer = (await create(client, token(settings), "INT-1"))["customer"]["id"]
    invoice = (
        await gql(
            client,
            INVOICE,
            {
                "input": {
                    **invoice_input(customer, "INT", "10000.00"),
                    "issueDate": "2026-09-01",
                    "dueDate": "2026-10-01",
                }
            },
            finance,
        )
    )["data"]["createInvoice"]["invoice"]
    await gql(
        client,
        PAYMENT,
        {
            "input": {
                "customerId": customer,
                "receivedOn": "2026-10-05",
                "idempotencyKey": "half",
                "amount": {"amount": "5000.00", "currency": "CNY"},
            }
        },
        finance,
    )
    # 10,000 for 4 days (Oct 2-5) + 5,000 for 6 more days (Oct 6-11) at 0.05% = 20 + 15
    body = await gql(client, INTEREST, {"id": invoice["id"], "asOf": "2026-10-11"}, finance)
    assert "errors" not in body, body
    assert body["data"]["invoice"]["accruedInterest"] == {"amount": "35.00", "currency": "CNY"}
    # the customer's total: this invoice plus a second one, 10 days late on 2026-10-11
    await gql(
        client,
        INVOICE,
        {
            "input": {
                **invoice_input(customer, "INT-2", "2000.00"),
                "issueDate": "2026-09-01",
                "dueDate": "2026-10-01",
            }
        },
        finance,
    )
    total = await gql(client, CUSTOMER_INTEREST, {"id": customer, "asOf": "2026-10-11"}, finance)
    assert total["data"]["accruedInterest"] == [{"amount": "45.00", "currency": "CNY"}]
    before = await gql(client, INTEREST, {"id": invoice["id"], "asOf": "2026-09-30"}, finance)
    assert before["data"]["invoice"]["accruedInterest"]["amount"] == "0.00"
    # an agreement rate on the customer overrides the default
    database.query("UPDATE customers SET late_interest_daily_rate = 0.0001")
    lower = await gql(client, INTEREST, {"id": invoice["id"], "asOf": "2026-10-11"}, finance)
    assert lower["data"]["invoice"]["accruedInterest"]["amount"] == "7.00"


async def test_disputes(client, settings, database):
    finance = token(settings, roles=["finance"])
    customer = (await create(client, token(settings), "DIS-1"))["customer"]["id"]
    invoice = (
        await gql(client, INVOICE, {"input": invoice_input(customer, "D1", "100.00")}, finance)
    )["data"]["createInvoice"]["invoice"]
    too_much = await gql(
        client,
        OPEN,
        {"input": {"invoiceId": invoice["id"], "amount": "100.01", "reason": "quality"}},
        finance,
    )
    opened = await gql(
        client,
        OPEN,
        {"input": {"invoiceId": invoice["id"], "amount": "40.00", "reason": "damaged goods"}},
        finance,
    )
    assert "errors" not in too_much, too_much
    assert too_much["data"]["openDispute"]["userErrors"][0]["code"] == "EXCEEDS_OPEN_AMOUNT"
    assert opened["data"]["openDispute"]["invoice"]["disputedAmount"]["amount"] == "40.00"
    resolved = await gql(
        client,
        RESOLVE,
        {
            "input": {
                "id": opened["data"]["openDispute"]["disputeId"],
                "accepted": True,
                "resolution": "credit note follows",
            }
        },
        finance,
    )
    assert resolved["data"]["resolveDispute"]["invoice"]["disputedAmount"]["amount"] == "0.00"
    assert database.query("SELECT status FROM disputes") == [("RESOLVED",)]
