"""Per-request DataLoaders for the ledger."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from strawberry.dataloader import DataLoader

from dbschema.ledger_tables import invoices as invoice_table
from schema.context import Context
from services.ledger import reads as ledger_reads


def invoices(ctx: Context) -> DataLoader[UUID, dict[str, Any] | None]:
    """Invoices by id, one statement per request wave."""

    async def load(keys: list[UUID]) -> list[dict[str, Any] | None]:
        return await ledger_reads.by_ids(ctx.session, invoice_table, keys)

    return DataLoader(load_fn=load)
