"""The credit-file report: gather the dossier, hand plain data to the PDF renderer."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from uuid import UUID

from documents.models import (
    ContactLine,
    CreditFileReport,
    EntryLine,
    MissingLine,
    PartnerLine,
    WarningLine,
)
from domain.money import Money
from services.credit import credit_file_sections
from services.customers import reads
from services.read_session import ReadSession
from services.tenant import profile
from services.warnings.reads import open_for_customer

LANGUAGES = ("zh-CN", "en")
REPORT_TIMELINE_ENTRIES = 200  #: the report shows up to this many dated entries


def _money(minor: int | None, currency: str | None) -> str | None:
    if minor is None or currency is None:
        return None
    return f"{Money(minor, currency.strip()).to_decimal_string()} {currency.strip()}"


async def gather(
    session: ReadSession, customer_id: UUID, actor: str, today: date
) -> CreditFileReport | None:
    """Everything the report shows; None when the customer is not the tenant's."""
    found = (await reads.customers_by_ids(session, [customer_id]))[0]
    if found is None:
        return None
    grade = (await reads.completeness_for(session, [customer_id], today))[0]
    partners = (await reads.relations_for(session, [customer_id]))[0]
    entries = (await reads.entries_for(session, [customer_id], REPORT_TIMELINE_ENTRIES))[0]
    credit = await credit_file_sections.gather(session, customer_id, today)
    return CreditFileReport(
        tenant_name=await reads.tenant_name(session),
        generated_at=datetime.now(UTC),
        generated_by=actor,
        code=found.code,
        legal_name=found.legal_name,
        country=found.country,
        registration_number=found.registration_number,
        industry=found.industry,
        status=found.status,
        founded_on=found.founded_on,
        registered_capital=_money(
            found.registered_capital_minor, found.registered_capital_currency
        ),
        annual_sales=_money(found.annual_sales_minor, found.annual_sales_currency),
        business_model=found.business_model,
        company_history=found.company_history,
        salesperson=found.salesperson,
        last_reviewed_on=found.last_reviewed_on,
        next_review_due_on=await reads.next_review_due(session, found.last_reviewed_on),
        completeness_ratio=grade.ratio,
        contacts=[
            ContactLine(c.get("name") or "", c.get("role"), c.get("phone"), c.get("email"))
            for c in found.contacts or []
        ],
        partners=[PartnerLine(p.kind, p.related_code, p.related_name, p.note) for p in partners],
        timeline=[
            EntryLine(e.occurred_on, e.kind, e.title, e.body, e.document_ref) for e in entries
        ],
        missing=[MissingLine(m.key, m.reason, m.as_of) for m in grade.missing],
        warnings=[
            WarningLine(w.kind, w.level, w.raised_at)
            for w in await open_for_customer(session, customer_id)
        ],
        analysis=credit.analysis,
        score=credit.score,
        limits=credit.limits,
        time_zone=(await profile.load(session)).time_zone,
    )


async def render_pdf(report: CreditFileReport, lang: str) -> bytes:
    """The report as a PDF; rendering runs off the event loop (and holds no connection)."""
    from documents.render import render_credit_file_pdf

    return await asyncio.to_thread(render_credit_file_pdf, report, lang)
