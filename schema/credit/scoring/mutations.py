"""Scorecard versions, scoring on demand, and class overrides with four eyes."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain import roles
from schema.context import Context
from schema.credit.analysis.enums import RatingClassValue
from schema.credit.errors import CREDIT
from schema.credit.scoring.definition import (
    KnockOutOperator,
    MissingRule,
    ScorecardVersionType,
    ScoreInput,
)
from schema.credit.scoring.types import (
    ClassOverride,
    CreditClassChange,
    CreditScore,
)
from schema.money import DecimalString
from schema.mutation import INPUT, decode, respond
from schema.permissions import allow, roles_note
from services.credit import overrides, scorecards, scoring
from services.credit.overrides import OverrideOutcome
from services.credit.scorecards import ScorecardVersion
from services.credit.scoring import ScoreOutcome
from services.uow import UnitOfWork

Dec = DecimalString


@strawberry.input(description="A band: a range of a number, or categories.")
class ScoreBandInput:
    label: str = strawberry.field(description="1-60 characters.")
    points: int = strawberry.field(description="0-100.")
    lower: Dec | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Inclusive lower bound (numbers); null: none."
    )
    upper: Dec | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Exclusive upper bound (numbers); null: none."
    )
    categories: list[str] = strawberry.field(
        default_factory=list, description="Categories scored by this band."
    )
    otherwise: bool = strawberry.field(
        default=False, description="Scores every category no band lists."
    )


@strawberry.input(description="A weighted factor.")
class ScoreFactorInput:
    input: ScoreInput = strawberry.field(description="What it reads.")  # type: ignore[valid-type]
    weight: Dec = strawberry.field(description="Above 0, at most 100.")  # type: ignore[valid-type]
    missing: MissingRule = strawberry.field(description="How a missing input scores.")  # type: ignore[valid-type]
    bands: list[ScoreBandInput] = strawberry.field(
        description="Numbers: ranges covering everything without overlap; categories: each "
        "once, all covered (or an otherwise band)."
    )


@strawberry.input(description="A knock-out: when it matches, the class is capped.")
class KnockOutInput:
    code: str = strawberry.field(description="A-Z, 0-9 and _, reported with the score.")
    input: ScoreInput = strawberry.field(description="What it reads.")  # type: ignore[valid-type]
    operator: KnockOutOperator = strawberry.field(description="Comparison.")  # type: ignore[valid-type]
    values: list[str] = strawberry.field(description="One number, or categories for IN.")
    cap: RatingClassValue = strawberry.field(description="The best class allowed.")  # type: ignore[valid-type]


@strawberry.input(description="Minimum scores of A, B and C: 100 >= A > B > C > 0.")
class ClassThresholdsInput:
    a: Dec = strawberry.field(description="A from this score.")  # type: ignore[valid-type]
    b: Dec = strawberry.field(description="B from this score.")  # type: ignore[valid-type]
    c: Dec = strawberry.field(description="C from this score.")  # type: ignore[valid-type]


@strawberry.input(description="A complete scorecard definition.")
class ScorecardDefinitionInput:
    currency: str = strawberry.field(description="Currency money inputs are read in.")
    thresholds: ClassThresholdsInput = strawberry.field(description="Class thresholds.")
    factors: list[ScoreFactorInput] = strawberry.field(description="Weighted factors.")
    knock_outs: list[KnockOutInput] = strawberry.field(
        default_factory=list, description="Class caps."
    )
    reason_count: int = strawberry.field(default=4, description="Reason codes, 1-10.")


def definition_json(d: ScorecardDefinitionInput) -> dict[str, Any]:
    """The definition in its stored form (the domain parses and checks it)."""
    return {
        "currency": d.currency,
        "reasonCount": d.reason_count,
        "thresholds": {"a": d.thresholds.a, "b": d.thresholds.b, "c": d.thresholds.c},
        "factors": [
            {
                "input": f.input.value,
                "weight": f.weight,
                "missing": f.missing.value,
                "bands": [
                    {
                        "label": b.label,
                        "points": b.points,
                        "lower": b.lower,
                        "upper": b.upper,
                        "categories": b.categories,
                        "otherwise": b.otherwise,
                    }
                    for b in f.bands
                ],
            }
            for f in d.factors
        ],
        "knockOuts": [
            {
                "code": k.code,
                "input": k.input.value,
                "operator": k.operator.value,
                "values": k.values,
                "cap": k.cap.value,
            }
            for k in d.knock_outs
        ],
    }


@strawberry.input(description="A new draft: a definition, or a copy of a version.")
class CreateScorecardVersionInput:
    definition: ScorecardDefinitionInput | None = strawberry.field(
        default=None, description="The definition; null: copy `basedOnId`."
    )
    based_on_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Version to copy when no definition is given; null: the active one.",
    )
    note: str | None = strawberry.field(default=None, description="What changes, and why.")


@strawberry.input(description="Replace a draft's definition.")
class UpdateScorecardVersionInput:
    id: strawberry.ID = strawberry.field(description="Global id of the draft.")
    definition: ScorecardDefinitionInput = strawberry.field(description="The new definition.")
    note: str | None = strawberry.field(default=None, description="What changes, and why.")


@strawberry.input(description="Activate a draft: it scores from now on; the active one retires.")
class ActivateScorecardVersionInput:
    id: strawberry.ID = strawberry.field(description="Global id of the draft.")


@strawberry.type(description="Result of a scorecard version mutation.")
class ScorecardVersionPayload(CREDIT.payload):
    version: ScorecardVersionType | None = strawberry.field(
        default=None, description="The version."
    )


@strawberry.input(description="Score a customer now with the active scorecard.")
class ScoreCustomerInput:
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    as_of: date | None = strawberry.field(default=None, description="Default today.")
    apply_class: bool = strawberry.field(
        default=True, description="Move the class to the score's (unless an override holds)."
    )


@strawberry.type(description="Result of scoring a customer.")
class ScoreCustomerPayload(CREDIT.payload):
    score: CreditScore | None = strawberry.field(default=None, description="The stored score.")
    class_change: CreditClassChange | None = strawberry.field(
        default=None, description="The class change it made, if any."
    )
    held_by_override: bool = strawberry.field(
        default=False, description="An override holds: the class did not follow the score."
    )


@strawberry.input(description="Override a customer's class; the reason is mandatory.")
class OverrideCreditClassInput:
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    rating_class: RatingClassValue = strawberry.field(description="The class to set.")  # type: ignore[valid-type]
    reason: str = strawberry.field(description="Why (required, at most 2,000 characters).")
    valid_until: date | None = strawberry.field(
        default=None, description="Scores do not move the class before; default next review."
    )


@strawberry.input(description="Approve or reject a pending override (not your own).")
class DecideClassOverrideInput:
    id: strawberry.ID = strawberry.field(description="Global id of the override.")
    approve: bool = strawberry.field(description="True approves and applies it.")
    note: str | None = strawberry.field(default=None, description="Why.")


@strawberry.type(description="Result of an override mutation.")
class ClassOverridePayload(CREDIT.payload):
    override: ClassOverride | None = strawberry.field(default=None, description="The override.")
    class_change: CreditClassChange | None = strawberry.field(
        default=None, description="The class change, when applied."
    )


async def _show_version(version: ScorecardVersion) -> dict[str, Any]:
    return {"version": ScorecardVersionType.build(version)}


async def create_scorecard_version(
    info: Info[Context, Any], input: Annotated[CreateScorecardVersionInput, INPUT]
) -> ScorecardVersionPayload:
    async def work(uow: UnitOfWork) -> ScorecardVersion:
        based = (
            decode(input.based_on_id, "ScorecardVersion", "basedOnId")
            if input.based_on_id
            else None
        )
        definition = definition_json(input.definition) if input.definition else None
        return await scorecards.create_draft(uow, definition, based, input.note)

    return await respond(info, ScorecardVersionPayload, work, _show_version)


async def update_scorecard_version(
    info: Info[Context, Any], input: Annotated[UpdateScorecardVersionInput, INPUT]
) -> ScorecardVersionPayload:
    async def work(uow: UnitOfWork) -> ScorecardVersion:
        version_id = decode(input.id, "ScorecardVersion")
        return await scorecards.update_draft(
            uow, version_id, definition_json(input.definition), input.note
        )

    return await respond(info, ScorecardVersionPayload, work, _show_version)


async def activate_scorecard_version(
    info: Info[Context, Any], input: Annotated[ActivateScorecardVersionInput, INPUT]
) -> ScorecardVersionPayload:
    async def work(uow: UnitOfWork) -> ScorecardVersion:
        return await scorecards.activate(uow, decode(input.id, "ScorecardVersion"))

    return await respond(info, ScorecardVersionPayload, work, _show_version)


async def score_customer(
    info: Info[Context, Any], input: Annotated[ScoreCustomerInput, INPUT]
) -> ScoreCustomerPayload:
    async def work(uow: UnitOfWork) -> ScoreOutcome:
        customer = decode(input.customer_id, "Customer", "customerId")
        return await scoring.score_customer(
            uow, customer, input.as_of or info.context.today, apply=input.apply_class
        )

    async def show(outcome: ScoreOutcome) -> dict[str, Any]:
        found = await info.context.session.run(
            lambda conn: scoring.score_by_id(conn, outcome.score_id)
        )
        return {
            "score": CreditScore.build(found) if found else None,
            "class_change": CreditClassChange.from_change(outcome.class_change, "SCORE"),
            "held_by_override": outcome.held_by_override,
        }

    return await respond(info, ScoreCustomerPayload, work, show)


async def _show_override(outcome: OverrideOutcome) -> dict[str, Any]:
    return {
        "override": ClassOverride.build(outcome.override),
        "class_change": CreditClassChange.from_change(outcome.class_change, "OVERRIDE"),
    }


async def override_credit_class(
    info: Info[Context, Any], input: Annotated[OverrideCreditClassInput, INPUT]
) -> ClassOverridePayload:
    async def work(uow: UnitOfWork) -> OverrideOutcome:
        customer: UUID = decode(input.customer_id, "Customer", "customerId")
        return await overrides.request_override(
            uow,
            customer,
            input.rating_class.value,
            input.reason,
            input.valid_until,
            info.context.today,
        )

    return await respond(info, ClassOverridePayload, work, _show_override)


async def decide_class_override(
    info: Info[Context, Any], input: Annotated[DecideClassOverrideInput, INPUT]
) -> ClassOverridePayload:
    async def work(uow: UnitOfWork) -> OverrideOutcome:
        return await overrides.decide_override(
            uow, decode(input.id, "ClassOverride"), input.approve, input.note, info.context.today
        )

    return await respond(info, ClassOverridePayload, work, _show_override)


POLICY, SCORE, OVERRIDE = roles.CONFIGURE_SCORECARD, roles.RUN_SCORING, roles.OVERRIDE_CLASS
FIELDS = {
    "create_scorecard_version": strawberry.mutation(
        resolver=create_scorecard_version,
        extensions=allow(POLICY),
        description="Create a draft scorecard version (refused when bands overlap or leave "
        "gaps); audited." + roles_note(POLICY),
    ),
    "update_scorecard_version": strawberry.mutation(
        resolver=update_scorecard_version,
        extensions=allow(POLICY),
        description="Replace a draft's definition; the active version cannot be edited."
        + roles_note(POLICY),
    ),
    "activate_scorecard_version": strawberry.mutation(
        resolver=activate_scorecard_version,
        extensions=allow(POLICY),
        description="Activate a draft (the active one retires); activating twice is refused; "
        "audited." + roles_note(POLICY),
    ),
    "score_customer": strawberry.mutation(
        resolver=score_customer,
        extensions=allow(SCORE),
        description="Score a customer now with the active scorecard and, unless an override "
        "holds, move its class (history, audit, proposed terms, event)." + roles_note(SCORE),
    ),
    "override_credit_class": strawberry.mutation(
        resolver=override_credit_class,
        extensions=allow(OVERRIDE),
        description="Override a customer's class with a reason: a downgrade applies at once, "
        "an upgrade waits for a second credit manager." + roles_note(OVERRIDE),
    ),
    "decide_class_override": strawberry.mutation(
        resolver=decide_class_override,
        extensions=allow(OVERRIDE),
        description="Approve or reject a pending override; never the requester's own."
        + roles_note(OVERRIDE),
    ),
}
