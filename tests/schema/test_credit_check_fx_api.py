"""checkCredit and creditExposure over HTTP: converted figures name their rate and date; a
missing rate in a group is a review the exposure view explains; another customer's order
reference is a userError on `orderRef` and nothing is written."""

from __future__ import annotations

from datetime import timedelta

from schema.relay import to_global_id
from services.credit import orders
from services.credit.holds import set_hold
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


MISSING_RATE_CHECK = """mutation C($input: CheckCreditInput!) { checkCredit(input: $input) {
  check { id outcome available { amount } prepayment { amount currency } prepaymentIsMinimum
          utilisationAfter headroom { amount } standing { utilisation }
          reasons { code detail currencyPair } reservation { id } }
  userErrors { field code } } }"""


async def test_a_missing_rate_does_not_hide_a_certain_over_limit(
    client, settings, runtime, tenants, database
):
    # given: a 300,000.00 CNY limit, 290,000.00 CNY open, a live 10,000.00 CNY hold, and a
    # 1,000.00 CHF invoice with no CHF rate
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "FXA-M1")
    await approved_limit(runtime, tenant, cid, "300000.00")
    await invoice(runtime, tenant, cid, "FXA-M-CNY", "290000.00", due=TODAY + timedelta(days=30))
    sales = token(settings, roles=["sales"], sub="sam")
    held = await gql(client, CHECK, _check(cid, "10000.00", orderRef="H-1", reserve=True), sales)
    assert held["data"]["checkCredit"]["check"]["reservation"] is not None
    await invoice(runtime, tenant, cid, "FXA-M-CHF", "1000.00", currency="CHF",
                  due=TODAY + timedelta(days=30))  # fmt: skip
    # when: a 50,000.00 CNY order is checked
    body = await gql(client, MISSING_RATE_CHECK, _check(cid, "50000.00"), sales)
    # then: OVER_LIMIT, the whole order prepaid at least, the missing rate named once
    payload = body["data"]["checkCredit"]
    assert payload["userErrors"] == []
    check = payload["check"]
    assert check["outcome"] == "PREPAYMENT_REQUIRED"
    assert [(r["code"], r["currencyPair"]) for r in check["reasons"]] == [
        ("OVER_LIMIT", None),
        ("NO_EXCHANGE_RATE", "CHF/CNY"),
    ]
    assert check["prepayment"] == {"amount": "50000.00", "currency": "CNY"}
    assert check["prepaymentIsMinimum"] is True
    # and what cannot be known is null, not zero
    assert check["available"] is None
    assert check["utilisationAfter"] is None
    assert check["standing"]["utilisation"] is None
    assert check["reasons"][1]["detail"].count("1000.00 CHF") == 1
    # and the logged decision replays equal
    replayed = await gql(client, REPLAY, {"id": check["id"]}, token(settings))
    assert replayed["data"]["replayCreditDecision"] == {"equal": True, "differences": []}


async def test_a_held_customers_order_in_a_currency_without_a_rate_is_blocked_and_logged(
    client, settings, runtime, tenants, database
):
    # given: a customer on credit hold with a CNY limit, and no CHF rate
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "FXA-M2")
    await approved_limit(runtime, tenant, cid, "300000.00")
    async with UnitOfWork(
        runtime.engine, tenant, Actor("ana", frozenset({"credit_manager"}))
    ) as uow:
        await set_hold(uow, cid, True, "fraud suspected")
        await uow.commit()
    logged = "SELECT count(*) FROM credit_decisions WHERE kind = 'CREDIT_CHECK'"
    [(before,)] = database.query(logged)
    # when: a CHF order is checked
    body = await gql(client, MISSING_RATE_CHECK, _check(cid, "100.00", "CHF"),
                     token(settings, roles=["sales"], sub="sam"))  # fmt: skip
    # then: BLOCKED, logged, not refused
    payload = body["data"]["checkCredit"]
    assert payload["userErrors"] == []
    assert payload["check"]["outcome"] == "BLOCKED"
    assert payload["check"]["reasons"][0]["code"] == "CREDIT_HOLD"
    assert database.query(logged) == [(before + 1,)]
