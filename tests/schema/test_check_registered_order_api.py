"""checkCredit over HTTP: a registered order is not held twice; a missing rate for the amount's
currency names `currency`."""

from __future__ import annotations

from tests.conftest import gql, token
from tests.schema.test_credit_limits_api import ORDER, _check, _customer, _limit

CHECK = """mutation C($input: CheckCreditInput!) { checkCredit(input: $input) {
  check { outcome reservation { status amount { amount } } }
  orderRegistered
  userErrors { field code message } } }"""
EXPOSURE = """query E($id: ID!) { creditExposure(customerId: $id) {
  exposure { exposure { total { amount } ordersTotal { amount } reservationsTotal { amount } } }
  userErrors { field code } } }"""


async def test_rechecking_a_registered_order_holds_nothing_more(client, settings, database):
    # given: a 100,000.00 limit and order SO-Y-1 of 20,000.00 registered
    customer = await _customer(client, settings, "API-RO-1")
    await _limit(client, settings, customer, "100000.00")
    erp = token(settings, roles=["integrator"], sub="erp")
    order = {
        "orderRef": "SO-Y-1",
        "customerId": customer,
        "amount": {"amount": "20000.00", "currency": "CNY"},
    }
    created = await gql(client, ORDER, {"input": order}, erp)
    assert created["data"]["createSalesOrder"]["userErrors"] == []
    sales = token(settings, roles=["sales"], sub="sam")
    # when: the order is checked with a reservation, and a new order is too
    again = await gql(
        client,
        CHECK,
        _check(customer, "20000.00", orderRef="SO-Y-1", reserve=True, ttlSeconds=3600),
        sales,
    )
    fresh = await gql(
        client, CHECK, _check(customer, "500.00", orderRef="SO-Y-2", reserve=True), sales
    )
    seen = await gql(client, EXPOSURE, {"id": customer}, token(settings))
    # then: approved, nothing held for the registered order, and the order counts once
    assert again["data"]["checkCredit"] == {
        "check": {"outcome": "APPROVED", "reservation": None},
        "orderRegistered": True,
        "userErrors": [],
    }
    assert fresh["data"]["checkCredit"] == {
        "check": {
            "outcome": "APPROVED",
            "reservation": {"status": "ACTIVE", "amount": {"amount": "500.00"}},
        },
        "orderRegistered": False,
        "userErrors": [],
    }
    assert seen["data"]["creditExposure"]["exposure"]["exposure"] == {
        "total": {"amount": "20500.00"},
        "ordersTotal": {"amount": "20000.00"},
        "reservationsTotal": {"amount": "500.00"},
    }
    assert database.query(
        "SELECT order_ref, amount_minor FROM credit_reservations WHERE status = 'ACTIVE'"
    ) == [("SO-Y-2", 50_000)]


async def test_a_currency_without_a_rate_names_the_currency_field(client, settings):
    # given: a CNY limit and no EUR rate
    customer = await _customer(client, settings, "API-FX-1")
    await _limit(client, settings, customer, "5000.00")
    # when
    checked = await gql(
        client, CHECK, {"input": {**_check(customer, "10.00")["input"], "currency": "EUR"}},
        token(settings, roles=["sales"], sub="sam"),
    )  # fmt: skip
    # then
    payload = checked["data"]["checkCredit"]
    assert payload["check"] is None and payload["orderRegistered"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        ("currency", "NO_EXCHANGE_RATE")
    ]
