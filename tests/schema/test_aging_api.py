"""The aging report through GraphQL: buckets, currencies apart, groups and paging."""

from __future__ import annotations

from tests.conftest import gql, token
from tests.schema.test_customers_api import create
from tests.schema.test_ledger_api import INVOICE, invoice_input

AGING = """query A($asOf: Date, $groupBy: AgingGroup, $first: Int, $after: String,
                  $basis: AgingBasis) {
  aging(asOf: $asOf, groupBy: $groupBy, first: $first, after: $after, basis: $basis) {
    asOf totalCount buckets { label }
    totals { currency total { amount } overdue { amount } buckets { label amount { amount } } }
    lines { key currency overdue { amount } customer { code } cursor }
    pageInfo { hasNextPage endCursor } } }"""


async def test_aging_report(client, settings):
    # given: two customers, CNY and USD invoices at several ages
    manager, finance = token(settings), token(settings, roles=["finance"])
    one = (await create(client, manager, "AG-1", salesperson="王伟"))["customer"]["id"]
    two = (await create(client, manager, "AG-2", salesperson="张敏"))["customer"]["id"]
    for number, customer, due, amount, currency in (
        ("I1", one, "2026-11-30", "100.00", "CNY"),  # current
        ("I2", one, "2026-11-10", "200.00", "CNY"),  # 14 days past due
        ("I3", two, "2026-07-01", "300.00", "CNY"),  # 146 days
        ("I4", two, "2026-11-01", "50.00", "USD"),  # 23 days, other currency
    ):
        body = await gql(
            client,
            INVOICE,
            {
                "input": {
                    **invoice_input(customer, number, amount),
                    "issueDate": "2026-06-01",
                    "dueDate": due,
                    "amount": {"amount": amount, "currency": currency},
                }
            },
            finance,
        )
        assert body["data"]["createInvoice"]["userErrors"] == []
    # when
    raw = await gql(client, AGING, {"asOf": "2026-11-24", "first": 2}, manager)
    assert "errors" not in raw, raw
    report = raw["data"]["aging"]
    page2 = (
        await gql(
            client,
            AGING,
            {"asOf": "2026-11-24", "first": 2, "after": report["pageInfo"]["endCursor"]},
            manager,
        )
    )["data"]["aging"]
    by_sales = (
        await gql(client, AGING, {"asOf": "2026-11-24", "groupBy": "SALESPERSON"}, manager)
    )["data"]["aging"]
    before = (await gql(client, AGING, {"asOf": "2026-05-01"}, manager))["data"]["aging"]
    # then
    cny = next(t for t in report["totals"] if t["currency"] == "CNY")
    assert cny["total"]["amount"] == "600.00" and cny["overdue"]["amount"] == "500.00"
    assert {b["label"]: b["amount"]["amount"] for b in cny["buckets"]} == {
        "CURRENT": "100.00",
        "1-30": "200.00",
        "31-60": "0.00",
        "61-90": "0.00",
        "91-180": "300.00",
        "181-365": "0.00",
        "365+": "0.00",
    }
    usd = next(t for t in report["totals"] if t["currency"] == "USD")
    assert usd["total"]["amount"] == "50.00"
    assert report["totalCount"] == 3
    assert [(x["customer"]["code"], x["currency"]) for x in report["lines"]] == [
        ("AG-2", "CNY"),
        ("AG-1", "CNY"),
    ]
    assert [(x["customer"]["code"], x["currency"]) for x in page2["lines"]] == [("AG-2", "USD")]
    assert page2["pageInfo"]["hasNextPage"] is False
    assert {(x["key"], x["currency"]) for x in by_sales["lines"]} == {
        ("王伟", "CNY"),
        ("张敏", "CNY"),
        ("张敏", "USD"),
    }
    assert before["totals"] == [] and before["totalCount"] == 0


ONE_CUSTOMER = """query A($customerId: ID) {
  aging(asOf: "2026-11-24", groupBy: INVOICE, customerId: $customerId) {
    totalCount totals { currency total { amount } overdue { amount } }
    lines { currency overdue { amount } invoice { number } customer { code } } } }"""


