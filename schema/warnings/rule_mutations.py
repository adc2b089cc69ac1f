"""updateWarningRule, updateWarningPolicy, changeWarningStatus, giveWarningFeedback and
decideWarningResponse."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from domain import roles, texts
from schema.context import Context
from schema.input_rules import text
from schema.mutation import INPUT, decode, respond
from schema.permissions import allow, roles_note
from schema.warnings.errors import WARNINGS
from schema.warnings.response_types import WarningResponse
from schema.warnings.rule_types import WarningRuleSettings
from schema.warnings.types import Warning, WarningFeedback, WarningStatus
from services.uow import UnitOfWork
from services.warnings import lifecycle
from services.warnings import settings as svc
from services.warnings.records import ResponseRecord, WarningRecord
from services.warnings.settings import WarningSettings

#: Rule thresholds and responses are credit policy.
CONFIGURE = frozenset({roles.CREDIT_MANAGER, roles.ADMIN})


@strawberry.input(description="Change one rule's thresholds, or switch it on or off.")
class UpdateWarningRuleInput:
    rule: str = text("The rule's name (see `warningRules`).", texts.CODE)
    thresholds: JSON | None = strawberry.field(
        default=None,
        description='Fields to change, as a JSON object of whole numbers, e.g. {"lightDays": 10}.',
    )
    enabled: bool | None = strawberry.field(default=None, description="Switch it on or off.")


@strawberry.input(description="Change the industries in downturn, the responses or the SLAs.")
class UpdateWarningPolicyInput:
    downturn_industries: list[str] | None = text(
        "Industries flagged as in downturn (replaces the list), each", texts.SHORT, default=None
    )
    responses: JSON | None = strawberry.field(
        default=None,
        description='Actions per level, e.g. {"SEVERE": ["CREDIT_HOLD", "NOTIFY_LEGAL"]}.',
    )
    sla_hours: JSON | None = strawberry.field(
        default=None, description='Hours per level before escalation, e.g. {"SEVERE": 8}.'
    )


@strawberry.type(description="Result of updateWarningRule or updateWarningPolicy.")
class WarningRulesPayload(WARNINGS.payload):
    settings: WarningRuleSettings | None = strawberry.field(
        default=None, description="The rules as they now run."
    )


@strawberry.input(description="Move a warning along its lifecycle.")
class ChangeWarningStatusInput:
    id: strawberry.ID = strawberry.field(description="Global id of the warning.")
    status: WarningStatus = strawberry.field(description="Where it goes.")
    feedback: WarningFeedback | None = strawberry.field(
        default=None,
        description="True or false alarm (a dismissal defaults to false, a resolution to true).",
    )
    note: str | None = text("Why.", texts.NOTE, default=None)


@strawberry.input(description="Say whether a warning was a true or a false alarm.")
class GiveWarningFeedbackInput:
    id: strawberry.ID = strawberry.field(description="Global id of the warning.")
    feedback: WarningFeedback = strawberry.field(description="True or false alarm.")
    note: str | None = text("Why.", texts.NOTE, default=None)


@strawberry.type(description="Result of changeWarningStatus or giveWarningFeedback.")
class WarningStatusPayload(WARNINGS.payload):
    warning: Warning | None = strawberry.field(default=None, description="The warning now.")


@strawberry.input(description="Decide a warning's response.")
class DecideWarningResponseInput:
    id: strawberry.ID = strawberry.field(description="Id of the response.")
    approve: bool = strawberry.field(
        default=True, description="Approve (or reject) a proposal; other responses are done."
    )
    note: str | None = text("Why.", texts.NOTE, default=None)


@strawberry.type(description="Result of decideWarningResponse.")
class DecideWarningResponsePayload(WARNINGS.payload):
    response: WarningResponse | None = strawberry.field(
        default=None, description="The response decided."
    )


async def _settings(info: Info[Context, Any], work: Any) -> WarningRulesPayload:
    async def show(found: WarningSettings) -> dict[str, Any]:
        return {"settings": WarningRuleSettings.from_settings(found)}

    return await respond(info, WarningRulesPayload, work, show)


async def update_warning_rule(
    info: Info[Context, Any], input: Annotated[UpdateWarningRuleInput, INPUT]
) -> WarningRulesPayload:
    async def work(uow: UnitOfWork) -> WarningSettings:
        return await svc.update_rule(uow, input.rule, input.thresholds or {}, input.enabled)

    return await _settings(info, work)


async def update_warning_policy(
    info: Info[Context, Any], input: Annotated[UpdateWarningPolicyInput, INPUT]
) -> WarningRulesPayload:
    async def work(uow: UnitOfWork) -> WarningSettings:
        return await svc.update_policy(
            uow, input.downturn_industries, input.responses, input.sla_hours
        )

    return await _settings(info, work)


async def _warning(info: Info[Context, Any], work: Any) -> WarningStatusPayload:
    async def show(warning: WarningRecord) -> dict[str, Any]:
        return {"warning": Warning.from_row(warning)}

    return await respond(info, WarningStatusPayload, work, show)


async def change_warning_status(
    info: Info[Context, Any], input: Annotated[ChangeWarningStatusInput, INPUT]
) -> WarningStatusPayload:
    async def work(uow: UnitOfWork) -> WarningRecord:
        feedback = input.feedback.value if input.feedback else None
        return await lifecycle.change_status(
            uow, decode(input.id, "Warning"), input.status.value, feedback, input.note
        )

    return await _warning(info, work)


async def give_warning_feedback(
    info: Info[Context, Any], input: Annotated[GiveWarningFeedbackInput, INPUT]
) -> WarningStatusPayload:
    async def work(uow: UnitOfWork) -> WarningRecord:
        return await lifecycle.give_feedback(
            uow, decode(input.id, "Warning"), input.feedback.value, input.note
        )

    return await _warning(info, work)


async def decide_warning_response(
    info: Info[Context, Any], input: Annotated[DecideWarningResponseInput, INPUT]
) -> DecideWarningResponsePayload:
    async def work(uow: UnitOfWork) -> ResponseRecord:
        return await lifecycle.decide_response(
            uow, decode(input.id, "WarningResponse"), input.approve, input.note
        )

    async def show(found: ResponseRecord) -> dict[str, Any]:
        return {"response": WarningResponse.from_record(found)}

    return await respond(info, DecideWarningResponsePayload, work, show)


FIELDS = {
    "update_warning_rule": strawberry.mutation(
        resolver=update_warning_rule,
        extensions=allow(CONFIGURE),
        description="Change a warning rule's thresholds or switch it on or off; an unknown "
        "rule or field, a wrong type or an out-of-range value is refused whole."
        + roles_note(CONFIGURE),
    ),
    "update_warning_policy": strawberry.mutation(
        resolver=update_warning_policy,
        extensions=allow(CONFIGURE),
        description="Change the industries in downturn, the responses per level or the SLAs."
        + roles_note(CONFIGURE),
    ),
    "change_warning_status": strawberry.mutation(
        resolver=change_warning_status,
        extensions=allow(roles.ACK_WARNINGS),
        description="Move a warning: acknowledged, investigating, resolved or dismissed, with "
        "feedback and a note." + roles_note(roles.ACK_WARNINGS),
    ),
    "give_warning_feedback": strawberry.mutation(
        resolver=give_warning_feedback,
        extensions=allow(roles.ACK_WARNINGS),
        description="Mark a warning a true or false alarm (rule quality counts these)."
        + roles_note(roles.ACK_WARNINGS),
    ),
    "decide_warning_response": strawberry.mutation(
        resolver=decide_warning_response,
        extensions=allow(roles.ACK_WARNINGS),
        description="Approve or reject a proposed change of terms (credit managers), or close "
        "a task, review or legal notice." + roles_note(roles.ACK_WARNINGS),
    ),
}
