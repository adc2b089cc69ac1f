"""What a statement of account needs about factored invoices: for disclosed factoring, the
factor's remittance instruction and which open invoices are paid to it (the statement template
belongs to the statements capability; this is the hook it calls)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import sqlalchemy as sa

from dbschema.ledger_tables import invoices
from dbschema.risk_factoring_tables import factored_invoices, factoring_agreements
from services.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class RemittanceNote:
    """Pay these invoices to the factor, into this account."""

    factor: str
    bank: str | None
    account_name: str | None
    account_number: str | None
    invoice_numbers: tuple[str, ...]

    def as_content(self) -> dict[str, object]:
        """As a statement's stored content carries it (camelCase JSON)."""
        return {
            "factor": self.factor,
            "bank": self.bank,
            "accountName": self.account_name,
            "accountNumber": self.account_number,
            "invoices": list(self.invoice_numbers),
        }


async def remittance_notes(uow: UnitOfWork, as_of: date) -> dict[tuple[UUID, str], RemittanceNote]:
    """Per customer and currency, the factor to pay for invoices assigned under disclosed
    factoring and still open (one note per factor; the first factor when several)."""
    f, g = factored_invoices.c, factoring_agreements.c
    rows = await uow.conn.execute(
        sa.select(f.customer_id, f.currency, g.factor, g.remittance, invoices.c.number)
        .join(factoring_agreements, sa.and_(g.tenant_id == f.tenant_id, g.id == f.agreement_id))
        .join(invoices, sa.and_(invoices.c.tenant_id == f.tenant_id, invoices.c.id == f.invoice_id))
        .where(g.disclosed, f.status == "ACTIVE", f.assigned_on <= as_of, invoices.c.is_open)
        .order_by(f.customer_id, f.currency, g.factor, invoices.c.number)
    )
    grouped: dict[tuple[UUID, str], list[tuple[str, dict[str, str], str]]] = defaultdict(list)
    for r in rows:
        grouped[(r.customer_id, r.currency.strip())].append((r.factor, r.remittance, r.number))
    notes = {}
    for key, found in grouped.items():
        factor, remittance, _ = found[0]
        notes[key] = RemittanceNote(
            factor,
            remittance.get("bank"),
            remittance.get("accountName"),
            remittance.get("accountNumber"),
            tuple(n for name, _, n in found if name == factor),
        )
    return notes
