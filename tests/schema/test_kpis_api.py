"""Receivables KPIs and aging trends through GraphQL, against a ledger worked by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.kpis.snapshots import take_snapshot
from services.uow import UnitOfWork
from tests.conftest import gql, token
from tests.schema.test_customers_api import create
from tests.schema.test_ledger_api import INVOICE, PAYMENT

KPIS = """query K($from: Date!, $to: Date!, $currency: String) {
  receivablesKpis(from: $from, to: $to, currency: $currency) {
    currency days opening { amount } closing { amount } overdue { amount } sales { amount }
    dso dsoWindow { windowFrom windowTo months capped }
    bestPossibleDso averageDaysDelinquent overdueRatio collectionEffectivenessIndex
    concentration { top10Share hhi customers }
    topOverdueCustomers { rank overdue { amount } total { amount } customer { code } }
    collectionBySalesperson { salesperson collected { amount } stillOpen { amount }
                              invoices rate } } }"""
TREND = """query T($from: Date!, $to: Date!, $customerId: ID) {
  agingTrend(from: $from, to: $to, customerId: $customerId) {
    asOf open { amount currency } overdue { amount } weightedDaysPastDue } }"""


async def invoice(client: Any, bearer: str, customer: str, number: str, **dates: str) -> None:
    """Post one invoice with explicit dates."""
    body = await gql(
        client,
        INVOICE,
        {
            "input": {
                "number": number,
                "customerId": customer,
                "issueDate": dates["issue"],
                "dueDate": dates["due"],
                "amount": {"amount": dates["amount"], "currency": "CNY"},
                "idempotencyKey": number,
            }
        },
        bearer,
    )
    assert body["data"]["createInvoice"]["userErrors"] == []


async def pay(client: Any, bearer: str, customer: str, amount: str, on: str) -> None:
    """Receive cash, allocated oldest due first."""
    body = await gql(
        client,
        PAYMENT,
        {
            "input": {
                "customerId": customer,
                "receivedOn": on,
                "amount": {"amount": amount, "currency": "CNY"},
                "idempotencyKey": f"pay-{customer}-{on}",
            }
        },
        bearer,
    )
    assert body["data"]["createPayment"]["userErrors"] == []


async def seed(client: Any, settings: Any) -> tuple[str, str, str]:
    """A: 1000 from September (600 paid in October, 400 in November) and 500 due in October;
    B: 2000 issued in October, due in November."""
    manager = token(settings)
    a = (await create(client, manager, "KPI-A", salesperson="wang"))["customer"]["id"]
    b = (await create(client, manager, "KPI-B", salesperson="li"))["customer"]["id"]
    finance = token(settings, roles=["finance"], sub="fiona")
    await invoice(client, finance, a, "A1", issue="2026-09-01", due="2026-09-30", amount="1000")
    await invoice(client, finance, a, "A2", issue="2026-10-05", due="2026-10-20", amount="500")
    await invoice(client, finance, b, "B1", issue="2026-10-10", due="2026-11-09", amount="2000")
    await pay(client, finance, a, "600.00", "2026-10-15")
    await pay(client, finance, a, "400.00", "2026-11-05")
    return finance, a, b


async def test_october_kpis_match_the_hand_worked_figures(client, settings):
    # given
    finance, _, _ = await seed(client, settings)
    # when
    body = await gql(client, KPIS, {"from": "2026-10-01", "to": "2026-10-31"}, finance)
    # then: the November payment does not change October
    [k] = body["data"]["receivablesKpis"]
    assert k["currency"] == "CNY" and k["days"] == 31
    assert k["opening"]["amount"] == "1000.00"
    assert k["closing"]["amount"] == "2900.00"
    assert k["overdue"]["amount"] == "900.00"
    assert k["sales"]["amount"] == "2500.00"
    assert k["dso"] == "43.0"  # 31 days of October sales, then 400/1000 of September's 30
    assert k["dsoWindow"] == {
        "windowFrom": "2026-09-01",
        "windowTo": "2026-10-31",
        "months": 2,
        "capped": False,
    }
    assert k["bestPossibleDso"] == "24.8"  # 2000 / 2500 x 31
    assert k["averageDaysDelinquent"] == "11.2"  # 900 / 2500 x 31
    assert k["overdueRatio"] == "0.3103"
    assert k["collectionEffectivenessIndex"] == "40.0000"  # 600 / 1500, 4 decimals
    assert k["concentration"] == {"top10Share": "1.0000", "hhi": "5719.4", "customers": 2}
    assert k["topOverdueCustomers"] == [
        {
            "rank": 1,
            "overdue": {"amount": "900.00"},
            "total": {"amount": "900.00"},
            "customer": {"code": "KPI-A"},
        }
    ]
    assert k["collectionBySalesperson"] == [
        {
            "salesperson": "wang",
            "collected": {"amount": "600.00"},
            "stillOpen": {"amount": "900.00"},
            "invoices": 2,
            "rate": "0.4000",
        }
    ]


async def test_dso_says_when_the_24_month_cap_applied(client, settings):
    # given an invoice of 2023 still open at the end of October 2026, and nothing sold since
    manager = token(settings)
    customer = (await create(client, manager, "KPI-OLD"))["customer"]["id"]
    finance = token(settings, roles=["finance"], sub="fiona")
    await invoice(client, finance, customer, "OLD-1", issue="2023-06-01", due="2023-07-01",
                  amount="100")  # fmt: skip
    # when
    body = await gql(client, KPIS, {"from": "2026-10-01", "to": "2026-10-31"}, finance)
    # then the countback walked 24 months, from November 2024, and says it was capped
    [k] = body["data"]["receivablesKpis"]
    assert k["dsoWindow"] == {
        "windowFrom": "2024-11-01",
        "windowTo": "2026-10-31",
        "months": 24,
        "capped": True,
    }
    assert k["dso"] == f"{(date(2026, 10, 31) - date(2024, 11, 1)).days + 1}.0"


async def test_kpis_per_currency_and_bad_input(client, settings):
    finance, _, _ = await seed(client, settings)
    usd = await gql(
        client, KPIS, {"from": "2026-10-01", "to": "2026-10-31", "currency": "USD"}, finance
    )
    wrong = await gql(client, KPIS, {"from": "2026-10-31", "to": "2026-10-01"}, finance)
    bogus = await gql(
        client, KPIS, {"from": "2026-10-01", "to": "2026-10-31", "currency": "XYZ"}, finance
    )
    sales = await gql(
        client, KPIS, {"from": "2026-10-01", "to": "2026-10-31"}, token(settings, roles=["sales"])
    )
    assert usd["data"]["receivablesKpis"] == []
    assert wrong["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert bogus["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert sales["data"]["receivablesKpis"][0]["closing"]["amount"] == "2900.00"


async def test_trend_follows_the_daily_snapshots(client, settings, runtime, tenants):
    # given: a snapshot before and after the customer paid
    finance, a, _ = await seed(client, settings)
    async with UnitOfWork(runtime.engine, tenants["acme"]) as uow:
        await take_snapshot(uow, date(2026, 11, 20))
        await uow.commit()
    await pay(client, finance, a, "500.00", "2026-11-21")
    async with UnitOfWork(runtime.engine, tenants["acme"]) as uow:
        await take_snapshot(uow, date(2026, 11, 21))
        await take_snapshot(uow, date(2026, 11, 21))  # a second run adds nothing
        await uow.commit()
    # when
    tenant = await gql(client, TREND, {"from": "2026-11-01", "to": "2026-11-30"}, finance)
    one = await gql(
        client, TREND, {"from": "2026-11-01", "to": "2026-11-30", "customerId": a}, finance
    )
    # then
    assert [(p["asOf"], p["open"]["amount"]) for p in tenant["data"]["agingTrend"]] == [
        ("2026-11-20", "2500.00"),
        ("2026-11-21", "2000.00"),
    ]
    points = one["data"]["agingTrend"]
    assert [p["open"]["amount"] for p in points] == ["500.00"]  # paid up: no row on the 21st
    assert points[0]["overdue"]["amount"] == "500.00"
    assert points[0]["weightedDaysPastDue"] == "31.00"  # A2 due 2026-10-20, 31 days by 11-20
