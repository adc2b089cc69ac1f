"""Pre-due reminders: one per invoice, inside the tenant's reminder window.

Set-wise in SQL (one INSERT for the day); domain.escalation.reminder_due is its pure twin,
and tests/services/test_reminders.py checks the one against the other.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from dbschema.collections_tables import activities
from dbschema.ledger_tables import invoices
from dbschema.queries.events import record_event
from domain.money import Money
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


async def send_reminders(uow: UnitOfWork, as_of: date, days_before: int) -> int:
    """One pre-due reminder per invoice, inside the reminder window; how many were sent."""
    rows = (
        (await uow.conn.execute(REMIND_SQL, {"as_of": as_of, "days": days_before})).scalars().all()
    )
    if not rows:
        return 0
    found = (await uow.conn.execute(sa.select(invoices).where(invoices.c.id.in_(rows)))).all()
    for inv in found:
        currency = inv.currency.strip()
        await uow.conn.execute(
            activities.insert().values(
                tenant_id=uow.tenant_id,
                customer_id=inv.customer_id,
                kind="REMINDER",
                occurred_at=datetime.now(UTC),
                outcome="SENT",
                notes=f"Invoice {inv.number} falls due on {inv.due_date}",
                created_by="system",
            )
        )
        await record_event(
            uow.conn,
            uow.tenant_id,
            "collections.reminder_due",
            {
                "invoiceId": str(inv.id),
                "number": inv.number,
                "customerId": str(inv.customer_id),
                "dueDate": inv.due_date.isoformat(),
                "open": Money(inv.open_minor, currency).to_decimal_string(),
                "currency": currency,
            },
        )
    return len(found)
