"""Read entry points for provisions, write-offs and the bad-debt case library."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles, texts
from schema.closing.mutations import PERIOD_END_DEPRECATED, run_date
from schema.closing.types import BadDebtCase, ProvisionRun, WriteOffProposal
from schema.context import Context
from schema.input_rules import text_arg
from schema.permissions import allow, roles_note
from services.closing import reads as closing_reads

READ = roles.READ_CASES


@strawberry.type(description="Closing reads.")
class ClosingQuery:
    @strawberry.field(
        description="Provision runs, newest first (at most 100)." + roles_note(READ),
        extensions=allow(READ),
    )
    async def provision_runs(
        self,
        info: Info[Context, Any],
        period: Annotated[
            date | None,
            strawberry.argument(description="Only the run of this month (any day of it)."),
        ] = None,
        period_end: Annotated[
            date | None,
            strawberry.argument(
                description="Only the run of this exact date.",
                deprecation_reason=PERIOD_END_DEPRECATED,
            ),
        ] = None,
    ) -> list[ProvisionRun]:
        on = run_date(period, period_end) if period or period_end else None
        runs = await closing_reads.provision_runs_list(info.context.session, on)
        return [ProvisionRun.build(r) for r in runs]

    @strawberry.field(
        description="Write-off proposals, newest first (at most 100)." + roles_note(READ),
        extensions=allow(READ),
    )
    async def write_off_proposals(
        self,
        info: Info[Context, Any],
        status: Annotated[
            str | None, text_arg("PROPOSED, APPROVED, POSTED or REJECTED.", texts.CODE)
        ] = None,
    ) -> list[WriteOffProposal]:
        found = await closing_reads.proposals(info.context.session, status)
        return [WriteOffProposal.build(p) for p in found]

    @strawberry.field(
        description="The bad-debt case library, newest first (at most 100)." + roles_note(READ),
        extensions=allow(READ),
    )
    async def bad_debt_cases(self, info: Info[Context, Any]) -> list[BadDebtCase]:
        return [BadDebtCase.build(c) for c in await closing_reads.cases(info.context.session)]
