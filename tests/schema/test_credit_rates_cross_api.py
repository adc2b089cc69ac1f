"""Rates crossed through the tenant's base currency over HTTP: an EUR limit over USD
receivables with only USD/CNY and EUR/CNY rates (CNY the base) converts, naming both rates;
the check decides without NO_EXCHANGE_RATE and its logged decision replays equal."""

from __future__ import annotations

from datetime import timedelta

from schema.relay import to_global_id
from tests.conftest import gql, token
from tests.services.credit_limits_helpers import (
    TODAY,
    approved_limit,
    customer,
    invoice,
    rate,
)

CONVERTED = """amount { amount currency } original { amount currency } rate rateDate inverse
  via legs { source target pair rate rateDate inverse }"""
EXPOSURE = f"""query E($id: ID!) {{ creditExposure(customerId: $id) {{
  exposure {{ exposure {{ total {{ amount currency }} receivables {{ {CONVERTED} }}
                          unconverted {{ missingPair }} }} }}
  userErrors {{ field code }} }} }}"""
CHECK = """mutation C($input: CheckCreditInput!) { checkCredit(input: $input) {
  check { id outcome reasons { code currencyPair } }
  userErrors { field code message } } }"""
REPLAY = """query R($id: ID!) { replayCreditDecision(id: $id) { equal differences { path } } }"""
USD_DAY = TODAY - timedelta(days=3)
EUR_DAY = TODAY - timedelta(days=5)


async def test_an_eur_limit_over_usd_receivables_crosses_through_the_base(
    client, settings, runtime, tenants
):
    # given: a 200,000.00 EUR limit, 1,000.00 USD owed, and only USD/CNY and EUR/CNY rates
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "XFX-1")
    await rate(runtime, tenant, "USD", "CNY", "7.1", USD_DAY)
    await rate(runtime, tenant, "EUR", "CNY", "7.85", EUR_DAY)
    await approved_limit(runtime, tenant, cid, "200000.00", "EUR")
    await invoice(runtime, tenant, cid, "XFX-USD", "1000.00", currency="USD",
                  due=TODAY + timedelta(days=30))  # fmt: skip
    # when: its exposure is read and an EUR order checked
    seen = await gql(client, EXPOSURE, {"id": to_global_id("Customer", cid)}, token(settings))
    sales = token(settings, roles=["sales"], sub="sam")
    order = {"customerId": to_global_id("Customer", cid), "amount": "500.00", "currency": "EUR"}
    body = await gql(client, CHECK, {"input": order}, sales)
    # then: the USD receivable is in EUR through CNY, naming both rates and their dates
    view = seen["data"]["creditExposure"]
    assert view["userErrors"] == []
    breakdown = view["exposure"]["exposure"]
    assert breakdown["unconverted"] == []
    assert breakdown["total"] == {"amount": "904.46", "currency": "EUR"}
    assert breakdown["receivables"] == [
        {
            "amount": {"amount": "904.46", "currency": "EUR"},
            "original": {"amount": "1000.00", "currency": "USD"},
            "rate": None,
            "rateDate": None,
            "inverse": False,
            "via": "CNY",
            "legs": [
                {"source": "USD", "target": "CNY", "pair": "USD/CNY", "rate": "7.1",
                 "rateDate": USD_DAY.isoformat(), "inverse": False},
                {"source": "CNY", "target": "EUR", "pair": "EUR/CNY", "rate": "7.85",
                 "rateDate": EUR_DAY.isoformat(), "inverse": True},
            ],
        }
    ]  # fmt: skip
    # and the check approves without a missing rate, and replays equal
    payload = body["data"]["checkCredit"]
    assert payload["userErrors"] == []
    assert payload["check"]["outcome"] == "APPROVED"
    assert payload["check"]["reasons"] == []
    replayed = await gql(client, REPLAY, {"id": payload["check"]["id"]}, token(settings))
    assert replayed["data"]["replayCreditDecision"] == {"equal": True, "differences": []}


async def test_a_usd_order_against_an_eur_limit_crosses_instead_of_refusing(
    client, settings, runtime, tenants
):
    # given: a 200,000.00 EUR limit and only USD/CNY and EUR/CNY rates (CNY the base)
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "XFX-2")
    await rate(runtime, tenant, "USD", "CNY", "7.1", USD_DAY)
    await rate(runtime, tenant, "EUR", "CNY", "7.85", EUR_DAY)
    await approved_limit(runtime, tenant, cid, "200000.00", "EUR")
    # when: a USD order is checked (no USD/EUR rate was ever entered)
    sales = token(settings, roles=["sales"], sub="sam")
    order = {"customerId": to_global_id("Customer", cid), "amount": "1000.00", "currency": "USD"}
    body = await gql(client, CHECK, {"input": order}, sales)
    # then: it converts through CNY and is decided, not refused, and replays equal
    payload = body["data"]["checkCredit"]
    assert payload["userErrors"] == []
    assert payload["check"]["outcome"] == "APPROVED"
    replayed = await gql(client, REPLAY, {"id": payload["check"]["id"]}, token(settings))
    assert replayed["data"]["replayCreditDecision"] == {"equal": True, "differences": []}
