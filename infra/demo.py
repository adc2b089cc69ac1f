"""Demo data: tenants `demo` and `demo-2` with customers, a ledger, exchange rates and the
class payment-terms templates; running it twice adds nothing."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from domain.errors import DomainError
from domain.registration import uscc_check_character
from domain.terms import PaymentTerms, TermsKind, class_code
from infra.demo_limits import load_demo_limits
from infra.runtime import Runtime
from infra.tenants import create_tenant
from services.configuration import payment_terms
from services.configuration.payment_terms import TermsIn
from services.credit import class_policy, classes, rates
from services.customers import credit_files
from services.customers import master_data as customers
from services.customers.master_data import ContactIn, CustomerChanges
from services.inputs import MoneyIn
from services.ledger.imports import ImportRow, import_invoices, import_payments
from services.uow import Actor, UnitOfWork

DEMO_ACTOR = Actor("demo-loader")


def uscc(body17: str) -> str:
    """A valid unified social credit code from its first 17 characters."""
    return body17 + uscc_check_character(body17)


DEMO: dict[str, tuple[str, list[dict[str, object]]]] = {
    "demo": (
        "演示贸易有限公司 Demo Trading Co.",
        [
            dict(
                code="C-1001",
                legal_name="上海华东机电设备有限公司",
                country="CN",
                registration_number=uscc("91310115MA1K3Y5X0"),
                industry="Machinery",
                capital=("5000000.00", "CNY"),
                sales=("82000000.00", "CNY"),
                salesperson="王伟",
                history="2008年成立于上海浦东，主营工业机电设备分销。",
                model="分销 + 维保服务，账期客户占 70%。",
                contacts=[ContactIn("李娜", "财务经理", "+86 21 5555 0101", "lina@example.cn")],
                reviewed=date.today() - timedelta(days=90),
            ),
            dict(
                code="C-1002",
                legal_name="广州南方建材贸易有限公司",
                country="CN",
                registration_number=uscc("91440101MA5CXR2K1"),
                industry="Construction",
                capital=("10000000.00", "CNY"),
                sales=("150000000.00", "CNY"),
                salesperson="张敏",
                history=None,
                model=None,
                contacts=[],
                reviewed=date.today() - timedelta(days=500),
            ),
            dict(
                code="C-1003",
                legal_name="Nordic Components AB",
                country="SE",
                registration_number="556677-8899",
                industry="Electronics",
                capital=("500000.00", "SEK"),
                sales=("42000000.00", "SEK"),
                salesperson="王伟",
                history="Founded 1994 in Gothenburg.",
                model="Contract manufacturing.",
                contacts=[ContactIn("Anna Berg", "CFO", None, "anna.berg@example.se")],
                reviewed=None,
            ),
            dict(
                code="C-1004",
                legal_name="深圳前海新能源科技有限公司",
                country="CN",
                registration_number=uscc("91440300MA5FUQ8N2"),
                industry="Energy",
                capital=("20000000.00", "CNY"),
                sales=None,
                salesperson="刘洋",
                history="2016年成立，锂电池储能系统集成商。",
                model="项目制销售，回款周期长。",
                contacts=[ContactIn("陈刚", "采购总监", "+86 755 8888 0000", None)],
                reviewed=date.today() - timedelta(days=30),
            ),
        ],
    ),
    "demo-2": (
        "第二演示租户 Second Demo Ltd.",
        [
            dict(
                code="B-2001",
                legal_name="杭州西湖纺织品进出口有限公司",
                country="CN",
                registration_number=uscc("91330106MA27XK6L3"),
                industry="Textiles",
                capital=("3000000.00", "CNY"),
                sales=("26000000.00", "CNY"),
                salesperson="周洁",
                history=None,
                model=None,
                contacts=[],
                reviewed=None,
            ),
            dict(
                code="B-2002",
                legal_name="Rhein Logistik GmbH",
                country="DE",
                registration_number="HRB 123456",
                industry="Logistics",
                capital=("25000.00", "EUR"),
                sales=("9000000.00", "EUR"),
                salesperson="周洁",
                history="Family-owned since 1961.",
                model="Freight forwarding.",
                contacts=[ContactIn("Jonas Weber", "Finance", None, "j.weber@example.de")],
                reviewed=date.today() - timedelta(days=400),
            ),
        ],
    ),
}


#: Each demo customer's rating class and, relative to today, its invoices
#: (number, days since issue, days to due, amount) and payments (days ago, amount).
DEMO_LEDGER: dict[str, tuple[str, list[tuple[str, int, int, str]], list[tuple[int, str]]]] = {
    "C-1001": (
        "B",
        [("01", 120, 30, "86000.00"), ("02", 45, 30, "42500.00"), ("03", 10, 30, "18800.00")],
        [(20, "50000.00")],
    ),
    "C-1002": ("C", [("01", 400, 15, "230000.00"), ("02", 85, 15, "61000.00")], []),
    "C-1003": ("A", [("01", 50, 60, "12000.00")], [(5, "4000.00")]),
    "C-1004": ("D", [("01", 3, 0, "9900.00")], []),
    "B-2001": ("B", [("01", 75, 30, "55000.00"), ("02", 20, 30, "31000.00")], []),
    "B-2002": ("C", [("01", 200, 15, "17500.00")], [(100, "2500.00")]),
}


#: Illustrative rates, not market data: one unit of each currency in CNY. A pair against a
#: tenant's base currency is crossed through CNY (6 decimals) when the base is another one.
DEMO_RATES_IN_CNY: dict[str, Decimal] = {
    "CNY": Decimal("1"),
    "EUR": Decimal("7.85"),
    "GBP": Decimal("9.10"),
    "HKD": Decimal("0.92"),
    "JPY": Decimal("0.048"),
    "SEK": Decimal("0.68"),
    "USD": Decimal("7.15"),
}
#: A rate's decimals when crossed through CNY.
CROSS_RATE_PLACES = Decimal("0.000001")


def ledger_currency(sales_currency: str | None) -> str:
    """The currency a demo customer is invoiced in: its sales currency, else CNY."""
    return sales_currency or "CNY"


def demo_currencies(rows: list[dict[str, object]]) -> set[str]:
    """Every currency a tenant's demo customers carry: capital, sales and invoices."""
    found: set[str] = set()
    for row in rows:
        capital, sales = row["capital"], row["sales"]
        for money in (capital, sales):
            if isinstance(money, tuple):
                found.add(str(money[1]))
        found.add(ledger_currency(str(sales[1]) if isinstance(sales, tuple) else None))
    return found


