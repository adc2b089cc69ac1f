"""checkCredit and creditExposure over HTTP: converted figures name their rate and date; a
missing rate in a group is a review the exposure view explains; another customer's order
reference is a userError on `orderRef` and nothing is written."""

from __future__ import annotations

from datetime import timedelta

from schema.relay import to_global_id
from services.credit import orders
from services.credit.orders import OrderIn
from services.customers.credit_files import link_partner
from services.inputs import MoneyIn
from services.uow import Actor, UnitOfWork
from tests.conftest import gql, token
from tests.services.credit_limits_helpers import (
    TODAY,
    approved_limit,
    customer,
    invoice,
    rate,
)

CHECK = """mutation C($input: CheckCreditInput!) { checkCredit(input: $input) {
  check { id outcome available { amount currency } prepayment { amount currency }
          reasons { code detail currencyPair }
          availableConversion { amount { amount currency } original { amount currency }
                                rate rateDate inverse }
          prepaymentConversion { rate rateDate }
          utilisationAfterConversion { amount { amount currency } original { amount currency }
                                       rate rateDate inverse }
          reservation { id } }
  orderRegistered
  userErrors { field code message } } }"""
UNCONVERTED = "unconverted { part original { amount currency } missingPair }"
EXPOSURE = f"""query E($id: ID!) {{ creditExposure(customerId: $id) {{
  exposure {{ exposure {{ total {{ amount currency }} {UNCONVERTED} }}
             groups {{ standing {{ headroom {{ amount }} exposure {{ {UNCONVERTED} }} }} }} }}
  userErrors {{ field code }} }} }}"""
REPLAY = """query R($id: ID!) { replayCreditDecision(id: $id) { equal differences { path } } }"""
#: what a check writes: its log entry, its reservation, its events
WRITTEN = (
    "SELECT (SELECT count(*) FROM credit_decisions WHERE kind = 'CREDIT_CHECK'),"
    " (SELECT count(*) FROM credit_reservations),"
    " (SELECT count(*) FROM events) + (SELECT count(*) FROM events_pending)"
)
RATE_DAY = TODAY - timedelta(days=2)


def _check(customer_id: object, amount: str, currency: str = "CNY", **extra: object) -> dict:
    return {
        "input": {
            "customerId": to_global_id("Customer", customer_id),
            "amount": amount,
            "currency": currency,
            **extra,
        }
    }


async def test_converted_figures_name_their_rate_and_date(client, settings, runtime, tenants):
    # given: a 10,000.00 CNY limit and 1 EUR = 8 CNY
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "FXA-1")
    await approved_limit(runtime, tenant, cid, "10000.00")
    await rate(runtime, tenant, "EUR", "CNY", "8", RATE_DAY)
    sales = token(settings, roles=["sales"], sub="sam")
    # when: a 2,000.00 EUR order is checked
    body = await gql(client, CHECK, _check(cid, "2000.00", "EUR"), sales)
    # then: available and prepayment say which rate and date they used
    payload = body["data"]["checkCredit"]
    assert payload["userErrors"] == []
    check = payload["check"]
    assert check["outcome"] == "PREPAYMENT_REQUIRED"
    assert check["available"] == {"amount": "1250.00", "currency": "EUR"}
    assert check["prepayment"] == {"amount": "750.00", "currency": "EUR"}
    assert check["availableConversion"] == {
        "amount": {"amount": "1250.00", "currency": "EUR"},
        "original": {"amount": "10000.00", "currency": "CNY"},
        "rate": "8",
        "rateDate": RATE_DAY.isoformat(),
        "inverse": True,
    }
    assert check["prepaymentConversion"] == {"rate": "8", "rateDate": RATE_DAY.isoformat()}
    assert check["utilisationAfterConversion"] == {
        "amount": {"amount": "10000.00", "currency": "CNY"},
        "original": {"amount": "1250.00", "currency": "EUR"},
        "rate": "8",
        "rateDate": RATE_DAY.isoformat(),
        "inverse": False,
    }
    # and the logged decision replays equal
    replayed = await gql(client, REPLAY, {"id": check["id"]}, token(settings))
    assert replayed["data"]["replayCreditDecision"] == {"equal": True, "differences": []}


