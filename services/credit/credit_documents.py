"""Gather an agreement or an application decision, with the tenant's letterhead, for its PDF."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from dbschema.queries import customers as customer_queries
from documents.credit_letters import (
    AgreementDoc,
    DecisionDoc,
    render_agreement_pdf,
    render_decision_pdf,
)
from documents.models import Letterhead, Picture
from domain.money import Money
from services.configuration import payment_terms
from services.credit import agreements, application_reads
from services.delivery import letterhead
from services.read_session import ReadSession
from services.tenant import profile

LANGUAGES = ("zh-CN", "en")


def _money(m: Money) -> str:
    return f"{m.to_decimal_string()} {m.currency}"


async def _letterhead(session: ReadSession) -> tuple[Letterhead, Picture | None]:
    p = await profile.load(session)
    name = str(await session.run(customer_queries.tenant_name))
    return letterhead.letterhead(p, name), letterhead.seal(p)


async def _customer(session: ReadSession, customer_id: UUID) -> Any:
    async def run(conn: Any) -> Any:
        return (await customer_queries.by_ids(conn, [customer_id]))[0]

    return await session.run(run)


async def agreement_doc(
    session: ReadSession, agreement_id: UUID, as_of: date
) -> AgreementDoc | None:
    """The agreement's text particulars, its status as of `as_of` (a signed one is not yet in
    force before its first day); None when it is not the tenant's."""
    found = (await agreements.by_ids(session, [agreement_id], as_of))[0]
    if found is None:
        return None
    customer = await _customer(session, found.customer_id)
    names = {t.code: t.name for t in (await payment_terms.catalogue(session)).templates}
    percent = (found.late_interest_daily_rate * 100).normalize()
    head, seal = await _letterhead(session)
    return AgreementDoc(
        letterhead=head,
        number=found.number or str(found.id)[:8].upper(),
        customer_name=customer.legal_name,
        customer_code=customer.code,
        registration_number=customer.registration_number,
        limit=_money(found.limit),
        terms_code=found.terms_code,
        terms_name=names.get(found.terms_code, found.terms_code),
        late_interest_percent=f"{percent:f}" if percent != Decimal(0) else "0",
        guarantees=[
            (g.kind.value, g.description, _money(g.amount) if g.amount else None)
            for g in found.guarantees
        ],
        venue=found.dispute_venue,
        venue_name=found.venue_name,
        valid_from=found.valid_from,
        valid_to=found.valid_to,
        signed_on=found.signed_on,
        status=found.status,
        document_ref=found.document_ref,
        seal=seal,
    )


async def decision_doc(session: ReadSession, application_id: UUID) -> DecisionDoc | None:
    """The application and its decision; None when it is not the tenant's."""
    found = (await application_reads.by_ids(session, [application_id]))[0]
    if found is None:
        return None
    customer = await _customer(session, found.customer_id)
    granted = found.granted
    return DecisionDoc(
        letterhead=(await _letterhead(session))[0],
        application_ref=found.reference or str(found.id)[:8].upper(),
        customer_name=customer.legal_name,
        customer_code=customer.code,
        submitted_on=found.submitted_on,
        submitted_by=found.submitted_by,
        requested_limit=_money(found.requested.limit),
        requested_terms=found.requested.terms_code,
        purpose=found.purpose,
        opinions=[(o.role, o.recommendation, o.comment) for o in found.opinions],
        status=found.status,
        verdict=found.verdict,
        decided_by=found.decided_by,
        decided_on=found.decided_on,
        reason=found.decision_reason,
        granted_limit=_money(granted.limit) if granted else None,
        granted_terms=granted.terms_code if granted else None,
        granted_valid_to=granted.valid_to if granted else None,
        # to the customer a stale request is still a limit awaiting approval (filed anew)
        limit_status="PENDING" if found.limit_status == "STALE" else found.limit_status,
    )


async def agreement_pdf(doc: AgreementDoc, lang: str) -> bytes:
    """Rendered off the event loop (it holds no connection)."""
    return await asyncio.to_thread(render_agreement_pdf, doc, lang)


async def decision_pdf(doc: DecisionDoc, lang: str) -> bytes:
    """Rendered off the event loop (it holds no connection)."""
    return await asyncio.to_thread(render_decision_pdf, doc, lang)
