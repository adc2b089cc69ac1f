"""Per-request DataLoaders for the ledger: one statement per batch, records from services."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from strawberry.dataloader import DataLoader

from schema.context import Context
from services.ledger import as_of as as_of_service
from services.ledger import interest as interest_service
from services.ledger import reads
from services.ledger.records import AllocationEntry, InstalmentRecord, InvoiceRecord, PaymentRecord
from services.read_session import ReadSession

V = TypeVar("V")


def _by_id(
    read: Callable[[ReadSession, list[UUID]], Awaitable[list[V]]],
) -> Callable[[Context], DataLoader[UUID, V]]:
    """A loader factory over a service read that answers per id, in the order asked."""

    def factory(ctx: Context) -> DataLoader[UUID, V]:
        async def load(ids: list[UUID]) -> list[V]:
            return await read(ctx.session, ids)

        return DataLoader(load_fn=load)

    return factory


invoices: Callable[[Context], DataLoader[UUID, InvoiceRecord | None]] = _by_id(
    reads.invoices_by_ids
)
payments: Callable[[Context], DataLoader[UUID, PaymentRecord | None]] = _by_id(
    reads.payments_by_ids
)
allocations_by_invoice: Callable[[Context], DataLoader[UUID, list[AllocationEntry]]] = _by_id(
    reads.allocations_by_invoice
)
allocations: Callable[[Context], DataLoader[UUID, AllocationEntry | None]] = _by_id(
    reads.allocations_by_ids
)
allocations_by_payment: Callable[[Context], DataLoader[UUID, list[AllocationEntry]]] = _by_id(
    reads.allocations_by_payment
)
instalments: Callable[[Context], DataLoader[UUID, list[InstalmentRecord]]] = _by_id(
    reads.instalments_by_invoice
)


def interest(as_of: date) -> Any:
    """Accrued interest (minor units) by invoice id, as of one date."""

    def factory(ctx: Context) -> DataLoader[UUID, int]:
        async def load(ids: list[UUID]) -> list[int]:
            found = await interest_service.interest_for(ctx.session, ids, as_of)
            return [found.get(i, 0) for i in ids]

        return DataLoader(load_fn=load)

    return factory


def balances_on(as_of: date) -> Any:
    """Invoices' open amount and status at the end of one date, by invoice id (one statement
    per batch; the request keeps one loader per date asked)."""

    def factory(ctx: Context) -> DataLoader[UUID, as_of_service.BalanceOn | None]:
        async def load(ids: list[UUID]) -> list[as_of_service.BalanceOn | None]:
            return await as_of_service.balances_on(ctx.session, ids, as_of)

        return DataLoader(load_fn=load)

    return factory
