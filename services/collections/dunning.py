"""Dunning letters: the overdue items with interest as of a date, in the form a Chinese credit
manager sends (催款函, 催告函, 律师函); sending one numbers it, renders it in each language its
recipients read, archives the exact PDFs and e-mails them or records them as posted.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.delivery_tables import sent_documents
from dbschema.tables import customers, tenants
from documents.models import DunningLetter, LetterCurrency, LetterItem, PriorLetter
from domain.dates import check_date
from domain.errors import DomainError, NotFound
from domain.letters import SERIES, LetterKind, deadline, kind_of, letter_number
from domain.money import Money
from domain.recipients import CHINESE_SPEAKING, LANGUAGES, Purpose, contacts_of, recipients
from services.configuration import policy as receivables_config
from services.delivery import letterhead as heads
from services.delivery.archive import ArchivedDocument, DocumentIn, archive, next_number
from services.delivery.channels import EMAIL, MANUAL, email_address
from services.delivery.outbox import DeliveryRecord, queue_email, record_handed_over
from services.delivery.registry import open_channel
from services.ledger.interest import interest_for, interest_in
from services.read_session import ReadSession
from services.tenant import profile as tenant_profile
from services.tenant.profile import Profile
from services.uow import UnitOfWork

KINDS = tuple(k.value for k in LetterKind)
PRIOR_LETTERS = 3  #: earlier letters a demand or a lawyer's letter cites

#: Open amounts as they stood on the letter's date: what was paid later is added back.
OVERDUE_SQL = sa.text("""
WITH later AS (
    SELECT invoice_id, sum(amount_minor) AS amount FROM allocations
     WHERE effective_on > CAST(:as_of AS date) GROUP BY invoice_id
)
SELECT i.id, i.number, i.order_ref, i.issue_date, i.due_date, i.currency, i.amount_minor,
       i.open_minor + coalesce(l.amount, 0) - i.disputed_minor AS owed_minor
  FROM invoices i LEFT JOIN later l ON l.invoice_id = i.id
 WHERE i.customer_id = :customer AND i.due_date < CAST(:as_of AS date)
   AND i.open_minor + coalesce(l.amount, 0) > i.disputed_minor
 ORDER BY i.currency, i.due_date, i.number""")


@dataclass(frozen=True)
class Facts:
    """What a letter is made of, read in one go."""

    customer: Any
    tenant_name: str
    invoices: list[Any]
    tenant_rate: Decimal
    prior: list[PriorLetter]


@dataclass(frozen=True)
class LetterRequest:
    """A letter to send: of what kind, dated when, by which channel, in which language (for a
    printed letter; e-mail goes in each recipient's language), paid by when."""

    customer_id: UUID
    kind: str
    channel: str
    as_of: date | None = None
    lang: str | None = None
    deadline: date | None = None


@dataclass(frozen=True)
class LetterSent:
    """A letter issued: its number, the archived PDFs, where each copy goes."""

    customer_id: UUID
    kind: str
    number: str
    as_of: date
    deadline: date
    documents: list[ArchivedDocument]
    deliveries: list[DeliveryRecord]


async def _facts(conn: AsyncConnection, customer_id: UUID, kind: str, as_of: date) -> Facts | None:
    customer = (
        await conn.execute(
            sa.select(
                customers.c.id,
                customers.c.code,
                customers.c.legal_name,
                customers.c.country,
                customers.c.contacts,
                customers.c.late_interest_daily_rate,
            ).where(customers.c.id == customer_id)
        )
    ).first()
    if customer is None:
        return None
    rows = list(await conn.execute(OVERDUE_SQL, {"customer": customer_id, "as_of": as_of}))
    policy = await receivables_config.load(conn)
    earlier = ("REMINDER",) if kind == "DEMAND" else ("REMINDER", "DEMAND")
    prior = (
        await conn.execute(
            sa.select(sent_documents.c.kind, sent_documents.c.number, sent_documents.c.as_of)
            .where(
                sent_documents.c.customer_id == customer_id,
                sent_documents.c.kind.in_(earlier),
                sent_documents.c.number.is_not(None),
            )
            .distinct()
            .order_by(sent_documents.c.as_of.desc(), sent_documents.c.number.desc())
            .limit(PRIOR_LETTERS)
        )
    ).all()
    return Facts(
        customer=customer,
        tenant_name=str(await conn.scalar(sa.select(tenants.c.name))),
        invoices=rows,
        tenant_rate=policy.late_interest_daily_rate,
        prior=[PriorLetter(r.kind, r.number, r.as_of) for r in reversed(prior)]
        if kind != "REMINDER"
        else [],
    )


def _letter(
    facts: Facts,
    interest: dict[UUID, int],
    profile: Profile,
    kind: str,
    as_of: date,
    due: date,
    number: str | None,
) -> DunningLetter:
    by_currency: dict[str, list[Any]] = defaultdict(list)
    for row in facts.invoices:
        by_currency[row.currency.strip()].append(row)
    blocks = []
    for currency, rows in by_currency.items():
        items = [
            LetterItem(
                number=r.number,
                order_ref=r.order_ref,
                issued_on=r.issue_date,
                due_on=r.due_date,
                days_overdue=(as_of - r.due_date).days,
                amount=Money(r.amount_minor, currency),
                open=Money(int(r.owed_minor), currency),
                interest=Money(interest.get(r.id, 0), currency),
            )
            for r in rows
        ]
        blocks.append(
            LetterCurrency(
                currency=currency,
                items=items,
                open=Money(sum(i.open.minor for i in items), currency),
                interest=Money(sum(i.interest.minor for i in items), currency),
                accounts=heads.accounts(profile, currency),
            )
        )
    rate = facts.customer.late_interest_daily_rate
    return DunningLetter(
        kind=kind,
        number=number,
        as_of=as_of,
        deadline=due,
        seller=heads.letterhead(profile, facts.tenant_name),
        customer_code=facts.customer.code,
        customer_name=facts.customer.legal_name,
        currencies=blocks,
        daily_rate=Decimal(rate) if rate is not None else facts.tenant_rate,
        seal=heads.seal(profile),
        law_firm=heads.law_firm(profile),
        prior=facts.prior,
    )


def _check(kind: str, profile: Profile, facts: Facts | None) -> tuple[LetterKind, Facts]:
    letter_kind = kind_of(kind)
    if facts is None:
        raise NotFound("customerId", "customer")
    if letter_kind is LetterKind.LAWYER and not profile.law_firm:
        raise DomainError(
            "LAW_FIRM_REQUIRED", "name your law firm in the tenant profile first", "kind"
        )
    if not facts.invoices:
        raise DomainError(
            "NOTHING_OVERDUE", "the customer had nothing overdue on that date", "customerId"
        )
    return letter_kind, facts


async def draft(
    session: ReadSession, customer_id: UUID, kind: str, as_of: date
) -> DunningLetter | None:
    """A letter as it would go out on `as_of` (the caller's date: the tenant's today unless it
    asks for another), unnumbered and marked as a draft; None when the customer is not ours."""
    kind_of(kind)
    check_date(as_of, "asOf")
    profile = await tenant_profile.load(session)
    facts = await session.run(lambda conn: _facts(conn, customer_id, kind, as_of))
    if facts is None:
        return None
    interest = await interest_for(session, [r.id for r in facts.invoices], as_of)
    return _letter(facts, interest, profile, kind, as_of, deadline(kind_of(kind), as_of), None)


async def render_letter(letter: DunningLetter, lang: str) -> bytes:
    """The letter as a PDF (rendered off the event loop)."""
    from documents.dunning import render_dunning_pdf

    return await asyncio.to_thread(render_dunning_pdf, letter, lang)


def _print_language(request: LetterRequest, country: str) -> str:
    if request.lang is not None:
        if request.lang not in LANGUAGES:
            raise DomainError("INVALID_INPUT", "lang is zh-CN or en", "lang")
        return request.lang
    return "zh-CN" if country.strip() in CHINESE_SPEAKING else "en"


async def send_letter(uow: UnitOfWork, request: LetterRequest) -> LetterSent:
    """Issue a letter: number it, render and archive it, then e-mail it to the contacts whose
    role it is for (each in their language) or record it as posted, couriered or handed over."""
    if request.channel != EMAIL and request.channel not in MANUAL:
        raise DomainError("INVALID_INPUT", f"channel is {EMAIL} or one of {MANUAL}", "channel")
    profile = await tenant_profile.load_in(uow)
    today = heads.local_today(profile, uow.now())  # the work's clock, on the tenant's calendar
    as_of = check_date(request.as_of, "asOf") or today
    if as_of > today:
        raise DomainError("FUTURE_DATE", "a letter cannot be dated in the future", "asOf")
    kind, facts = _check(
        request.kind, profile, await _facts(uow.conn, request.customer_id, request.kind, as_of)
    )
    due = deadline(kind, as_of, request.deadline)
    country = facts.customer.country
    if request.channel == EMAIL:
        if await open_channel(uow, EMAIL) is None:
            raise DomainError("NO_CHANNEL", "no mail server is configured", "channel")
        to = recipients(
            contacts_of(facts.customer.contacts), Purpose(kind.value), country, email_address
        )
        if not to:
            raise DomainError("NO_RECIPIENT", "no contact of the customer has an e-mail", "channel")
        languages = list(dict.fromkeys(r.language for r in to))
    else:
        languages = [_print_language(request, country)]
    number = letter_number(kind, as_of.year, await next_number(uow, SERIES[kind], as_of.year))
    interest = await interest_in(uow, [r.id for r in facts.invoices], as_of)
    letter = _letter(facts, interest, profile, kind.value, as_of, due, number)
    documents: dict[str, ArchivedDocument] = {}
    for lang in languages:
        pdf = await render_letter(letter, lang)
        documents[lang] = await archive(
            uow,
            DocumentIn(
                customer_id=request.customer_id,
                kind=kind.value,
                number=number,
                lang=lang,
                media_type="application/pdf",
                filename=heads.file_name(
                    f"{kind.value}-letter", facts.customer.code, as_of, lang, "pdf"
                ),
                content=pdf,
                as_of=as_of,
            ),
        )
    deliveries: list[DeliveryRecord] = []
    if request.channel == EMAIL:
        from documents.emails import letter_cover

        for recipient in to:
            subject, body = letter_cover(
                letter.seller, letter.customer_name, kind.value, number, due, recipient.language
            )
            deliveries.append(
                await queue_email(uow, documents[recipient.language], recipient, subject, body)
            )
    else:
        document = documents[languages[0]]
        note = f"{kind.value} letter {number} sent by {request.channel.lower()}"
        record, _activity = await record_handed_over(
            uow, document, request.channel, facts.customer.legal_name, note
        )
        deliveries.append(record)
    return LetterSent(
        request.customer_id, kind.value, number, as_of, due, list(documents.values()), deliveries
    )
