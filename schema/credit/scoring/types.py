"""Scores, class changes and overrides as GraphQL types, and their connections."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain import roles
from schema.context import Context
from schema.credit.analysis.enums import RatingClassValue
from schema.credit.scoring.definition import (
    ClassDirection,
    ClassSource,
    MissingRule,
    OverrideStatus,
    ScorecardVersionType,
    versions_loader,
)
from schema.customers import loaders
from schema.customers.types import Customer
from schema.money import DecimalString
from schema.node import by_ids, register_node
from schema.relay import Node, PageInfo, to_global_id
from services.credit import scoring_reads
from services.credit.overrides import Override
from services.credit.scoring import StoredScore
from services.credit.scoring_reads import HistoryEntry

Dec = DecimalString


async def _customer(info: Info[Context, Any], customer_id: UUID) -> Customer | None:
    row = await info.context.loader("customers", loaders.customers).load(customer_id)
    return Customer.from_row(row) if row else None


@strawberry.type(description="An input as scored: its value, or why it is missing.")
class ScoreInputValue:
    input: str = strawberry.field(description="A ScoreInput name.")
    value: str | None = strawberry.field(description="The value as text (numbers exact).")
    missing_reason: str | None = strawberry.field(
        description="Why it is missing (NO_STATEMENT, NOT_CHECKED, NO_HISTORY ...)."
    )


@strawberry.type(description="How one factor scored.")
class FactorScoreResult:
    input: str = strawberry.field(description="A ScoreInput name.")
    value: str | None = strawberry.field(description="The input's value.")
    band: str | None = strawberry.field(description="The band's label; null when missing.")
    points: int = strawberry.field(description="0-100.")
    weight: Dec = strawberry.field(description="The factor's weight.")  # type: ignore[valid-type]
    missing: bool = strawberry.field(description="Scored by its missing rule.")
    missing_rule: MissingRule = strawberry.field(description="Neutral or penalty.")  # type: ignore[valid-type]
    shortfall: Dec = strawberry.field(  # type: ignore[valid-type]
        description="Score points lost against full marks: the reason codes are the largest."
    )


@strawberry.type(description="A stored score: version, inputs, points, reasons, class.")
class CreditScore(Node):
    as_of: date = strawberry.field(description="The day scored.")
    score: Dec = strawberry.field(description="0-100, two decimals.")  # type: ignore[valid-type]
    score_class: RatingClassValue = strawberry.field(description="Class by thresholds.")  # type: ignore[valid-type]
    rating_class: RatingClassValue = strawberry.field(description="Class after knock-outs.")  # type: ignore[valid-type]
    reason_codes: list[str] = strawberry.field(
        description="Largest shortfalls first: an input name, with _MISSING when missing."
    )
    knock_outs: list[str] = strawberry.field(description="Knock-outs that capped the class.")
    missing_inputs: list[str] = strawberry.field(description="Factors scored by missing rule.")
    inputs: list[ScoreInputValue] = strawberry.field(description="Every input value.")
    factors: list[FactorScoreResult] = strawberry.field(description="Each factor's points.")
    trigger: str = strawberry.field(description="MANUAL, RESCORE, RECLASSIFY or REVIEW.")
    created_at: datetime = strawberry.field(description="Stored.")
    created_by: str = strawberry.field(description="Who or which job scored.")
    raw: strawberry.Private[StoredScore]

    @strawberry.field(description="The scorecard version used.")
    async def version(self, info: Info[Context, Any]) -> ScorecardVersionType | None:
        found = await info.context.loader("scorecardVersions", versions_loader).load(
            self.raw.version_id
        )
        return ScorecardVersionType.build(found) if found else None

    @strawberry.field(description="The customer scored.")
    async def customer(self, info: Info[Context, Any]) -> Customer | None:
        return await _customer(info, self.raw.customer_id)

    @classmethod
    def build(cls, s: StoredScore) -> CreditScore:
        """From the service's result."""
        values = (s.inputs or {}).get("values", {})
        return cls(
            id=to_global_id("CreditScore", s.id),
            as_of=s.as_of,
            score=str(s.score),
            score_class=RatingClassValue[s.score_class.value],
            rating_class=RatingClassValue[s.rating_class.value],
            reason_codes=s.reason_codes,
            knock_outs=s.knock_outs,
            missing_inputs=s.missing_inputs,
            inputs=[
                ScoreInputValue(input=k, value=v.get("value"), missing_reason=v.get("missing"))
                for k, v in sorted(values.items())
            ],
            factors=[
                FactorScoreResult(
                    input=f["input"],
                    value=f["value"],
                    band=f["band"],
                    points=f["points"],
                    weight=f["weight"],
                    missing=f["missing"],
                    missing_rule=MissingRule[f["missingRule"]],
                    shortfall=f["shortfall"],
                )
                for f in s.factors
            ],
            trigger=s.trigger,
            created_at=s.created_at,
            created_by=s.created_by,
            raw=s,
        )


@strawberry.type(description="The payment terms a class carries, proposed on a class change.")
class ProposedClassTerms:
    template: str | None = strawberry.field(description="The tenant's CLASS_x template, if any.")
    kind: str = strawberry.field(description="NET, END_OF_MONTH or INSTALMENTS.")
    net_days: int = strawberry.field(description="Net days.")
    eom_plus_days: int = strawberry.field(description="Days after month end.")


def proposed(terms: dict[str, Any] | None) -> ProposedClassTerms | None:
    """From the stored or returned terms."""
    if not terms:
        return None
    return ProposedClassTerms(
        template=terms.get("template"),
        kind=terms["kind"],
        net_days=terms["netDays"],
        eom_plus_days=terms["eomPlusDays"],
    )


