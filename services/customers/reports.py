"""The credit-file report: gather the dossier, hand plain data to the PDF renderer."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from dbschema.tables import tenants, warnings
from documents.models import (
    ContactLine,
    CreditFileReport,
    EntryLine,
    MissingLine,
    PartnerLine,
    WarningLine,
)
from domain.money import Money
from services.customers import reads
from services.read_session import ReadSession

LANGUAGES = ("zh-CN", "en")
REPORT_TIMELINE_ENTRIES = 200  #: the report shows up to this many dated entries


def _money(minor: int | None, currency: str | None) -> str | None:
    if minor is None or currency is None:
        return None
    return f"{Money(minor, currency.strip()).to_decimal_string()} {currency.strip()}"


async def gather(
    engine: AsyncEngine, tenant_id: UUID, customer_id: UUID, actor: str, today: date
) -> CreditFileReport | None:
    """Everything the report shows; None when the customer is not the tenant's."""
    session = ReadSession(engine, tenant_id)
    try:
        found = (await reads.customers_by_ids(session, [customer_id]))[0]
        if found is None:
            return None
        grade = (await reads.completeness_for(session, [found], today))[0]
        partners = (await reads.relations_for(session, [customer_id]))[0]
        entries = (await reads.entries_for(session, [customer_id], REPORT_TIMELINE_ENTRIES))[0]
        interval = await reads.review_interval(session)
        tenant_name = await session.run(lambda c: c.scalar(sa.select(tenants.c.name)))
        open_warnings = await session.run(
            lambda c: c.execute(
                sa.select(warnings)
                .where(warnings.c.customer_id == customer_id, warnings.c.status == "OPEN")
                .order_by(warnings.c.raised_at.desc())
            )
        )
        warning_rows = list(open_warnings)
    finally:
        await session.close()
    last = found["last_reviewed_on"]
    return CreditFileReport(
        tenant_name=str(tenant_name),
        generated_at=datetime.now(UTC),
        generated_by=actor,
        code=found["code"],
        legal_name=found["legal_name"],
        country=found["country"],
        registration_number=found["registration_number"],
        industry=found["industry"],
        status=found["status"],
        founded_on=found["founded_on"],
        registered_capital=_money(
            found["registered_capital_minor"], found["registered_capital_currency"]
        ),
        annual_sales=_money(found["annual_sales_minor"], found["annual_sales_currency"]),
        business_model=found["business_model"],
        company_history=found["company_history"],
        salesperson=found["salesperson"],
        last_reviewed_on=last,
        next_review_due_on=last + timedelta(days=interval) if last else None,
        completeness_ratio=grade.ratio,
        contacts=[
            ContactLine(c.get("name") or "", c.get("role"), c.get("phone"), c.get("email"))
            for c in found["contacts"] or []
        ],
        partners=[
            PartnerLine(p["kind"], p["related_code"], p["related_name"], p["note"])
            for p in partners
        ],
        timeline=[
            EntryLine(e["occurred_on"], e["kind"], e["title"], e["body"], e["document_ref"])
            for e in entries
        ],
        missing=[MissingLine(m.key, m.reason, m.as_of) for m in grade.missing],
        warnings=[WarningLine(w.kind, w.level, w.raised_at) for w in warning_rows],
    )


async def credit_file_pdf(
    engine: AsyncEngine, tenant_id: UUID, customer_id: UUID, actor: str, lang: str, today: date
) -> bytes | None:
    """The rendered PDF, or None when not found. Rendering runs off the event loop."""
    from documents.render import render_credit_file_pdf

    report = await gather(engine, tenant_id, customer_id, actor, today)
    if report is None:
        return None
    return await asyncio.to_thread(render_credit_file_pdf, report, lang)
