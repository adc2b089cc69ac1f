"""Read entry point for a background job's status."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles
from schema.context import Context
from schema.jobs.types import Job, load_job
from schema.permissions import allow, roles_note
from schema.relay import from_global_id

READ = roles.READ_CUSTOMERS


@strawberry.type(description="Job reads.")
class JobQuery:
    @strawberry.field(
        description="A background job's status by global id." + roles_note(READ),
        extensions=allow(READ),
    )
    async def job(
        self,
        info: Info[Context, Any],
        id: Annotated[strawberry.ID, strawberry.argument(description="Global id of the job.")],
    ) -> Job | None:
        raw = from_global_id(id, "Job")[1]
        return await load_job(info.context, raw)