@strawberry.type(description="One change of a customer's class.")
class CreditClassChange:
    id: strawberry.ID | None = strawberry.field(description="Opaque id of the history entry.")
    from_class: RatingClassValue | None = strawberry.field(description="Before.")  # type: ignore[valid-type]
    to_class: RatingClassValue = strawberry.field(description="After.")  # type: ignore[valid-type]
    direction: ClassDirection = strawberry.field(description="Up, down or first.")  # type: ignore[valid-type]
    source: ClassSource | None = strawberry.field(description="What changed it.")  # type: ignore[valid-type]
    reason: str | None = strawberry.field(description="Why.")
    proposed_terms: ProposedClassTerms | None = strawberry.field(
        description="The new class's terms, proposed (not applied: agreed terms stay)."
    )
    created_at: datetime | None = strawberry.field(description="When.")
    created_by: str | None = strawberry.field(description="Who.")

    @classmethod
    def from_entry(cls, h: HistoryEntry) -> CreditClassChange:
        """From a history entry."""
        return cls(
            id=to_global_id("CreditClassChange", h.id),
            from_class=RatingClassValue[h.from_class] if h.from_class else None,
            to_class=RatingClassValue[h.to_class],
            direction=ClassDirection[h.direction],
            source=ClassSource[h.source],
            reason=h.reason,
            proposed_terms=proposed(h.proposed_terms),
            created_at=h.created_at,
            created_by=h.created_by,
        )

    @classmethod
    def from_change(cls, c: Any, source: str | None = None) -> CreditClassChange | None:
        """From a ClassChange just made (None when the class did not move)."""
        if c is None or not c.changed:
            return None
        return cls(
            id=to_global_id("CreditClassChange", c.history_id) if c.history_id else None,
            from_class=RatingClassValue[c.before] if c.before else None,
            to_class=RatingClassValue[c.after],
            direction=ClassDirection[c.direction.value],
            source=ClassSource[source] if source else None,
            reason=c.reason,
            proposed_terms=proposed(c.proposed_terms.as_json() if c.proposed_terms else None),
            created_at=None,
            created_by=None,
        )


@strawberry.type(description="A credit manager's override of a customer's class.")
class ClassOverride(Node):
    from_class: RatingClassValue | None = strawberry.field(description="Class when requested.")  # type: ignore[valid-type]
    to_class: RatingClassValue = strawberry.field(description="Class asked for.")  # type: ignore[valid-type]
    direction: ClassDirection = strawberry.field(description="Up, down or first.")  # type: ignore[valid-type]
    reason: str = strawberry.field(description="Why (mandatory).")
    status: OverrideStatus = strawberry.field(description="Pending, applied, rejected.")  # type: ignore[valid-type]
    valid_until: date | None = strawberry.field(
        description="Scores do not move the class until this day (default: next review)."
    )
    requested_by: str = strawberry.field(description="The requesting credit manager.")
    requested_at: datetime = strawberry.field(description="Requested.")
    decided_by: str | None = strawberry.field(description="The second credit manager.")
    decided_at: datetime | None = strawberry.field(description="Decided.")
    decision_note: str | None = strawberry.field(description="The decision's note.")
    raw: strawberry.Private[Override]

    @strawberry.field(description="The customer.")
    async def customer(self, info: Info[Context, Any]) -> Customer | None:
        return await _customer(info, self.raw.customer_id)

    @classmethod
    def build(cls, o: Override) -> ClassOverride:
        """From the service's result."""
        return cls(
            id=to_global_id("ClassOverride", o.id),
            from_class=RatingClassValue[o.from_class] if o.from_class else None,
            to_class=RatingClassValue[o.to_class],
            direction=ClassDirection[o.direction],
            reason=o.reason,
            status=OverrideStatus[o.status],
            valid_until=o.valid_until,
            requested_by=o.requested_by,
            requested_at=o.requested_at,
            decided_by=o.decided_by,
            decided_at=o.decided_at,
            decision_note=o.decision_note,
            raw=o,
        )


def _edge_types(name: str, node: Any, what: str) -> tuple[Any, Any]:
    edge = strawberry.type(
        type(
            f"{name}Edge",
            (),
            {
                "__annotations__": {"cursor": str, "node": node},
                "cursor": strawberry.field(description="Pass as `after` to continue after it."),
                "node": strawberry.field(description=f"The {what}."),
            },
        ),
        description=f"One page entry of {what}s.",
    )
    conn = strawberry.type(
        type(
            f"{name}Connection",
            (),
            {
                "__annotations__": {"edges": list[edge], "page_info": PageInfo},  # type: ignore[valid-type]
                "edges": strawberry.field(description="Items with cursors."),
                "page_info": strawberry.field(description="Paging state."),
            },
        ),
        description=f"A page of {what}s.",
    )
    return edge, conn


ScorecardVersionEdge, ScorecardVersionConnection = _edge_types(
    "ScorecardVersion", ScorecardVersionType, "scorecard version"
)
CreditScoreEdge, CreditScoreConnection = _edge_types("CreditScore", CreditScore, "score")
ClassOverrideEdge, ClassOverrideConnection = _edge_types(
    "ClassOverride", ClassOverride, "class override"
)
ClassChangeEdge, ClassChangeConnection = _edge_types(
    "CreditClassChange", CreditClassChange, "class change"
)

#: Scores and overrides are read by the credit team, legal and finance (the scoring queries').
READERS = roles.READ_CREDIT_ANALYSIS
register_node(
    "CreditScore", "credit_scores", by_ids(scoring_reads.scores_by_ids), CreditScore.build,
    readers=READERS,
)  # fmt: skip
register_node(
    "ClassOverride", "class_overrides", by_ids(scoring_reads.overrides_by_ids),
    ClassOverride.build, readers=READERS,
)  # fmt: skip
