"""acknowledgeWarning, and the rules engine's mutations (rule_mutations)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles, texts
from schema.context import Context
from schema.input_rules import text
from schema.mutation import INPUT, decode, respond
from schema.permissions import allow, roles_note
from schema.warnings import rule_mutations
from schema.warnings.errors import WARNINGS
from schema.warnings.types import Warning
from services.uow import UnitOfWork
from services.warnings import signals as svc
from services.warnings.records import WarningRecord


@strawberry.input(description="Acknowledge a warning.")
class AcknowledgeWarningInput:
    id: strawberry.ID = strawberry.field(description="Global id of the warning.")
    note: str | None = text("What will be done.", texts.NOTE, default=None)


@strawberry.type(description="Result of acknowledgeWarning.")
class AcknowledgeWarningPayload(WARNINGS.payload):
    warning: Warning | None = strawberry.field(
        default=None, description="The warning after acknowledgement."
    )


async def acknowledge_warning(
    info: Info[Context, Any], input: Annotated[AcknowledgeWarningInput, INPUT]
) -> AcknowledgeWarningPayload:
    async def work(uow: UnitOfWork) -> WarningRecord:
        return await svc.acknowledge(uow, decode(input.id, "Warning"), input.note)

    async def show(warning: WarningRecord) -> dict[str, Any]:
        return {"warning": Warning.from_row(warning)}

    return await respond(info, AcknowledgeWarningPayload, work, show)


FIELDS = {
    "acknowledge_warning": strawberry.mutation(
        resolver=acknowledge_warning,
        extensions=allow(roles.ACK_WARNINGS),
        description="Say you follow a warning up." + roles_note(roles.ACK_WARNINGS),
    ),
    **rule_mutations.FIELDS,
}
