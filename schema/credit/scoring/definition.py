"""Scorecard versions and their definitions as GraphQL types, and the enums of scoring."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry
from strawberry.dataloader import DataLoader

from domain import roles
from domain.credit.scorecard import INPUTS, Scorecard
from schema.context import Context
from schema.credit.analysis.enums import RatingClassValue, described
from schema.credit.analysis.types import dec
from schema.money import DecimalString
from schema.node import register_node
from schema.relay import Node, to_global_id
from services.credit import scoring_reads
from services.credit.scorecards import ScorecardVersion

Dec = DecimalString

ScoreInput = described(
    "ScoreInput",
    "An input a scorecard factor or knock-out reads.",
    {k: spec.description for k, spec in INPUTS.items()},
)
MissingRule = described(
    "ScoreMissingRule",
    "How a factor scores a missing input (never silently as zero).",
    {"NEUTRAL": "50 points, the middle of the scale.", "PENALTY": "0 points."},
)
KnockOutOperator = described(
    "KnockOutOperator",
    "How a knock-out compares its input.",
    {
        "GT": "Greater than the one value.",
        "GTE": "At least the one value.",
        "LT": "Less than the one value.",
        "LTE": "At most the one value.",
        "IN": "One of the categories.",
    },
)
ScorecardStatus = described(
    "ScorecardStatus",
    "Where a scorecard version stands.",
    {
        "DRAFT": "Being edited; can be simulated and activated.",
        "ACTIVE": "Scores the tenant's customers; cannot be edited.",
        "RETIRED": "Was active before the current version.",
    },
)
ClassDirection = described(
    "CreditClassDirection",
    "What a class change is.",
    {
        "INITIAL": "The first class the customer gets.",
        "UPGRADE": "A better class.",
        "DOWNGRADE": "A worse class (its event says so, for the warning engine).",
    },
)
OverrideStatus = described(
    "ClassOverrideStatus",
    "Where an override stands.",
    {
        "PENDING": "An upgrade awaiting a second credit manager.",
        "APPLIED": "In effect (until its end date).",
        "REJECTED": "Refused by the second credit manager.",
    },
)
ClassSource = described(
    "CreditClassSource",
    "What changed a class.",
    {
        "SCORE": "A score with the active scorecard.",
        "OVERRIDE": "A credit manager's override.",
        "MANUAL": "A manual change outside scoring.",
        "REVIEW": "A credit review's outcome.",
    },
)


@strawberry.type(description="A band of a factor: a range of a number, or categories.")
class ScoreBand:
    label: str = strawberry.field(description="Shown beside the points.")
    points: int = strawberry.field(description="0-100.")
    lower: Dec | None = strawberry.field(description="Inclusive lower bound; null: none.")  # type: ignore[valid-type]
    upper: Dec | None = strawberry.field(description="Exclusive upper bound; null: none.")  # type: ignore[valid-type]
    categories: list[str] = strawberry.field(description="Categories this band scores.")
    otherwise: bool = strawberry.field(description="Scores every category not listed.")


@strawberry.type(description="A weighted factor of a scorecard.")
class ScoreFactorDefinition:
    input: ScoreInput = strawberry.field(description="What it reads.")  # type: ignore[valid-type]
    weight: Dec = strawberry.field(description="Its weight in the weighted mean.")  # type: ignore[valid-type]
    missing: MissingRule = strawberry.field(description="How a missing input scores.")  # type: ignore[valid-type]
    bands: list[ScoreBand] = strawberry.field(description="Contiguous, non-overlapping bands.")


@strawberry.type(description="A rule that caps the class whatever the score.")
class KnockOutDefinition:
    code: str = strawberry.field(description="Reported with the score when it fires.")
    input: ScoreInput = strawberry.field(description="What it reads.")  # type: ignore[valid-type]
    operator: KnockOutOperator = strawberry.field(description="Comparison.")  # type: ignore[valid-type]
    values: list[str] = strawberry.field(description="One number, or categories for IN.")
    cap: RatingClassValue = strawberry.field(description="The best class allowed.")  # type: ignore[valid-type]


@strawberry.type(description="Minimum scores of classes A, B and C (below C: D).")
class ClassThresholds:
    a: Dec = strawberry.field(description="A from this score.")  # type: ignore[valid-type]
    b: Dec = strawberry.field(description="B from this score.")  # type: ignore[valid-type]
    c: Dec = strawberry.field(description="C from this score.")  # type: ignore[valid-type]


@strawberry.type(description="A scorecard's definition.")
class ScorecardDefinition:
    currency: str = strawberry.field(description="Currency money inputs are read in.")
    reason_count: int = strawberry.field(description="Reason codes given with a score.")
    thresholds: ClassThresholds = strawberry.field(description="Class thresholds.")
    factors: list[ScoreFactorDefinition] = strawberry.field(description="Weighted factors.")
    knock_outs: list[KnockOutDefinition] = strawberry.field(description="Class caps.")

    @classmethod
    def build(cls, card: Scorecard) -> ScorecardDefinition:
        """From the domain's scorecard."""
        return cls(
            currency=card.currency,
            reason_count=card.reason_count,
            thresholds=ClassThresholds(
                a=str(card.thresholds.a), b=str(card.thresholds.b), c=str(card.thresholds.c)
            ),
            factors=[
                ScoreFactorDefinition(
                    input=ScoreInput[f.input],
                    weight=str(f.weight),
                    missing=MissingRule[f.missing.value],
                    bands=[
                        ScoreBand(
                            label=b.label,
                            points=b.points,
                            lower=dec(b.lower),
                            upper=dec(b.upper),
                            categories=list(b.categories),
                            otherwise=b.otherwise,
                        )
                        for b in f.bands
                    ],
                )
                for f in card.factors
            ],
            knock_outs=[
                KnockOutDefinition(
                    code=k.code,
                    input=ScoreInput[k.input],
                    operator=KnockOutOperator[k.operator.value],
                    values=list(k.values),
                    cap=RatingClassValue[k.cap.value],
                )
                for k in card.knock_outs
            ],
        )


