"""checkCredit over HTTP: a reference another customer holds live is a userError on
`orderRef`; the other customer's hold is kept and nothing is written."""

from __future__ import annotations

from tests.conftest import gql, token
from tests.schema.test_credit_check_fx_api import CHECK, WRITTEN, _check
from tests.services.credit_limits_helpers import approved_limit, customer

HOLDS = "SELECT customer_id, status, amount_minor FROM credit_reservations ORDER BY created_at"


async def test_another_customers_live_hold_is_a_user_error_and_is_kept(
    client, settings, runtime, tenants, database
):
    # given: customer A holds 1,000.00 under SO-HA-1
    tenant = tenants["acme"]
    a = await customer(runtime, tenant, "HLA-A")
    b = await customer(runtime, tenant, "HLA-B")
    for cid in (a, b):
        await approved_limit(runtime, tenant, cid, "10000.00")
    sales = token(settings, roles=["sales"], sub="sam")
    held = await gql(client, CHECK, _check(a, "1000.00", orderRef="SO-HA-1", reserve=True), sales)
    assert held["data"]["checkCredit"]["check"]["reservation"] is not None
    before = database.query(WRITTEN)
    # when: customer B's check reserves under the same reference
    body = await gql(client, CHECK, _check(b, "500.00", orderRef="SO-HA-1", reserve=True), sales)
    # then: refused on orderRef; A's hold is live and nothing of B's is written
    payload = body["data"]["checkCredit"]
    assert payload["check"] is None and payload["orderRegistered"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        ("orderRef", "ORDER_REF_TAKEN")
    ]
    assert "HLA-A" not in payload["userErrors"][0]["message"]
    assert database.query(HOLDS) == [(a, "ACTIVE", 100_000)]
    assert database.query(WRITTEN) == before
