"""Per-request DataLoaders: one query per batch, whatever the page size."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any
from uuid import UUID

from strawberry.dataloader import DataLoader

from dbschema.ledger_tables import invoices as invoice_table
from domain.credit_file import Completeness
from schema.context import Context
from services import ledger_reads, reads

TIMELINE_PER_CUSTOMER = 20  #: newest dossier entries shown per customer
AUDIT_PER_CUSTOMER = 50  #: newest audit entries shown per customer


def customers(ctx: Context) -> DataLoader[UUID, dict[str, Any] | None]:
    """Customers by id."""

    async def load(ids: list[UUID]) -> list[dict[str, Any] | None]:
        return await reads.customers_by_ids(ctx.session, ids)

    return DataLoader(load_fn=load)


def invoices(ctx: Context) -> DataLoader[UUID, dict[str, Any] | None]:
    """Invoices by id, one statement per request wave."""

    async def load(keys: list[UUID]) -> list[dict[str, Any] | None]:
        return await ledger_reads.by_ids(ctx.session, invoice_table, keys)

    return DataLoader(load_fn=load)


def completeness(ctx: Context) -> DataLoader[UUID, Completeness]:
    """Credit-file completeness by customer id (customers come from the customer loader)."""

    async def load(ids: list[UUID]) -> list[Completeness]:
        rows = await ctx.loader("customers", customers).load_many(ids)
        present = [r for r in rows if r is not None]
        grades = dict(
            zip(
                [r["id"] for r in present],
                await reads.completeness_for(ctx.session, present, ctx.today),
                strict=True,
            )
        )
        return [grades[i] for i in ids]

    return DataLoader(load_fn=load)


def partners(ctx: Context) -> DataLoader[UUID, list[dict[str, Any]]]:
    """Partner links by customer id."""

    async def load(ids: list[UUID]) -> list[list[dict[str, Any]]]:
        return await reads.relations_for(ctx.session, ids)

    return DataLoader(load_fn=load)


def timeline(ctx: Context) -> DataLoader[UUID, list[dict[str, Any]]]:
    """Newest timeline entries by customer id."""

    async def load(ids: list[UUID]) -> list[list[dict[str, Any]]]:
        return await reads.entries_for(ctx.session, ids, TIMELINE_PER_CUSTOMER)

    return DataLoader(load_fn=load)


def audit_trail(ctx: Context) -> DataLoader[UUID, list[dict[str, Any]]]:
    """Newest audit rows by customer id."""

    async def load(ids: list[UUID]) -> list[list[dict[str, Any]]]:
        return await reads.audit_for(ctx.session, ids, AUDIT_PER_CUSTOMER)

    return DataLoader(load_fn=load)


def warnings(ctx: Context) -> DataLoader[UUID, dict[str, Any] | None]:
    """Warnings by id."""

    async def load(ids: list[UUID]) -> list[dict[str, Any] | None]:
        return await reads.warnings_by_ids(ctx.session, ids)

    return DataLoader(load_fn=load)


#: The running request's context, for values that load only when a query awaits them.
current_context: ContextVar[Context] = ContextVar("current_context")


class Deferred:
    """A field value loaded through the request's DataLoader only if the query selects it.

    Plain attributes resolve much faster than resolver methods; a page prefetches the
    values and replaces these placeholders, a single object (node, customer) awaits them.
    """

    __slots__ = ("convert", "factory", "key", "name")

    def __init__(self, name: str, factory: Any, key: Any, convert: Any) -> None:
        self.name, self.factory, self.key, self.convert = name, factory, key, convert

    def __await__(self) -> Any:
        return self._load().__await__()

    async def _load(self) -> Any:
        loader = current_context.get().loader(self.name, self.factory)
        return self.convert(await loader.load(self.key))
