"""Per-request DataLoaders for closing: a proposal's approvals, one statement per batch."""

from __future__ import annotations

from uuid import UUID

from strawberry.dataloader import DataLoader

from schema.context import Context
from services.closing import reads
from services.closing.reads import ApprovalRecord


def approvals(ctx: Context) -> DataLoader[UUID, list[ApprovalRecord]]:
    """Decisions by proposal id."""

    async def load(ids: list[UUID]) -> list[list[ApprovalRecord]]:
        return await reads.approvals_by_proposal(ctx.session, ids)

    return DataLoader(load_fn=load)
