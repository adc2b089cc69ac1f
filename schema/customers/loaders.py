"""Per-request DataLoaders: one query per batch, whatever the page size."""

from __future__ import annotations

from uuid import UUID

from strawberry.dataloader import DataLoader

from domain.credit_file import Completeness
from schema.context import Context
from services.customers import reads
from services.customers.records import AuditRecord, CreditFileEntry, CustomerRecord, PartnerLink

TIMELINE_PER_CUSTOMER = 20  #: newest dossier entries shown per customer
AUDIT_PER_CUSTOMER = 50  #: newest audit entries shown per customer


def customers(ctx: Context) -> DataLoader[UUID, CustomerRecord | None]:
    """Customers by id."""

    async def load(ids: list[UUID]) -> list[CustomerRecord | None]:
        return await reads.customers_by_ids(ctx.session, ids)

    return DataLoader(load_fn=load)


def completeness(ctx: Context) -> DataLoader[UUID, Completeness]:
    """Credit-file completeness by customer id."""

    async def load(ids: list[UUID]) -> list[Completeness]:
        return await reads.completeness_for(ctx.session, ids, ctx.today)

    return DataLoader(load_fn=load)


def partners(ctx: Context) -> DataLoader[UUID, list[PartnerLink]]:
    """Partner links by customer id."""

    async def load(ids: list[UUID]) -> list[list[PartnerLink]]:
        return await reads.relations_for(ctx.session, ids)

    return DataLoader(load_fn=load)


def timeline(ctx: Context) -> DataLoader[UUID, list[CreditFileEntry]]:
    """Newest timeline entries by customer id."""

    async def load(ids: list[UUID]) -> list[list[CreditFileEntry]]:
        return await reads.entries_for(ctx.session, ids, TIMELINE_PER_CUSTOMER)

    return DataLoader(load_fn=load)


def audit_trail(ctx: Context) -> DataLoader[UUID, list[AuditRecord]]:
    """Newest audited changes by customer id."""

    async def load(ids: list[UUID]) -> list[list[AuditRecord]]:
        return await reads.audit_for(ctx.session, ids, AUDIT_PER_CUSTOMER)

    return DataLoader(load_fn=load)


def partners_by_id(ctx: Context) -> DataLoader[UUID, PartnerLink | None]:
    """Partner links by their own ids (for `node`)."""

    async def load(ids: list[UUID]) -> list[PartnerLink | None]:
        return await reads.partners_by_ids(ctx.session, ids)

    return DataLoader(load_fn=load)


def entries_by_id(ctx: Context) -> DataLoader[UUID, CreditFileEntry | None]:
    """Timeline entries by their ids (for `node`)."""

    async def load(ids: list[UUID]) -> list[CreditFileEntry | None]:
        return await reads.entries_by_ids(ctx.session, ids)

    return DataLoader(load_fn=load)
