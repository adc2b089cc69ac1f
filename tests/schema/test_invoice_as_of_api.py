"""An invoice's open amount, status and days past due as of a date, read from the ledger's
dated entries, batched per date (no statement per invoice)."""

from __future__ import annotations

from typing import Any

from dbschema.engine import add_statement_listener
from tests.conftest import gql, token
from tests.schema.test_customers_api import create
from tests.schema.test_ledger_api import INVOICE, PAYMENT, invoice_input

AS_OF = """query { invoices(first: 20) { edges { node { number
  now: openAmount { amount } statusNow: status
  sep: openAmount(asOf: "2026-09-30") { amount }
  oct: openAmount(asOf: "2026-10-31") { amount } statusOct: status(asOf: "2026-10-31")
  nov: openAmount(asOf: "2026-11-30") { amount } statusNov: status(asOf: "2026-11-30")
  late: daysPastDue(asOf: "2026-11-15") } } } }"""


async def _pay(client: Any, bearer: str, customer: str, n: int, on: str, amount: str) -> None:
    body = {
        "customerId": customer,
        "receivedOn": on,
        "amount": {"amount": amount, "currency": "CNY"},
        "idempotencyKey": f"pay-{n}",
    }
    paid = await gql(client, PAYMENT, {"input": body}, bearer)
    assert paid["data"]["createPayment"]["userErrors"] == []


async def test_open_amount_and_status_as_of_a_date(client, settings):
    # given five invoices of 1,000.00 issued 2026-09-01, due 2026-10-01, paid 2,500.00 on
    # 2026-10-20 and 2,500.00 on 2026-11-20 (oldest first: two, a half, then the rest)
    finance = token(settings, roles=["finance"])
    customer = (await create(client, token(settings), "ASOF-1"))["customer"]["id"]
    for n in range(5):
        made = await gql(
            client,
            INVOICE,
            {
                "input": invoice_input(
                    customer, f"A-{n}", issueDate="2026-09-01", dueDate=f"2026-10-0{n + 1}"
                )
            },
            finance,
        )
        assert made["data"]["createInvoice"]["userErrors"] == []
    await _pay(client, finance, customer, 1, "2026-10-20", "2500.00")
    await _pay(client, finance, customer, 2, "2026-11-20", "2500.00")
    # when the invoices are read as of three month ends, counting the statements
    seen: list[str] = []
    remove = add_statement_listener(seen.append)
    try:
        body = await gql(client, AS_OF, {}, token(settings, roles=["viewer"]))
    finally:
        remove()
    # then each figure is the ledger's on that day, and one statement per date answers all
    nodes = {e["node"]["number"]: e["node"] for e in body["data"]["invoices"]["edges"]}
    assert {
        k: (v["sep"]["amount"], v["oct"]["amount"], v["nov"]["amount"]) for k, v in nodes.items()
    } == {
        "A-0": ("1000.00", "0.00", "0.00"),
        "A-1": ("1000.00", "0.00", "0.00"),
        "A-2": ("1000.00", "500.00", "0.00"),
        "A-3": ("1000.00", "1000.00", "0.00"),
        "A-4": ("1000.00", "1000.00", "0.00"),
    }
    assert {k: (v["statusOct"], v["statusNov"], v["statusNow"]) for k, v in nodes.items()} == {
        "A-0": ("PAID", "PAID", "PAID"),
        "A-1": ("PAID", "PAID", "PAID"),
        "A-2": ("OPEN", "PAID", "PAID"),
        "A-3": ("OPEN", "PAID", "PAID"),
        "A-4": ("OPEN", "PAID", "PAID"),
    }
    assert nodes["A-4"]["late"] == 41 and nodes["A-4"]["now"] == {"amount": "0.00"}
    as_of_reads = [s for s in seen if "effective_on >" in s]
    assert len(as_of_reads) == 3, as_of_reads  # one per date, not one per invoice
