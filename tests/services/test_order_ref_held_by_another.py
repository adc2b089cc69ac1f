"""An order is not registered under a reference another customer holds live: its hold could
never be confirmed then (only its own customer's order confirms it) and would linger."""

from __future__ import annotations

from typing import Any

import pytest

from domain.errors import DomainError
from tests.services.credit_limits_helpers import run_check
from tests.services.test_check_ref_held_by_another import _holds, _order, _two


async def test_an_order_under_another_customers_live_hold_is_refused(runtime, tenants, database):
    # given: A holds 1,000.00 under SO-OH-1
    tenant = tenants["acme"]
    a, b = await _two(runtime, tenant, "OHB1")
    held = await run_check(runtime, tenant, a, "1000.00", order_ref="SO-OH-1", reserve=True)
    assert held.reservation is not None
    # when: B's order is registered under the same reference
    with pytest.raises(DomainError) as refused:
        await _order(runtime, tenant, "SO-OH-1", b, "500.00")
    # then: refused on orderRef, nothing registered, and A's hold is live
    assert (refused.value.code, refused.value.field) == ("ORDER_REF_TAKEN", "orderRef")
    assert database.query("SELECT count(*) FROM sales_orders WHERE order_ref = 'SO-OH-1'") == [(0,)]
    assert _holds(database, "SO-OH-1") == [(a, "ACTIVE", 100_000, False)]
    # and A's own order confirms A's hold
    await _order(runtime, tenant, "SO-OH-1", a, "1000.00")
    assert _holds(database, "SO-OH-1") == [(a, "CONFIRMED", 100_000, True)]


async def test_a_released_hold_leaves_the_reference_free(runtime, tenants, database: Any):
    # given: A's hold under SO-OH-2 is released
    tenant = tenants["acme"]
    a, b = await _two(runtime, tenant, "OHB2")
    await run_check(runtime, tenant, a, "1000.00", order_ref="SO-OH-2", reserve=True)
    database.query(
        "UPDATE credit_reservations SET status = 'RELEASED', closed_at = now()"
        " WHERE order_ref = 'SO-OH-2' RETURNING 1"
    )
    # when: B registers its order under it
    await _order(runtime, tenant, "SO-OH-2", b, "500.00")
    # then: it is B's
    assert database.query("SELECT customer_id FROM sales_orders WHERE order_ref = 'SO-OH-2'") == [
        (b,)
    ]
