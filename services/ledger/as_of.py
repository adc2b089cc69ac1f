"""Invoice figures that depend on the day asked about: open amount and status as of a date,
read from the ledger's dated entries (batched for a DataLoader keyed by the date)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.queries.ledger_as_of import balances_as_of
from domain.dates import check_date
from domain.invoices import InvoiceStatus, invoice_status
from services.read_session import ReadSession


@dataclass(frozen=True, slots=True)
class BalanceOn:
    """An invoice at the end of a day: what was open and where it stood."""

    open_minor: int
    written_off_minor: int

    @property
    def status(self) -> InvoiceStatus:
        """Open, paid or written off on that day (domain.invoices)."""
        return invoice_status(self.open_minor, self.written_off_minor)


async def balances_on(session: ReadSession, ids: list[UUID], as_of: date) -> list[BalanceOn | None]:
    """Each invoice's balance at the end of `as_of`, in the order asked; None where the tenant
    has no such invoice."""
    check_date(as_of, "asOf")

    async def run(conn: AsyncConnection) -> dict[UUID, Any]:
        return await balances_as_of(conn, ids, as_of)

    found = await session.run(run)
    return [BalanceOn(*found[i]) if i in found else None for i in ids]