def rates_effective_on(today: date) -> date:
    """The demo rates' effective date: before the oldest demo invoice, so past dates convert."""
    oldest = max(age for _, items, _ in DEMO_LEDGER.values() for _, age, _, _ in items)
    return (today - timedelta(days=oldest)).replace(month=1, day=1)


async def _demo_rates(runtime: Runtime, tenant_id: UUID | str, currencies: set[str]) -> int:
    """Dated rates from each demo currency to the tenant's base currency, through the service
    setExchangeRate uses (audited rows); a pair that already has a rate is left alone."""
    today = date.today()
    added = 0
    async with UnitOfWork(runtime.engine, tenant_id, DEMO_ACTOR) as uow:
        base = (await class_policy.load(uow.conn)).base_currency
        for currency in sorted(currencies - {base}):
            if currency not in DEMO_RATES_IN_CNY or base not in DEMO_RATES_IN_CNY:
                continue  # no illustrative figure for the pair: setExchangeRate sets one
            book = await rates.book_for(uow.conn, (currency, base), today)
            if book.find(currency, base) is not None:
                continue
            rate = DEMO_RATES_IN_CNY[currency] / DEMO_RATES_IN_CNY[base]
            if base != "CNY":
                rate = rate.quantize(CROSS_RATE_PLACES)
            await rates.set_rate(uow, currency, base, str(rate), rates_effective_on(today))
            added += 1
        await uow.commit()
    return added


def _terms_name(rating: str, terms: PaymentTerms) -> str:
    """The name users see for a class template."""
    if terms.kind == TermsKind.NET:
        days = "cash before delivery" if terms.net_days == 0 else f"{terms.net_days} days net"
        return f"Class {rating}: {days}"
    return f"Class {rating} terms"


async def _demo_terms(runtime: Runtime, tenant_id: UUID | str) -> int:
    """Save CLASS_A..CLASS_D with the tenant's class terms through savePaymentTerms' service,
    so agreements and applications may name them; templates already saved are kept."""
    added = 0
    async with UnitOfWork(runtime.engine, tenant_id, DEMO_ACTOR) as uow:
        catalogue = await payment_terms.catalogue_in(uow)
        saved = {t.code for t in catalogue.templates}
        for rating, terms in catalogue.class_terms:
            code = class_code(rating)
            if code in saved:
                continue
            await payment_terms.save(
                uow,
                TermsIn(
                    code=code,
                    name=_terms_name(rating, terms),
                    kind=terms.kind.value,
                    net_days=terms.net_days,
                    eom_plus_days=terms.eom_plus_days,
                    instalments=tuple((str(i.percent), i.offset_days) for i in terms.instalments),
                ),
            )
            added += 1
        await uow.commit()
    return added


