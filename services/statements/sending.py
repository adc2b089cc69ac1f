"""Statements e-mailed to the customer's finance contacts, each in their language, the PDF
attached and archived as sent; a statement that reached the customer counts as SENT."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.collections_tables import statements
from dbschema.tables import customers, tenants
from documents.emails import statement_cover
from domain.errors import DomainError, NotFound
from domain.recipients import Purpose, contacts_of, recipients
from services.delivery import letterhead as heads
from services.delivery.archive import ArchivedDocument, DocumentIn, archive
from services.delivery.channels import EMAIL, email_address
from services.delivery.outbox import DeliveryRecord, queue_email, record_not_sent
from services.delivery.registry import open_channel
from services.statements.documents import statement_pdf
from services.statements.printed import reference, with_customer
from services.tenant import profile as tenant_profile
from services.uow import UnitOfWork


@dataclass(frozen=True)
class StatementSending:
    """A statement on its way: the archived PDFs and one delivery per recipient."""

    statement_id: UUID
    documents: list[ArchivedDocument]
    deliveries: list[DeliveryRecord]


async def _statement(uow: UnitOfWork, statement_id: UUID) -> Any:
    s, c = statements.c, customers.c
    row = await with_customer(
        uow,
        statement_id,
        s.id,
        s.customer_id,
        s.period,
        s.currency,
        s.content,
        c.code,
        c.legal_name,
        c.country,
        c.contacts,
    )
    if row is None:
        raise NotFound("id", "statement")
    return row


async def send_statement(uow: UnitOfWork, statement_id: UUID) -> StatementSending:
    """E-mail a statement to the customer's finance contacts (NO_CHANNEL without a mail
    server, NO_RECIPIENT when no contact has an address)."""
    row = await _statement(uow, statement_id)
    if await open_channel(uow, EMAIL) is None:
        raise DomainError("NO_CHANNEL", "no mail server is configured", "id")
    to = recipients(contacts_of(row.contacts), Purpose.STATEMENT, row.country, email_address)
    if not to:
        raise DomainError("NO_RECIPIENT", "no contact of the customer has an e-mail", "id")
    profile = await tenant_profile.load_in(uow)
    seller = heads.letterhead(profile, str(await uow.conn.scalar(sa.select(tenants.c.name))))
    currency = row.currency.strip()
    number = reference(row.code, row.period, currency)
    end = datetime.fromisoformat(row.content["to"]).date()
    documents: dict[str, ArchivedDocument] = {}
    deliveries = []
    for recipient in to:
        lang = recipient.language
        if lang not in documents:
            pdf = await statement_pdf(uow, statement_id, lang)
            assert pdf is not None  # the statement was found above
            documents[lang] = await archive(
                uow,
                DocumentIn(
                    customer_id=row.customer_id,
                    kind="STATEMENT",
                    number=number,
                    lang=lang,
                    media_type="application/pdf",
                    filename=heads.file_name("statement", row.code, end, lang, "pdf"),
                    content=pdf,
                    as_of=end,
                    statement_id=statement_id,
                ),
            )
        subject, body = statement_cover(seller, row.legal_name, row.period, number, lang)
        deliveries.append(await queue_email(uow, documents[lang], recipient, subject, body))
    return StatementSending(statement_id, list(documents.values()), deliveries)


async def send_new_statement(uow: UnitOfWork, statement_id: UUID) -> dict[str, Any]:
    """The monthly job's sending: a statement that cannot go out leaves a FAILED activity for
    the collector instead of failing the job."""
    try:
        sending = await send_statement(uow, statement_id)
    except DomainError as refused:
        if refused.code == "NOT_FOUND":
            raise
        row = await _statement(uow, statement_id)
        note = (
            f"Statement {row.period:%Y-%m} {row.currency.strip()} not e-mailed: {refused.message}"
        )
        await record_not_sent(uow, row.customer_id, "STATEMENT", "FAILED", note)
        return {"statementId": str(statement_id), "sent": 0, "reason": refused.code}
    return {"statementId": str(statement_id), "sent": len(sending.deliveries)}