@strawberry.type(name="ScorecardVersion", description="A version of the tenant's scorecard.")
class ScorecardVersionType(Node):
    number: int = strawberry.field(description="1, 2, 3 ... per tenant.")
    status: ScorecardStatus = strawberry.field(description="Draft, active or retired.")  # type: ignore[valid-type]
    note: str | None = strawberry.field(description="What changed, and why.")
    definition: ScorecardDefinition = strawberry.field(description="Factors, bands, classes.")
    created_at: datetime = strawberry.field(description="Created.")
    created_by: str = strawberry.field(description="Created by.")
    activated_at: datetime | None = strawberry.field(description="Activated.")
    activated_by: str | None = strawberry.field(description="Activated by.")
    retired_at: datetime | None = strawberry.field(description="Retired.")

    @classmethod
    def build(cls, v: ScorecardVersion) -> ScorecardVersionType:
        """From the service's result."""
        return cls(
            id=to_global_id("ScorecardVersion", v.id),
            number=v.number,
            status=ScorecardStatus[v.status],
            note=v.note,
            definition=ScorecardDefinition.build(v.card),
            created_at=v.created_at,
            created_by=v.created_by,
            activated_at=v.activated_at,
            activated_by=v.activated_by,
            retired_at=v.retired_at,
        )


def versions_loader(ctx: Context) -> DataLoader[UUID, ScorecardVersion | None]:
    """Scorecard versions by id."""

    async def load(ids: list[UUID]) -> list[ScorecardVersion | None]:
        return await scoring_reads.versions_by_ids(ctx.session, ids)

    return DataLoader(load_fn=load)


register_node(
    "ScorecardVersion", "scorecardVersions", versions_loader, ScorecardVersionType.build,
    readers=roles.READ_CREDIT_ANALYSIS,
)  # fmt: skip
