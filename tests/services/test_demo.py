"""Demo data: two tenants with customers, a ledger, exchange rates and class terms; loading
twice adds nothing."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from domain.terms import DEFAULT_CLASS_TERMS, TermsKind
from infra.demo import DEMO, DEMO_LEDGER, load_demo
from services.configuration import payment_terms
from services.credit import check, orders, scoring
from services.credit.exposure import exposure
from services.inputs import MoneyIn
from services.read_session import ReadSession
from services.uow import Actor, UnitOfWork

SALES = Actor("sam", frozenset({"sales"}))


async def test_demo_loads_once_with_a_ledger(runtime, database):
    first = await load_demo(runtime)
    second = await load_demo(runtime)
    assert first["demo"] == 4 and first["demo-2"] == 2
    assert first["demo:ledger"] > 0 and first["demo-2:ledger"] > 0
    assert first["demo:rates"] == 1 and first["demo-2:rates"] == 1  # SEK/CNY, EUR/CNY
    assert first["demo:terms"] == 4 and first["demo-2:terms"] == 4
    assert first["demo:limits"] == 1 and first["demo-2:limits"] == 1  # C-1003, B-2001
    assert all(v == 0 for v in second.values()), second
    per_tenant = database.query(
        "SELECT t.slug, count(DISTINCT i.id), count(DISTINCT p.id), sum(DISTINCT i.open_minor) > 0 "
        "FROM tenants t JOIN invoices i ON i.tenant_id = t.id "
        "LEFT JOIN payments p ON p.tenant_id = t.id WHERE t.slug LIKE 'demo%%' "
        "GROUP BY t.slug ORDER BY t.slug"
    )
    assert per_tenant == [("demo", 7, 2, True), ("demo-2", 3, 1, True)]
    assert database.query("SELECT count(*) FROM customers WHERE rating_class IS NOT NULL") == [(6,)]


async def test_every_demo_customer_has_an_exposure_and_a_check_in_its_currency(runtime, database):
    # given: the demo, whose customers are invoiced in CNY, SEK and EUR (base currency CNY)
    await load_demo(runtime)
    oldest = date.today() - timedelta(
        days=max(age for _, items, _ in DEMO_LEDGER.values() for _, age, _, _ in items)
    )
    rows = database.query(
        "SELECT t.slug, t.id, c.id, c.code, min(i.currency) FROM customers c "
        "JOIN tenants t ON t.id = c.tenant_id JOIN invoices i ON i.customer_id = c.id "
        "WHERE t.slug LIKE 'demo%%' GROUP BY t.slug, t.id, c.id, c.code ORDER BY c.code"
    )
    assert len(rows) == sum(len(customers) for _, customers in DEMO.values())
    assert {str(r[4]).strip() for r in rows} == {"CNY", "SEK", "EUR"}
    for slug, tenant_id, customer_id, code, currency in rows:
        tenant, customer = UUID(str(tenant_id)), UUID(str(customer_id))
        # when: its exposure today and on its oldest invoice's day, and a check in its currency
        for as_of in (date.today(), oldest):
            session = ReadSession(runtime.engine, tenant)
            try:
                view = await exposure(session, customer, as_of)
            finally:
                await session.close()
            # then: every figure converts to the base currency with a dated rate
            assert view.exposure.currency == "CNY", (slug, code)
            for item in view.exposure.receivables:
                assert (item.rate is not None) == (item.source.currency != "CNY"), (code, item)
        async with UnitOfWork(runtime.engine, tenant, SALES) as uow:
            request = check.CheckRequest(customer, MoneyIn("1000.00", str(currency).strip()))
            result = await check.check_credit(uow, request, date.today())
            await uow.commit()
        assert result.outcome.outcome.value, (slug, code)
    rates = database.query(
        "SELECT t.slug, r.base, r.quote, r.effective_on <= %s FROM exchange_rates r "
        "JOIN tenants t ON t.id = r.tenant_id ORDER BY t.slug",
        oldest,
    )
    assert rates == [("demo", "SEK", "CNY", True), ("demo-2", "EUR", "CNY", True)]


async def test_the_demo_tenants_have_the_class_terms_templates(runtime, database):
    # given: the demo
    await load_demo(runtime)
    for (tenant_id,) in database.query("SELECT id FROM tenants WHERE slug LIKE 'demo%%'"):
        # when: the tenant's catalogue is read
        async with UnitOfWork(runtime.engine, UUID(str(tenant_id)), SALES) as uow:
            catalogue = await payment_terms.catalogue_in(uow)
            known = [await payment_terms.exists(uow, f"CLASS_{c}") for c in "ABCD"]
        # then: CLASS_A..CLASS_D are stored templates with the practice's class terms
        assert known == [True] * 4
        stored = {t.code: t.terms for t in catalogue.templates}
        assert stored == {f"CLASS_{c}": t for c, t in DEFAULT_CLASS_TERMS.items()}
        assert [stored[f"CLASS_{c}"].net_days for c in "ABCD"] == [60, 30, 15, 0]
        assert all(t.kind == TermsKind.NET for t in stored.values())


async def test_the_readmes_reserve_then_confirm_example_reserves_on_the_demo(runtime, database):
    """A fresh demo answers the README's example as it says: C-1003 has an approved limit
    (asked by one person, approved by others), so 12,000.00 CNY is APPROVED and held, and
    registering the order confirms the hold."""
    # given
    await load_demo(runtime)
    tenant_id, customer_id = database.query(
        "SELECT t.id, c.id FROM customers c JOIN tenants t ON t.id = c.tenant_id "
        "WHERE t.slug = 'demo' AND c.code = 'C-1003'"
    )[0]
    tenant, customer = UUID(str(tenant_id)), UUID(str(customer_id))
    async with UnitOfWork(runtime.engine, tenant, Actor("system:scheduler")) as uow:
        rescored = await scoring.score_customer(uow, customer, date.today(), trigger="MANUAL")
        await uow.commit()
    approvers = database.query(
        "SELECT count(DISTINCT a.approver) FROM credit_limit_approvals a "
        "JOIN credit_limit_requests r ON r.id = a.request_id WHERE r.customer_id = %s",
        customer,
    )
    # when
    async with UnitOfWork(runtime.engine, tenant, SALES) as uow:
        request = check.CheckRequest(
            customer, MoneyIn("12000.00", "CNY"), "SO-2026-0042", reserve=True, ttl_seconds=900
        )
        result = await check.check_credit(uow, request, date.today())
        await uow.commit()
    async with UnitOfWork(runtime.engine, tenant, SALES) as uow:
        await orders.create_order(
            uow,
            orders.OrderIn("SO-2026-0042", customer, MoneyIn("12000.00", "CNY"), None),
            date.today(),
        )
        await uow.commit()
    # then: its thin credit file scores low, but the managers' override holds its class A
    assert rescored.held_by_override
    assert database.query("SELECT rating_class FROM customers WHERE id = %s", customer) == [("A",)]
    assert approvers[0][0] >= 1
    assert result.outcome.outcome.value == "APPROVED"
    assert result.reservation is not None
    assert database.query(
        "SELECT status FROM credit_reservations WHERE order_ref = 'SO-2026-0042'"
    ) == [("CONFIRMED",)]
