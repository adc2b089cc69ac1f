"""Per-request DataLoaders for warnings."""

from __future__ import annotations

from uuid import UUID

from strawberry.dataloader import DataLoader

from schema.context import Context
from services.warnings import lifecycle, reads
from services.warnings.records import ResponseRecord, WarningRecord


def warnings(ctx: Context) -> DataLoader[UUID, WarningRecord | None]:
    """Warnings by id."""

    async def load(ids: list[UUID]) -> list[WarningRecord | None]:
        return await reads.warnings_by_ids(ctx.session, ids)

    return DataLoader(load_fn=load)


def responses(ctx: Context) -> DataLoader[UUID, list[ResponseRecord]]:
    """Each warning's responses."""

    async def load(ids: list[UUID]) -> list[list[ResponseRecord]]:
        return await lifecycle.responses_of(ctx.session, ids)

    return DataLoader(load_fn=load)
