"""Sales orders through HTTP GraphQL: replays compare what was sent (parsed money, the date only
when given), cancelling stops at shipped or invoiced orders, a replay confirms the reservation
of its reference, and amounts stop at the document ceiling."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from services.credit import orders
from services.credit.orders import OrderIn
from services.idempotency import fingerprint
from services.inputs import MoneyIn
from services.uow import Actor, UnitOfWork
from tests.conftest import gql, token
from tests.schema.test_credit_limits_api import CHECK, EXPOSURE, INVOICE, _customer, _limit

ORDER = """mutation O($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) {
  order { id orderRef status amount { amount currency } invoiced { amount } open { amount }
          orderedOn version }
  replayed userErrors { field code message } } }"""
CHANGE = """mutation C($input: ChangeSalesOrderInput!) { changeSalesOrder(input: $input) {
  order { status amount { amount } invoiced { amount } open { amount } version }
  userErrors { field code message } } }"""
SHIP = """mutation S($input: ShipSalesOrderInput!) { shipSalesOrder(input: $input) {
  order { status shippedOn } userErrors { field code } } }"""
CANCEL = """mutation X($input: CancelSalesOrderInput!) { cancelSalesOrder(input: $input) {
  order { status open { amount } cancelReason } userErrors { field code message } } }"""
TODAY = date.today()  #: the server's business date is its clock's (Context.today)


def _order(customer: str, ref: str, amount: str, currency: str = "CNY", **extra: Any) -> Any:
    input_ = {
        "orderRef": ref,
        "customerId": customer,
        "amount": {"amount": amount, "currency": currency},
    }
    return {"input": {**input_, **extra}}


def _raw_id(global_id: str) -> UUID:
    import base64

    return UUID(
        base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode().split(":")[1]
    )


async def test_a_retry_with_the_same_money_written_otherwise_is_a_replay(
    client, settings, database
):
    # given: an order of 300,000.00 CNY registered without an order date
    customer = await _customer(client, settings, "ORD-1")
    erp = token(settings, roles=["integrator"], sub="erp")
    first = await gql(client, ORDER, _order(customer, "SO-X-1", "300000.00"), erp)
    # when: retried with the amount written otherwise, the currency in lower case, the date the
    # order was given, and then with other content
    retries = [
        await gql(client, ORDER, _order(customer, "SO-X-1", amount, currency, **extra), erp)
        for amount, currency, extra in (
            ("300000", "CNY", {}),
            ("300000.0", "CNY", {}),
            ("+300000.000", "cny", {}),
            ("300000", "CNY", {"orderedOn": TODAY.isoformat()}),
        )
    ]
    other_amount = await gql(client, ORDER, _order(customer, "SO-X-1", "300000.01"), erp)
    other_date = await gql(
        client,
        ORDER,
        _order(customer, "SO-X-1", "300000", orderedOn=(TODAY - timedelta(days=1)).isoformat()),
        erp,
    )
    other_currency = await gql(client, ORDER, _order(customer, "SO-X-1", "300000", "USD"), erp)
    # then: every retry replays the first registration; other content is refused
    created = first["data"]["createSalesOrder"]
    assert (created["replayed"], created["userErrors"]) == (False, [])
    assert created["order"]["amount"] == {"amount": "300000.00", "currency": "CNY"}
    for retry in retries:
        assert retry["data"]["createSalesOrder"] == {**created, "replayed": True}
    for refused in (other_amount, other_date, other_currency):
        assert refused["data"]["createSalesOrder"]["order"] is None
        assert [
            (e["field"], e["code"]) for e in refused["data"]["createSalesOrder"]["userErrors"]
        ] == [("orderRef", "IDEMPOTENCY_MISMATCH")]
    assert database.query(
        "SELECT order_ref, amount_minor, currency, ordered_on, version FROM sales_orders"
    ) == [("SO-X-1", 30_000_000, "CNY", TODAY, 1)]
    assert database.query("SELECT action FROM audit_log WHERE entity_type = 'SalesOrder'") == [
        ("CREATE_SALES_ORDER",)
    ]


async def test_a_retry_after_midnight_without_a_date_is_a_replay(
    client, settings, database, runtime, tenants
):
    # given: an order registered yesterday without an order date (so dated yesterday)
    customer = await _customer(client, settings, "ORD-2")
    yesterday = TODAY - timedelta(days=1)
    async with UnitOfWork(
        runtime.engine, tenants["acme"], Actor("erp", frozenset({"integrator"}))
    ) as uow:
        registered, _ = await orders.create_order(
            uow, OrderIn("SO-X-2", _raw_id(customer), MoneyIn("120.00", "CNY"), None), yesterday
        )
        await uow.commit()
    erp = token(settings, roles=["integrator"], sub="erp")
    # when: the integrator retries today, still without a date, and then naming yesterday
    retried = await gql(client, ORDER, _order(customer, "SO-X-2", "120"), erp)
    dated = await gql(
        client, ORDER, _order(customer, "SO-X-2", "120", orderedOn=yesterday.isoformat()), erp
    )
    today = await gql(
        client, ORDER, _order(customer, "SO-X-2", "120", orderedOn=TODAY.isoformat()), erp
    )
    # then: the first two replay the order dated yesterday; naming another date is refused
    for replay in (retried, dated):
        payload = replay["data"]["createSalesOrder"]
        assert (payload["replayed"], payload["userErrors"]) == (True, [])
        assert payload["order"]["orderedOn"] == yesterday.isoformat()
        assert _raw_id(payload["order"]["id"]) == registered.id
    assert today["data"]["createSalesOrder"]["userErrors"] == [
        {
            "field": "orderRef",
            "code": "IDEMPOTENCY_MISMATCH",
            "message": "this order reference was registered with other content",
        }
    ]
    assert database.query("SELECT ordered_on, amount_minor FROM sales_orders") == [
        (yesterday, 12_000)
    ]


async def test_an_order_registered_before_fingerprints_were_normalised_still_replays(
    client, settings, database
):
    # given: an order whose stored fingerprint is the earlier one (the text as sent, its date)
    customer = await _customer(client, settings, "ORD-3")
    erp = token(settings, roles=["integrator"], sub="erp")
    await gql(client, ORDER, _order(customer, "SO-X-3", "75.50"), erp)
    legacy = fingerprint(
        {
            "ref": "SO-X-3",
            "customer": str(_raw_id(customer)),
            "amount": "75.50",
            "currency": "CNY",
            "orderedOn": TODAY,
        }
    )
    database.query("UPDATE sales_orders SET fingerprint = %s", legacy)
    # when: retried verbatim (its text is all such a fingerprint knows), with and without the
    # date, and with another amount
    verbatim = await gql(client, ORDER, _order(customer, "SO-X-3", "75.50"), erp)
    dated = await gql(
        client, ORDER, _order(customer, "SO-X-3", "75.50", orderedOn=TODAY.isoformat()), erp
    )
    other = await gql(client, ORDER, _order(customer, "SO-X-3", "75.49"), erp)
    # then: the verbatim retries are the same registration, the other amount is not
    for replay in (verbatim, dated):
        assert replay["data"]["createSalesOrder"]["replayed"] is True
    assert other["data"]["createSalesOrder"]["userErrors"][0]["code"] == "IDEMPOTENCY_MISMATCH"
    assert database.query("SELECT count(*), min(fingerprint) FROM sales_orders") == [(1, legacy)]


async def test_a_shipped_or_invoiced_order_cannot_be_cancelled(client, settings, database):
    # given: four orders of 3,000.00 CNY: partly invoiced and shipped, partly invoiced,
    # shipped, and untouched
    customer = await _customer(client, settings, "ORD-4")
    erp = token(settings, roles=["integrator"], sub="erp")
    finance = token(settings, roles=["finance"])
    for ref in ("SO-X-10", "SO-X-11", "SO-X-12", "SO-X-13"):
        await gql(client, ORDER, _order(customer, ref, "3000.00"), erp)
    for number, ref in (("INV-10", "SO-X-10"), ("INV-11", "SO-X-11")):
        invoiced = await gql(
            client,
            INVOICE,
            {
                "input": {
                    "number": number,
                    "customerId": customer,
                    "issueDate": TODAY.isoformat(),
                    "dueDate": (TODAY + timedelta(days=30)).isoformat(),
                    "amount": {"amount": "500.00", "currency": "CNY"},
                    "orderRef": ref,
                    "idempotencyKey": number,
                }
            },
            finance,
        )
        assert invoiced["data"]["createInvoice"]["userErrors"] == []
    for ref in ("SO-X-10", "SO-X-12"):
        shipped = await gql(client, SHIP, {"input": {"orderRef": ref}}, erp)
        assert shipped["data"]["shipSalesOrder"]["order"]["status"] == "SHIPPED"
    # when: each is cancelled
    cancelled = {
        ref: (await gql(client, CANCEL, {"input": {"orderRef": ref, "reason": "withdrawn"}}, erp))[
            "data"
        ]["cancelSalesOrder"]
        for ref in ("SO-X-10", "SO-X-11", "SO-X-12", "SO-X-13")
    }
    # and the partly invoiced one is closed the way that works: changed down to its invoices
    closed = await gql(
        client,
        CHANGE,
        {"input": {"orderRef": "SO-X-11", "amount": {"amount": "500.00", "currency": "CNY"}}},
        erp,
    )
    # then: only the untouched order is cancelled
    refusals = {
        ref: payload["userErrors"] for ref, payload in cancelled.items() if payload["userErrors"]
    }
    assert refusals == {
        "SO-X-10": [
            {
                "field": "orderRef",
                "code": "INVALID_STATUS",
                "message": "a shipped order is invoiced, not cancelled",
            }
        ],
        "SO-X-11": [
            {
                "field": "orderRef",
                "code": "INVALID_STATUS",
                "message": "a partly invoiced order is changed down to what is invoiced, "
                "not cancelled",
            }
        ],
        "SO-X-12": [
            {
                "field": "orderRef",
                "code": "INVALID_STATUS",
                "message": "a shipped order is invoiced, not cancelled",
            }
        ],
    }
    assert cancelled["SO-X-13"]["order"] == {
        "status": "CANCELLED",
        "open": {"amount": "0.00"},
        "cancelReason": "withdrawn",
    }
    assert closed["data"]["changeSalesOrder"]["order"] == {
        "status": "INVOICED",
        "amount": {"amount": "500.00"},
        "invoiced": {"amount": "500.00"},
        "open": {"amount": "0.00"},
        "version": 3,  # created, consumed by its invoice, changed
    }
    assert database.query(
        "SELECT order_ref, status, amount_minor, invoiced_minor, cancel_reason"
        " FROM sales_orders ORDER BY order_ref"
    ) == [
        ("SO-X-10", "SHIPPED", 300_000, 50_000, None),
        ("SO-X-11", "INVOICED", 50_000, 50_000, None),
        ("SO-X-12", "SHIPPED", 300_000, 0, None),
        ("SO-X-13", "CANCELLED", 300_000, 0, "withdrawn"),
    ]
    assert database.query("SELECT count(*) FROM audit_log WHERE action = 'CANCEL_SALES_ORDER'") == [
        (1,)
    ]


async def test_a_replayed_order_confirms_the_live_reservation_of_its_reference(
    client, settings, database
):
    # given: a limit of 1,000.00, an order of 400.00 and, under the order's reference, a live
    # reservation of 100.00 (taken before checks stopped reserving for registered orders)
    customer = await _customer(client, settings, "ORD-5")
    await _limit(client, settings, customer, "1000.00")
    erp = token(settings, roles=["integrator"], sub="erp")
    created = await gql(client, ORDER, _order(customer, "SO-X-20", "400.00"), erp)
    order_id = _raw_id(created["data"]["createSalesOrder"]["order"]["id"])
    checked = await gql(
        client,
        CHECK,
        {
            "input": {
                "customerId": customer,
                "amount": "100.00",
                "currency": "CNY",
                "orderRef": "HOLD-20",
                "reserve": True,
            }
        },
        erp,
    )
    assert checked["data"]["checkCredit"]["check"]["reservation"]["status"] == "ACTIVE"
    database.query("UPDATE credit_reservations SET order_ref = 'SO-X-20'")
    # when: the order is retried, first with other content, then as registered
    mismatch = await gql(client, ORDER, _order(customer, "SO-X-20", "401.00"), erp)
    held = database.query("SELECT status, order_id FROM credit_reservations")
    replayed = await gql(client, ORDER, _order(customer, "SO-X-20", "400.00"), erp)
    exposure = await gql(client, EXPOSURE, {"id": customer}, token(settings, roles=["viewer"]))
    # then: the refusal wrote nothing; the replay confirmed the reservation, so the order
    # counts once
    assert mismatch["data"]["createSalesOrder"]["userErrors"][0]["code"] == "IDEMPOTENCY_MISMATCH"
    assert held == [("ACTIVE", None)]
    assert replayed["data"]["createSalesOrder"]["replayed"] is True
    assert database.query(
        "SELECT status, order_id, closed_at IS NOT NULL FROM credit_reservations"
    ) == [("CONFIRMED", order_id, True)]
    totals = exposure["data"]["creditExposure"]["exposure"]["exposure"]
    assert (totals["total"]["amount"], totals["ordersTotal"]["amount"]) == ("400.00", "400.00")


async def test_an_order_amount_stops_at_the_document_ceiling(client, settings, database):
    # given
    customer = await _customer(client, settings, "ORD-6")
    erp = token(settings, roles=["integrator"], sub="erp")
    # when: orders at the ceiling, a fen above it, and above what the database holds
    at_ceiling = await gql(client, ORDER, _order(customer, "SO-X-30", "10000000000000.00"), erp)
    above = await gql(client, ORDER, _order(customer, "SO-X-31", "10000000000000.01"), erp)
    huge = await gql(client, ORDER, _order(customer, "SO-X-32", "1000000000000000.00"), erp)
    both = await gql(client, ORDER, _order(customer, " ", "1000000000000000"), erp)
    change = await gql(
        client,
        CHANGE,
        {
            "input": {
                "orderRef": "SO-X-30",
                "amount": {"amount": "999999999999999.99", "currency": "CNY"},
            }
        },
        erp,
    )
    # then: above the ceiling is a userError on the amount, and nothing is written
    too_large = {
        "field": "amount.amount",
        "code": "AMOUNT_TOO_LARGE",
        "message": "at most 10000000000000.00 CNY per document",
    }
    assert "errors" not in huge and "errors" not in change
    assert (
        at_ceiling["data"]["createSalesOrder"]["order"]["amount"]["amount"] == "10000000000000.00"
    )
    for refused in (above, huge):
        assert refused["data"]["createSalesOrder"] == {
            "order": None,
            "replayed": False,
            "userErrors": [too_large],
        }
    assert [(e["field"], e["code"]) for e in both["data"]["createSalesOrder"]["userErrors"]] == [
        ("orderRef", "REQUIRED"),
        ("amount.amount", "AMOUNT_TOO_LARGE"),
    ]
    assert change["data"]["changeSalesOrder"] == {"order": None, "userErrors": [too_large]}
    assert database.query("SELECT order_ref, amount_minor, version FROM sales_orders") == [
        ("SO-X-30", 10**15, 1)
    ]
