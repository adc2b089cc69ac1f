"""Pre-due reminders: one per invoice, inside the tenant's reminder window, e-mailed to the
customer's finance contacts as one notice per customer and language.

Which invoices are due a reminder is decided set-wise in SQL (one INSERT for the day);
domain.escalation.reminder_due is its pure twin, and tests/services/test_reminders.py checks
the one against the other. A notice counts as sent only once the mail server accepted it; a
customer the platform cannot reach gets an activity saying why instead.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.ledger_tables import invoices
from dbschema.queries.events import record_event
from dbschema.tables import customers, tenants
from documents.emails import NoticeLine, PreDueNotice, pre_due_notice
from domain.money import Money
from domain.recipients import Purpose, contacts_of, recipients
from services.delivery import letterhead as heads
from services.delivery.archive import ArchivedDocument, DocumentIn, archive
from services.delivery.channels import EMAIL, Channel
from services.delivery.outbox import queue_email, record_not_sent
from services.delivery.registry import open_channel
from services.tenant import profile as tenant_profile
from services.uow import UnitOfWork

#: Invoices in the window with something undisputed still open, reminded once (keyed per invoice).
REMIND_SQL = sa.text("""
INSERT INTO reminders (tenant_id, invoice_id, kind, sent_on)
SELECT i.tenant_id, i.id, 'PRE_DUE', CAST(:as_of AS date) FROM invoices i
 WHERE i.open_minor > i.disputed_minor
   AND i.due_date > CAST(:as_of AS date)
   AND i.due_date - CAST(:days AS integer) <= CAST(:as_of AS date)
ON CONFLICT DO NOTHING
RETURNING invoice_id""")
TEXT = "text/plain; charset=utf-8"


async def send_reminders(uow: UnitOfWork, as_of: date, days_before: int) -> int:
    """One pre-due reminder per invoice, inside the reminder window; how many were due."""
    rows = (
        (await uow.conn.execute(REMIND_SQL, {"as_of": as_of, "days": days_before})).scalars().all()
    )
    if not rows:
        return 0
    found = (
        await uow.conn.execute(
            sa.select(invoices).where(invoices.c.id.in_(rows)).order_by(invoices.c.due_date)
        )
    ).all()
    by_customer: dict[UUID, list[Any]] = defaultdict(list)
    for inv in found:
        by_customer[inv.customer_id].append(inv)
        await record_event(
            uow.conn,
            uow.tenant_id,
            "collections.reminder_due",
            {
                "invoiceId": str(inv.id),
                "number": inv.number,
                "customerId": str(inv.customer_id),
                "dueDate": inv.due_date.isoformat(),
                "open": Money(inv.open_minor, inv.currency.strip()).to_decimal_string(),
                "currency": inv.currency.strip(),
            },
        )
    channel = await open_channel(uow, EMAIL)
    for customer_id, due in by_customer.items():
        note = "; ".join(f"Invoice {inv.number} falls due on {inv.due_date}" for inv in due)
        if channel is None:
            await record_not_sent(
                uow, customer_id, "REMINDER", "NOT_SENT", f"{note} (no mail server configured)"
            )
    if channel is not None:
        await _email(uow, channel, as_of, by_customer)
    return len(found)


async def _email(
    uow: UnitOfWork, channel: Channel, as_of: date, by_customer: dict[UUID, list[Any]]
) -> None:
    """One notice per customer and language, archived, then queued to each recipient."""
    profile = await tenant_profile.load_in(uow)
    seller = heads.letterhead(profile, str(await uow.conn.scalar(sa.select(tenants.c.name))))
    people = {
        r.id: r
        for r in await uow.conn.execute(
            sa.select(
                customers.c.id,
                customers.c.code,
                customers.c.legal_name,
                customers.c.country,
                customers.c.contacts,
            ).where(customers.c.id.in_(list(by_customer)))
        )
    }
    for customer_id, due in by_customer.items():
        customer = people[customer_id]
        to = recipients(
            contacts_of(customer.contacts),
            Purpose.PRE_DUE_REMINDER,
            customer.country,
            channel.address_of,
        )
        if not to:
            note = "; ".join(f"Invoice {inv.number} falls due on {inv.due_date}" for inv in due)
            await record_not_sent(
                uow,
                customer_id,
                "REMINDER",
                "FAILED",
                f"{note} (no contact with an e-mail address)",
            )
            continue
        currencies = list(dict.fromkeys(inv.currency.strip() for inv in due))
        notice = PreDueNotice(
            seller=seller,
            customer_name=customer.legal_name,
            lines=[
                NoticeLine(
                    inv.number,
                    inv.order_ref,
                    inv.due_date,
                    Money(inv.open_minor, inv.currency.strip()),
                )
                for inv in due
            ],
            accounts=list(dict.fromkeys(a for c in currencies for a in heads.accounts(profile, c))),
        )
        texts: dict[str, tuple[str, str, ArchivedDocument]] = {}
        for recipient in to:
            lang = recipient.language
            if lang not in texts:
                subject, body = pre_due_notice(notice, lang)
                document = await archive(
                    uow,
                    DocumentIn(
                        customer_id=customer_id,
                        kind="PRE_DUE_REMINDER",
                        number=None,
                        lang=lang,
                        media_type=TEXT,
                        filename=heads.file_name(
                            "pre-due-reminder", customer.code, as_of, lang, "txt"
                        ),
                        content=body.encode(),
                        as_of=as_of,
                    ),
                )
                texts[lang] = (subject, body, document)
            subject, body, document = texts[lang]
            await queue_email(uow, document, recipient, subject, body)
