"""Ledger inputs as the client wrote them: error paths into `lines`, every refusal of a request
at once (the missing idempotency key too), currency codes in any case."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import gql, token
from tests.schema.test_customers_api import create
from tests.schema.test_ledger_api import INVOICE, PAYMENT, invoice_input


@pytest.fixture
async def setup(client, settings) -> dict[str, Any]:
    """A finance token, a customer and two CNY invoices of 100.00."""
    customer = (await create(client, token(settings), "CONV-1"))["customer"]["id"]
    finance = token(settings, roles=["finance"], sub="fiona")
    invoices = []
    for number in ("INV-A", "INV-B"):
        body = await gql(
            client, INVOICE, {"input": invoice_input(customer, number, "100.00")}, finance
        )
        invoices.append(body["data"]["createInvoice"]["invoice"]["id"])
    return {"finance": finance, "customer": customer, "invoices": invoices}


def _payment(customer: str, amount: str, lines: list[dict[str, str]], **extra: Any) -> Any:
    return {
        "customerId": customer,
        "receivedOn": "2026-10-20",
        "amount": {"amount": amount, "currency": "CNY"},
        "allocation": "EXPLICIT",
        "lines": lines,
        "idempotencyKey": "pay-1",
        **extra,
    }


async def test_an_over_allocation_names_the_line_the_client_wrote(client, setup, database):
    # given two invoices of 100.00 each
    finance, customer = setup["finance"], setup["customer"]
    first, second = setup["invoices"]
    # when a payment of 150.00 puts 50.00 on the first and 120.00 on the second
    lines = [{"invoiceId": first, "amount": "50.00"}, {"invoiceId": second, "amount": "120.00"}]
    body = await gql(client, PAYMENT, {"input": _payment(customer, "150.00", lines)}, finance)
    # then the second line's amount and the lines as a whole are refused, by input path
    errors = body["data"]["createPayment"]["userErrors"]
    assert {(e["field"], e["code"]) for e in errors} == {
        ("lines.1.amount", "EXCEEDS_OPEN_AMOUNT"),
        ("lines", "EXCEEDS_PAYMENT"),
    }
    assert body["data"]["createPayment"]["payment"] is None
    assert database.query("SELECT count(*) FROM payments") == [(0,)]
    assert database.query("SELECT count(*) FROM allocations") == [(0,)]


async def test_a_malformed_invoice_id_in_a_line_is_invalid_id_on_that_line(client, setup, database):
    # given
    finance, customer = setup["finance"], setup["customer"]
    # when the second line names an id that is not an invoice's
    lines = [
        {"invoiceId": setup["invoices"][0], "amount": "10.00"},
        {"invoiceId": customer, "amount": "10.00"},
    ]
    body = await gql(client, PAYMENT, {"input": _payment(customer, "20.00", lines)}, finance)
    # then
    errors = body["data"]["createPayment"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [("lines.1.invoiceId", "INVALID_ID")]
    assert database.query("SELECT count(*) FROM payments") == [(0,)]


async def test_an_invoice_without_key_reports_every_error_at_once(client, setup, database):
    # given an invoice with neither key nor external id, a negative amount and a date of 1800
    finance, customer = setup["finance"], setup["customer"]
    given = invoice_input(customer, "INV-X", "-5.00", issueDate="1800-01-01")
    del given["idempotencyKey"]
    # when
    body = await gql(client, INVOICE, {"input": given}, finance)
    # then all three are refused in one response, and nothing is written
    errors = body["data"]["createInvoice"]["userErrors"]
    assert {(e["field"], e["code"]) for e in errors} == {
        ("idempotencyKey", "INVALID_INPUT"),
        ("amount.amount", "AMOUNT_NOT_POSITIVE"),
        ("issueDate", "INVALID_DATE"),
    }
    assert database.query("SELECT count(*) FROM invoices WHERE number = 'INV-X'") == [(0,)]


async def test_a_payment_without_key_reports_every_error_at_once(client, setup, database):
    # given a payment with neither key nor external id and an amount of zero
    finance, customer = setup["finance"], setup["customer"]
    given = _payment(customer, "0", [], allocation="AUTO")
    del given["idempotencyKey"]
    # when
    body = await gql(client, PAYMENT, {"input": given}, finance)
    # then
    errors = body["data"]["createPayment"]["userErrors"]
    assert {(e["field"], e["code"]) for e in errors} == {
        ("idempotencyKey", "INVALID_INPUT"),
        ("amount.amount", "AMOUNT_NOT_POSITIVE"),
    }
    assert database.query("SELECT count(*) FROM payments") == [(0,)]


async def test_an_external_id_alone_is_enough(client, setup, database):
    # given an invoice with an external id and no key
    finance, customer = setup["finance"], setup["customer"]
    given = invoice_input(customer, "INV-E", externalId="ERP-7")
    del given["idempotencyKey"]
    # when it is sent twice
    first = await gql(client, INVOICE, {"input": given}, finance)
    again = await gql(client, INVOICE, {"input": given}, finance)
    # then it is posted once, the second a replay
    assert first["data"]["createInvoice"]["userErrors"] == []
    assert again["data"]["createInvoice"]["replayed"] is True
    assert database.query("SELECT count(*) FROM invoices WHERE number = 'INV-E'") == [(1,)]
