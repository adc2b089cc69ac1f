"""Net of cover over HTTP: an open item with no rate sends checkCredit to review naming the
pair (and replays equal), a cover with no rate gives no relief and no review, and
riskWaterfall / portfolioRiskWaterfall list what they left out."""

from __future__ import annotations

from datetime import date, timedelta

from schema.relay import to_global_id
from services.inputs import MoneyIn
from services.risk import security_settings
from services.risk.security_settings import SettingsIn
from tests.conftest import gql, token
from tests.schema.test_credit_check_fx_api import CHECK, REPLAY, _check
from tests.services.credit_limits_helpers import TODAY, approved_limit, customer, invoice
from tests.services.risk_security_helpers import guarantee, guarantee_in, guarantor, uow

MONEY = "{ amount currency }"
WATERFALL = f"""query W($id: ID!) {{ riskWaterfall(customerId: $id) {{
  currency gross {MONEY} net {MONEY} lines {{ applied {MONEY} }}
  unconverted {{ figure ref label original {MONEY} missingPair }} }}
  portfolioRiskWaterfall {{ gross {MONEY} net {MONEY}
  unconverted {{ figure original {MONEY} customers missingPair }} }} }}"""


async def test_a_net_check_and_the_waterfalls_show_what_no_rate_converts(
    client, settings, runtime, tenants, database
):
    # given: net basis; 9,000.00 CNY and 100.00 USD open against 10,000.00 CNY; a 5,000.00
    # CNY and a 1,000.00 USD bank guarantee; no USD/CNY rate
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "NRA-1")
    await approved_limit(runtime, tenant, cid, "10000.00")
    due = TODAY + timedelta(days=30)
    await invoice(runtime, tenant, cid, "NRA-CNY", "9000.00", due=due)
    await invoice(runtime, tenant, cid, "NRA-USD", "100.00", currency="USD", due=due)
    ids = []
    for n, amount in enumerate((MoneyIn("5000.00", "CNY"), MoneyIn("1000.00", "USD"))):
        ids.append(await guarantee(runtime, tenant, guarantee_in(
            await guarantor(runtime, tenant), cid, reference=f"NRA-G{n}", kind="BANK_GUARANTEE",
            amount=amount, valid_from=date(2020, 1, 1), valid_to=TODAY + timedelta(days=365),
        )))  # fmt: skip
    async with uow(runtime, tenant) as work:
        await security_settings.update(work, 0, SettingsIn(check_basis="NET"))
        await work.commit()
    sales = token(settings, roles=["sales"], sub="sam")
    # when: an order is checked, and both waterfalls read
    body = await gql(client, CHECK, _check(cid, "500.00", orderRef="NRA-O", reserve=True), sales)
    seen = await gql(client, WATERFALL, {"id": to_global_id("Customer", cid)}, token(settings))
    # then: REVIEW_REQUIRED, one reason naming the pair; nothing held
    payload = body["data"]["checkCredit"]
    assert payload["userErrors"] == []
    check = payload["check"]
    assert check["outcome"] == "REVIEW_REQUIRED" and check["reservation"] is None
    [reason] = check["reasons"]
    assert (reason["code"], reason["currencyPair"]) == ("NO_EXCHANGE_RATE", "USD/CNY")
    # the debt is named; the USD guarantee is no part of the check (no relief, no review)
    assert "100.00 USD" in reason["detail"] and "1000.00 USD" not in reason["detail"]
    assert database.query("SELECT count(*) FROM credit_reservations") == [(0,)]
    replayed = await gql(client, REPLAY, {"id": check["id"]}, token(settings))
    assert replayed["data"]["replayCreditDecision"] == {"equal": True, "differences": []}
    # and the waterfalls count what converts and list what does not
    assert "errors" not in seen, seen
    view = seen["data"]["riskWaterfall"]
    assert (view["currency"], view["gross"], view["net"]) == (
        "CNY", {"amount": "9000.00", "currency": "CNY"}, {"amount": "4000.00", "currency": "CNY"},
    )  # fmt: skip
    assert view["unconverted"] == [
        {"figure": "RECEIVABLES", "ref": None, "label": view["unconverted"][0]["label"],
         "original": {"amount": "100.00", "currency": "USD"}, "missingPair": "USD/CNY"},
        {"figure": "GUARANTEE", "ref": to_global_id("Guarantee", ids[1]),
         "label": view["unconverted"][1]["label"],
         "original": {"amount": "1000.00", "currency": "USD"}, "missingPair": "USD/CNY"},
    ]  # fmt: skip
    assert "NRA-G1" in view["unconverted"][1]["label"]
    portfolio = seen["data"]["portfolioRiskWaterfall"]
    assert portfolio["net"] == {"amount": "4000.00", "currency": "CNY"}
    assert portfolio["unconverted"] == [
        {"figure": "EXPOSURE", "original": {"amount": "100.00", "currency": "USD"},
         "customers": 1, "missingPair": "USD/CNY"},
        {"figure": "GUARANTEE", "original": {"amount": "1000.00", "currency": "USD"},
         "customers": 1, "missingPair": "USD/CNY"},
    ]  # fmt: skip


async def test_a_cover_without_a_rate_gives_no_relief_and_no_review(
    client, settings, runtime, tenants
):
    # given: net basis; 9,000.00 CNY open against 10,000.00 CNY, a 1,000.00 USD bank
    # guarantee and no USD/CNY rate
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "NRA-2")
    await approved_limit(runtime, tenant, cid, "10000.00")
    await invoice(runtime, tenant, cid, "NRA2-CNY", "9000.00", due=TODAY + timedelta(days=30))
    await guarantee(runtime, tenant, guarantee_in(
        await guarantor(runtime, tenant), cid, reference="NRA2-G", kind="BANK_GUARANTEE",
        amount=MoneyIn("1000.00", "USD"), valid_from=date(2020, 1, 1),
        valid_to=TODAY + timedelta(days=365),
    ))  # fmt: skip
    async with uow(runtime, tenant) as work:
        await security_settings.update(work, 0, SettingsIn(check_basis="NET"))
        await work.commit()
    sales = token(settings, roles=["sales"], sub="sam")
    # when
    body = await gql(client, CHECK, _check(cid, "500.00", orderRef="NRA2-O", reserve=True), sales)
    seen = await gql(client, WATERFALL, {"id": to_global_id("Customer", cid)}, token(settings))
    # then: approved as on GROSS, held, and replays equal; the waterfall lists the cover
    check = body["data"]["checkCredit"]["check"]
    assert (check["outcome"], check["reasons"]) == ("APPROVED", [])
    assert check["reservation"] is not None
    replayed = await gql(client, REPLAY, {"id": check["id"]}, token(settings))
    assert replayed["data"]["replayCreditDecision"] == {"equal": True, "differences": []}
    view = seen["data"]["riskWaterfall"]
    assert [(u["figure"], u["missingPair"]) for u in view["unconverted"]] == [
        ("GUARANTEE", "USD/CNY")
    ]
