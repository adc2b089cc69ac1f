"""What a scorecard version would do (simulation) and did (back-test), as GraphQL types."""

from __future__ import annotations

from datetime import date

import strawberry

from schema.credit.analysis.enums import RatingClassValue
from schema.credit.analysis.types import dec
from schema.credit.scoring.definition import ScorecardVersionType
from schema.money import DecimalString
from schema.relay import to_global_id
from services.credit.simulation import Backtest, Mover, Simulation

Dec = DecimalString


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
