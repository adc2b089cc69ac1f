"""Demo data: two tenants with customers and a ledger; loading twice adds nothing."""

from __future__ import annotations

from infra.demo import load_demo


async def test_demo_loads_once_with_a_ledger(runtime, database):
    first = await load_demo(runtime)
    second = await load_demo(runtime)
    assert first["demo"] == 4 and first["demo-2"] == 2
    assert first["demo:ledger"] > 0 and first["demo-2:ledger"] > 0
    assert all(v == 0 for v in second.values()), second
    per_tenant = database.query(
        "SELECT t.slug, count(DISTINCT i.id), count(DISTINCT p.id), sum(DISTINCT i.open_minor) > 0 "
        "FROM tenants t JOIN invoices i ON i.tenant_id = t.id "
        "LEFT JOIN payments p ON p.tenant_id = t.id WHERE t.slug LIKE 'demo%%' "
        "GROUP BY t.slug ORDER BY t.slug"
    )
    assert per_tenant == [("demo", 7, 2, True), ("demo-2", 3, 1, True)]
    assert database.query("SELECT count(*) FROM customers WHERE rating_class IS NOT NULL") == [(6,)]
