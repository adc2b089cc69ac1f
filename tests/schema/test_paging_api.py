"""Relay paging through HTTP: forward and backward keyset pages, page info both ways, short
opaque cursors, and the arguments that cannot go together."""

from __future__ import annotations

from typing import Any

from tests.conftest import gql, token
from tests.schema.test_customers_api import create
from tests.schema.test_ledger_api import INVOICE, PAYMENT, invoice_input

PAGE_INFO = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"
CUSTOMERS = f"""query C($first: Int, $after: String, $last: Int, $before: String,
                    $orderBy: CustomerOrder) {{
  customers(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {{
    {PAGE_INFO} edges {{ cursor node {{ code }} }} }} }}"""
INVOICES = f"""query I($first: Int, $after: String, $last: Int, $before: String) {{
  invoices(first: $first, after: $after, last: $last, before: $before) {{
    {PAGE_INFO} edges {{ cursor node {{ number }} }} }} }}"""
PAYMENTS = f"""query P($first: Int, $after: String, $last: Int, $before: String) {{
  payments(first: $first, after: $after, last: $last, before: $before) {{
    {PAGE_INFO} edges {{ cursor node {{ reference }} }} }} }}"""


async def _page(client: Any, query: str, bearer: str, **args: Any) -> dict[str, Any]:
    body = await gql(client, query, args, bearer)
    assert "errors" not in body, body
    (connection,) = body["data"].values()
    return connection  # type: ignore[no-any-return]


def _names(connection: dict[str, Any], field: str) -> list[str]:
    return [edge["node"][field] for edge in connection["edges"]]


async def _walk_back(client: Any, query: str, bearer: str, field: str, **args: Any) -> list[str]:
    """Every item, read from the end backwards two at a time, in list order."""
    seen: list[list[str]] = []
    before = None
    while True:
        page = await _page(client, query, bearer, last=2, before=before, **args)
        seen.insert(0, _names(page, field))
        info = page["pageInfo"]
        assert info["hasNextPage"] is (before is not None)  # as Relay permits
        if not info["hasPreviousPage"]:
            return [name for names in seen for name in names]
        before = info["startCursor"]


async def test_customers_page_backwards_in_both_orders(client, settings) -> None:
    # given five customers
    bearer = token(settings)
    for code in ("P-3", "P-1", "P-5", "P-2", "P-4"):
        await create(client, bearer, code)
    for direction, codes in (("ASC", ["P-1", "P-2", "P-3", "P-4", "P-5"]),
                             ("DESC", ["P-5", "P-4", "P-3", "P-2", "P-1"])):  # fmt: skip
        order = {"field": "CODE", "direction": direction}
        # when the list is read forward, then its last two, then the two before those
        forward = await _page(client, CUSTOMERS, bearer, first=10, orderBy=order)
        tail = await _page(client, CUSTOMERS, bearer, last=2, orderBy=order)
        middle = await _page(
            client, CUSTOMERS, bearer, last=2, before=tail["pageInfo"]["startCursor"], orderBy=order
        )
        after_middle = await _page(
            client, CUSTOMERS, bearer, first=1, after=middle["pageInfo"]["endCursor"], orderBy=order
        )
        # then each page is in list order and knows what lies on either side
        assert _names(forward, "code") == codes
        assert forward["pageInfo"]["hasPreviousPage"] is False
        assert _names(tail, "code") == codes[3:]
        assert tail["pageInfo"] == {
            "hasNextPage": False,
            "hasPreviousPage": True,
            "startCursor": tail["edges"][0]["cursor"],
            "endCursor": tail["edges"][1]["cursor"],
        }
        assert _names(middle, "code") == codes[1:3]
        assert middle["pageInfo"]["hasNextPage"] and middle["pageInfo"]["hasPreviousPage"]
        assert _names(after_middle, "code") == codes[3:4]
        assert after_middle["pageInfo"]["hasPreviousPage"] is True
        # and walking back from the end gives the whole list
        assert await _walk_back(client, CUSTOMERS, bearer, "code", orderBy=order) == codes


async def test_invoices_and_payments_page_backwards(client, settings) -> None:
    # given five invoices due on different days and three payments on different days
    customer = (await create(client, token(settings), "PG-1"))["customer"]["id"]
    finance = token(settings, roles=["finance"])
    for day in ("2026-10-04", "2026-10-01", "2026-10-05", "2026-10-03", "2026-10-02"):
        invoice = invoice_input(customer, f"INV-{day[-2:]}", "10.00", issueDate=day)
        assert (await gql(client, INVOICE, {"input": invoice}, finance))["data"]["createInvoice"]
    for n, day in enumerate(("2026-10-20", "2026-10-22", "2026-10-21")):
        payment = {
            "customerId": customer,
            "receivedOn": day,
            "amount": {"amount": "1.00", "currency": "CNY"},
            "reference": f"R-{day[-2:]}",
            "idempotencyKey": f"pay-{n}",
        }
        assert (await gql(client, PAYMENT, {"input": payment}, finance))["data"]["createPayment"]
    # when both lists are read forward and walked back from their ends
    invoices = _names(await _page(client, INVOICES, finance, first=10), "number")
    payments = _names(await _page(client, PAYMENTS, finance, first=10), "reference")
    # then backwards gives the same lists: invoices by due date, payments newest first
    assert invoices == ["INV-01", "INV-02", "INV-03", "INV-04", "INV-05"]
    assert await _walk_back(client, INVOICES, finance, "number") == invoices
    assert payments == ["R-22", "R-21", "R-20"]
    assert await _walk_back(client, PAYMENTS, finance, "reference") == payments


async def test_cursors_are_short_and_opaque(client, settings) -> None:
    # given a customer with the longest legal name
    bearer = token(settings)
    await create(client, bearer, "LONG", legalName="长" * 200)
    # when its page is read by name
    page = await _page(client, CUSTOMERS, bearer, first=1, orderBy={"field": "NAME"})
    # then its cursor is 22 characters and does not spell the name
    cursor = page["edges"][0]["cursor"]
    assert len(cursor) == 22 and "长" not in cursor


async def test_paging_both_ways_at_once_is_a_coded_error(client, settings) -> None:
    # given a customer and its cursor
    bearer = token(settings)
    await create(client, bearer, "BOTH")
    cursor = (await _page(client, CUSTOMERS, bearer, first=1))["edges"][0]["cursor"]
    # when `first` and `last`, or `after` and `last`, come together, or `last` is too large
    both = await gql(client, CUSTOMERS, {"first": 1, "last": 1}, bearer)
    mixed = await gql(client, CUSTOMERS, {"after": cursor, "last": 1}, bearer)
    large = await gql(client, CUSTOMERS, {"last": 101}, bearer)
    bad = await gql(client, CUSTOMERS, {"last": 1, "before": "not-a-cursor"}, bearer)
    # then each is refused with its code, and nothing else is answered
    assert both["errors"][0]["extensions"]["code"] == "PAGE_ARGUMENTS_CONFLICT"
    assert mixed["errors"][0]["extensions"]["code"] == "PAGE_ARGUMENTS_CONFLICT"
    assert both["data"] == mixed["data"] == {"customers": None}
    assert large["errors"][0]["extensions"]["code"] == "PAGE_SIZE_EXCEEDED"
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "`before`" in bad["errors"][0]["message"]