async def test_a_missing_rate_in_the_group_is_answered_and_explained(
    client, settings, runtime, tenants, database
):
    # given: a group limit over a parent that owes 100.00 USD, and no USD/CNY rate
    tenant = tenants["acme"]
    parent = await customer(runtime, tenant, "FXA-P")
    child = await customer(runtime, tenant, "FXA-S")
    async with UnitOfWork(runtime.engine, tenant, Actor("ana")) as uow:
        await link_partner(uow, parent, child, "SUBSIDIARY", None)
        await uow.commit()
    await approved_limit(runtime, tenant, child, "10000.00")
    await approved_limit(runtime, tenant, parent, "50000.00", scope="GROUP")
    await invoice(runtime, tenant, parent, "FXA-USD", "100.00", currency="USD",
                  due=TODAY + timedelta(days=30))  # fmt: skip
    sales = token(settings, roles=["sales"], sub="sam")
    # when: the subsidiary's order is checked, and its exposure read
    body = await gql(client, CHECK, _check(child, "500.00", orderRef="FXA-1", reserve=True), sales)
    seen = await gql(client, EXPOSURE, {"id": to_global_id("Customer", child)}, token(settings))
    # then: REVIEW_REQUIRED naming the pair, not a refusal; nothing held
    payload = body["data"]["checkCredit"]
    assert payload["userErrors"] == []
    check = payload["check"]
    assert check["outcome"] == "REVIEW_REQUIRED" and check["reservation"] is None
    [reason] = check["reasons"]
    assert (reason["code"], reason["currencyPair"]) == ("NO_EXCHANGE_RATE", "USD/CNY")
    assert "100.00 USD" in reason["detail"]
    assert database.query("SELECT count(*) FROM credit_reservations WHERE status = 'ACTIVE'") == [
        (0,)
    ]
    # and the exposure view lists the unconverted amount with the missing rate
    view = seen["data"]["creditExposure"]
    assert view["userErrors"] == []
    assert view["exposure"]["exposure"]["unconverted"] == []
    [group] = view["exposure"]["groups"]
    assert group["standing"]["headroom"] == {"amount": "50000.00"}
    assert group["standing"]["exposure"]["unconverted"] == [
        {
            "part": "RECEIVABLES",
            "original": {"amount": "100.00", "currency": "USD"},
            "missingPair": "USD/CNY",
        }
    ]


async def test_another_customers_order_ref_is_a_user_error_and_nothing_is_written(
    client, settings, runtime, tenants, database
):
    # given: SO-Z-1 registered as another customer's order
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "FXA-R1")
    other = await customer(runtime, tenant, "FXA-R2")
    await approved_limit(runtime, tenant, cid, "100000.00")
    async with UnitOfWork(runtime.engine, tenant, Actor("erp")) as uow:
        await orders.create_order(
            uow, OrderIn("SO-Z-1", other, MoneyIn("20000.00", "CNY"), TODAY), TODAY
        )
        await uow.commit()
    before = database.query(WRITTEN)
    # when: this customer's check reserves under that reference
    body = await gql(
        client, CHECK, _check(cid, "100.00", orderRef="SO-Z-1", reserve=True),
        token(settings, roles=["sales"], sub="sam"),
    )  # fmt: skip
    # then: refused on orderRef, and nothing is written
    payload = body["data"]["checkCredit"]
    assert payload["check"] is None and payload["orderRegistered"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        ("orderRef", "ORDER_REF_TAKEN")
    ]
    assert database.query(WRITTEN) == before == [(0, 0, before[0][2])]