async def test_one_customer_aging_by_invoice(client, settings):
    # given: two customers with invoices
    manager, finance = token(settings), token(settings, roles=["finance"])
    one = (await create(client, manager, "AI-1"))["customer"]["id"]
    two = (await create(client, manager, "AI-2"))["customer"]["id"]
    for number, customer, due in (
        ("N1", one, "2026-11-30"),
        ("N2", one, "2026-10-01"),
        ("N3", two, "2026-10-01"),
    ):
        body = await gql(
            client,
            INVOICE,
            {
                "input": {
                    **invoice_input(customer, number, "10.00"),
                    "issueDate": "2026-09-01",
                    "dueDate": due,
                }
            },
            finance,
        )
        assert body["data"]["createInvoice"]["userErrors"] == []
    # when
    mine = (await gql(client, ONE_CUSTOMER, {"customerId": one}, manager))["data"]["aging"]
    other_tenant = await gql(
        client, ONE_CUSTOMER, {"customerId": one}, token(settings, tenant="globex")
    )
    # then: most overdue first, only this customer's invoices
    assert mine["totalCount"] == 2
    assert mine["totals"] == [
        {"currency": "CNY", "total": {"amount": "20.00"}, "overdue": {"amount": "10.00"}}
    ]
    assert [(x["invoice"]["number"], x["customer"]) for x in mine["lines"]] == [
        ("N2", None),
        ("N1", None),
    ]
    assert other_tenant["data"]["aging"]["totalCount"] == 0


BACKWARD = """query A($first: Int, $after: String, $last: Int, $before: String) {
  aging(asOf: "2026-11-24", groupBy: INVOICE, first: $first, after: $after, last: $last,
        before: $before) {
    lines { invoice { number } cursor }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""


async def test_aging_pages_backward_as_well(client, settings):
    # given: five overdue invoices of different ages, so of different overdue order
    manager, finance = token(settings), token(settings, roles=["finance"])
    customer = (await create(client, manager, "AGB-1"))["customer"]["id"]
    for n, due in enumerate(("2026-11-20", "2026-10-20", "2026-09-20", "2026-08-20", "2026-07-20")):
        made = await gql(
            client,
            INVOICE,
            {"input": {**invoice_input(customer, f"B{n}", f"{100 + n}.00"),
                       "issueDate": "2026-06-01", "dueDate": due}},
            finance,
        )  # fmt: skip
        assert made["data"]["createInvoice"]["userErrors"] == []

    async def page(**arguments: object) -> dict:
        body = await gql(client, BACKWARD, arguments, manager)
        assert "errors" not in body, body
        return body["data"]["aging"]  # type: ignore[no-any-return]

    def numbers(report: dict) -> list[str]:
        return [line["invoice"]["number"] for line in report["lines"]]

    # when read forward two at a time, then backward two at a time from the end
    forward = [await page(first=2)]
    while forward[-1]["pageInfo"]["hasNextPage"]:
        forward.append(await page(first=2, after=forward[-1]["pageInfo"]["endCursor"]))
    backward = [await page(last=2)]
    while backward[-1]["pageInfo"]["hasPreviousPage"]:
        backward.append(await page(last=2, before=backward[-1]["pageInfo"]["startCursor"]))
    both = await gql(client, BACKWARD, {"first": 2, "last": 2}, manager)
    # then: the same lines, in reverse page order, each page in list order
    assert [numbers(p) for p in forward] == [["B4", "B3"], ["B2", "B1"], ["B0"]]
    assert [numbers(p) for p in backward] == [["B1", "B0"], ["B3", "B2"], ["B4"]]
    assert [p["pageInfo"]["hasPreviousPage"] for p in forward] == [False, True, True]
    assert [p["pageInfo"]["hasNextPage"] for p in backward] == [False, True, True]
    assert [p["pageInfo"]["hasPreviousPage"] for p in backward] == [True, True, False]
    assert both["data"]["aging"] is None
    assert both["errors"][0]["extensions"]["code"] == "PAGE_ARGUMENTS_CONFLICT"