async def _demo_ledger(runtime: Runtime, tenant_id: UUID | str, slug: str) -> int:
    """Rating classes, invoices and payments, imported by external id: a rerun posts nothing."""
    today = date.today()
    invoices: list[ImportRow] = []
    payments: list[ImportRow] = []
    async with UnitOfWork(runtime.engine, tenant_id, DEMO_ACTOR) as uow:
        for code, (rating, items, cash) in DEMO_LEDGER.items():
            customer = await customers.find_by_code(uow, code)
            if customer is None:
                continue
            if customer.rating_class is None:
                # demo data seeds a class as scoring would (history, decision and event)
                await classes.set_class(uow, customer.id, rating, "demo data", "MANUAL")
            currency = ledger_currency(customer.annual_sales_currency)
            for suffix, age, terms, amount in items:
                issued = today - timedelta(days=age)
                invoices.append(
                    ImportRow(
                        external_id=f"demo-{slug}-{code}-{suffix}",
                        number=f"{code}-{suffix}",
                        customer_code=code,
                        amount=amount,
                        currency=currency,
                        issue_date=issued,
                        due_date=issued + timedelta(days=terms),
                    )
                )
            for n, (days_ago, amount) in enumerate(cash):
                payments.append(
                    ImportRow(
                        external_id=f"demo-{slug}-{code}-pay-{n}",
                        customer_code=code,
                        amount=amount,
                        currency=currency,
                        received_on=today - timedelta(days=days_ago),
                    )
                )
        posted = 0
        if invoices:
            posted += (await import_invoices(uow, invoices)).created
        if payments:
            posted += (await import_payments(uow, payments)).created
        await uow.commit()
    return posted


async def load_demo(runtime: Runtime) -> dict[str, int]:
    """Create the demo tenants, customers, ledger, rates and class terms that are missing;
    return how many were added, per tenant (its customers) and per part (`demo:rates`)."""
    added: dict[str, int] = {}
    for slug, (name, rows) in DEMO.items():
        tenant_id, _ = create_tenant(runtime.owner_url, slug, name)
        added[slug] = 0
        ids: list[UUID] = []
        for row in rows:
            async with UnitOfWork(runtime.engine, tenant_id, DEMO_ACTOR) as uow:
                if await customers.find_by_code(uow, str(row["code"])) is not None:
                    continue
                capital, sales = row["capital"], row["sales"]
                stored = await customers.create_customer(
                    uow,
                    CustomerChanges(
                        code=row["code"],
                        legal_name=row["legal_name"],
                        country=row["country"],
                        registration_number=row["registration_number"],
                        industry=row["industry"],
                        registered_capital=MoneyIn(*capital) if capital else None,  # type: ignore[misc]
                        annual_sales=MoneyIn(*sales) if sales else None,  # type: ignore[misc]
                        company_history=row["history"],
                        business_model=row["model"],
                        salesperson=row["salesperson"],
                        contacts=row["contacts"],
                        founded_on=date(2008, 3, 1),
                    ),
                )
                reviewed = row["reviewed"]
                if isinstance(reviewed, date):
                    await credit_files.record_review(uow, stored.id, reviewed, date.today())
                await uow.commit()
                ids.append(stored.id)
                added[slug] += 1
        if len(ids) >= 2:
            async with UnitOfWork(runtime.engine, tenant_id, DEMO_ACTOR) as uow:
                try:
                    await credit_files.link_partner(
                        uow, ids[0], ids[1], "KEY_BUYER", "Buys spare parts monthly"
                    )
                    await credit_files.add_entry(
                        uow,
                        ids[0],
                        date.today() - timedelta(days=60),
                        "FINANCIAL_STATEMENT",
                        "2025 audited financial statements",
                        "Revenue up 12%; gearing 0.45.",
                        "dms://fin/2025/" + slug,
                        date.today(),
                    )
                    await credit_files.add_entry(
                        uow,
                        ids[0],
                        date.today() - timedelta(days=45),
                        "CREDIT_REPORT",
                        "Bank credit record",
                        "No overdue loans.",
                        None,
                        date.today(),
                    )
                    await uow.commit()
                except DomainError:
                    pass
        # before the ledger, whose classes go only to customers without one: a held class is
        # an override, which a class already set would make a SAME_CLASS request
        added[f"{slug}:limits"] = await load_demo_limits(runtime, tenant_id)
        added[f"{slug}:ledger"] = await _demo_ledger(runtime, tenant_id, slug)
        added[f"{slug}:rates"] = await _demo_rates(runtime, tenant_id, demo_currencies(rows))
        added[f"{slug}:terms"] = await _demo_terms(runtime, tenant_id)
    return added
