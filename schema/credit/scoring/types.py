"""Scorecard versions, scores, classes, overrides, simulations and back-tests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from domain.credit.scorecard import INPUTS, Scorecard
from schema.context import Context
from schema.credit.analysis.enums import RatingClassValue, described
from schema.credit.analysis.types import dec
from schema.customers import loaders
from schema.customers.types import Customer
from schema.money import DecimalString
from schema.relay import PageInfo, to_global_id
from services.credit import scoring_reads
from services.credit.overrides import Override
from services.credit.scorecards import ScorecardVersion
from services.credit.scoring import StoredScore
from services.credit.scoring_reads import HistoryEntry
from services.credit.simulation import Backtest, Mover, Simulation

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
class ScorecardVersionType:
    id: strawberry.ID = strawberry.field(description="Opaque id.")
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
class CreditScore:
    id: strawberry.ID = strawberry.field(description="Opaque id.")
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
            reason=None,
            proposed_terms=proposed(c.proposed_terms.as_json() if c.proposed_terms else None),
            created_at=None,
            created_by=None,
        )


@strawberry.type(description="A credit manager's override of a customer's class.")
class ClassOverride:
    id: strawberry.ID = strawberry.field(description="Opaque id.")
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


@strawberry.type(description="A customer whose class the simulated version would change.")
class SimulationMover:
    code: str = strawberry.field(description="Customer code.")
    legal_name: str = strawberry.field(description="Legal name.")
    score_before: Dec = strawberry.field(description="Score with the active version.")  # type: ignore[valid-type]
    class_before: RatingClassValue = strawberry.field(description="Class with the active one.")  # type: ignore[valid-type]
    score_after: Dec = strawberry.field(description="Score with the simulated version.")  # type: ignore[valid-type]
    class_after: RatingClassValue = strawberry.field(description="Class with the simulated.")  # type: ignore[valid-type]
    reason_codes: list[str] = strawberry.field(description="Reasons under the simulated one.")
    knock_outs: list[str] = strawberry.field(description="Knock-outs under the simulated one.")
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")

    @classmethod
    def build(cls, m: Mover) -> SimulationMover:
        """From the service's result."""
        return cls(
            code=m.code,
            legal_name=m.legal_name,
            score_before=str(m.score_before),
            class_before=RatingClassValue[m.class_before],
            score_after=str(m.score_after),
            class_after=RatingClassValue[m.class_after],
            reason_codes=list(m.reason_codes),
            knock_outs=list(m.knock_outs),
            customer_id=to_global_id("Customer", m.customer_id),
        )


@strawberry.type(description="One cell of the migration matrix.")
class MigrationCell:
    to_class: RatingClassValue = strawberry.field(description="Class with the simulated version.")  # type: ignore[valid-type]
    customers: int = strawberry.field(description="How many customers.")


@strawberry.type(description="One row of the migration matrix: a class under the active version.")
class MigrationRow:
    from_class: RatingClassValue = strawberry.field(description="Class with the active version.")  # type: ignore[valid-type]
    cells: list[MigrationCell] = strawberry.field(description="Where they would go, A to D.")


@strawberry.type(description="What a scorecard version would do to today's portfolio.")
class ScorecardSimulation:
    version: ScorecardVersionType = strawberry.field(description="The version simulated.")
    baseline: ScorecardVersionType | None = strawberry.field(
        description="The active version compared against (null: the practice's default)."
    )
    as_of: date = strawberry.field(description="The day simulated.")
    customers: int = strawberry.field(description="Active customers scored.")
    moved: int = strawberry.field(description="Customers whose class would change.")
    matrix: list[MigrationRow] = strawberry.field(description="Class migration matrix.")
    movers: list[SimulationMover] = strawberry.field(
        description="The customers that would move (by code), the requested page of them."
    )
    movers_has_next: bool = strawberry.field(description="More movers follow this page.")

    @classmethod
    def build(cls, s: Simulation, first: int, offset: int) -> ScorecardSimulation:
        """From the service's result, with a page of the movers."""
        return cls(
            version=ScorecardVersionType.build(s.version),
            baseline=ScorecardVersionType.build(s.baseline) if s.baseline else None,
            as_of=s.as_of,
            customers=s.customers,
            moved=len(s.movers),
            matrix=[
                MigrationRow(
                    from_class=RatingClassValue[a],
                    cells=[
                        MigrationCell(to_class=RatingClassValue[b], customers=n)
                        for b, n in row.items()
                    ],
                )
                for a, row in s.matrix.items()
            ],
            movers=[SimulationMover.build(m) for m in s.movers[offset : offset + first]],
            movers_has_next=len(s.movers) > offset + first,
        )


@strawberry.type(description="One class's outcome in a back-test.")
class ClassBadRate:
    rating_class: RatingClassValue = strawberry.field(description="The class scored.")  # type: ignore[valid-type]
    scored: int = strawberry.field(description="Customers first scored in the period.")
    bad: int = strawberry.field(
        description="Of them, more than 90 days past due or written off within 12 months."
    )
    matured: int = strawberry.field(description="Of them, observed for the full 12 months.")
    bad_rate: Dec | None = strawberry.field(description="bad / scored.")  # type: ignore[valid-type]


@strawberry.type(description="Bad rates per class of the scores of a period.")
class ScorecardBacktest:
    from_: date = strawberry.field(name="from", description="First score date included.")
    to: date = strawberry.field(description="Last score date included.")
    as_of: date = strawberry.field(description="Outcomes observed up to this day.")
    classes: list[ClassBadRate] = strawberry.field(description="A to D.")

    @classmethod
    def build(cls, b: Backtest) -> ScorecardBacktest:
        """From the service's result."""
        return cls(
            from_=b.start,
            to=b.end,
            as_of=b.as_of,
            classes=[
                ClassBadRate(
                    rating_class=RatingClassValue[c.rating_class],
                    scored=c.scored,
                    bad=c.bad,
                    matured=c.matured,
                    bad_rate=dec(c.bad_rate),
                )
                for c in b.classes
            ],
        )
