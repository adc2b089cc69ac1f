"""Per-request DataLoaders for warnings."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from strawberry.dataloader import DataLoader

from schema.context import Context
from services.warnings import reads


def warnings(ctx: Context) -> DataLoader[UUID, dict[str, Any] | None]:
    """Warnings by id."""

    async def load(ids: list[UUID]) -> list[dict[str, Any] | None]:
        return await reads.warnings_by_ids(ctx.session, ids)

    return DataLoader(load_fn=load)
