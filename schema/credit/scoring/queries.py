"""Read entry points of credit scoring."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles
from domain.dates import check_date, shift
from domain.errors import DomainError
from schema.context import Context
from schema.credit.analysis.pages import (
    customer_uuid,
    empty,
    page_of,
    paging,
)
from schema.credit.scoring.definition import (
    OverrideStatus,
    ScorecardVersionType,
)
from schema.credit.scoring.simulation import ScorecardBacktest, ScorecardSimulation
from schema.credit.scoring.types import (
    ClassChangeConnection,
    ClassChangeEdge,
    ClassOverride,
    ClassOverrideConnection,
    ClassOverrideEdge,
    CreditClassChange,
    CreditScore,
    CreditScoreConnection,
    CreditScoreEdge,
    ScorecardVersionConnection,
    ScorecardVersionEdge,
)
from schema.errors import coded_error
from schema.paging import After, Before, First, Last
from schema.permissions import allow, roles_note
from schema.relay import from_global_id, seek_of
from services.credit import scoring_reads, simulation
from services.credit.paging import MAX_PAGE
from services.credit.scorecards import active_version, versions_page

READ = roles.READ_CREDIT_ANALYSIS
POLICY = roles.CONFIGURE_SCORECARD
CUSTOMER = strawberry.argument(description="Global id of the customer.")
#: A back-test looks at the scores of the last year by default.
BACKTEST_DAYS = 365


def _version_id(global_id: str, field: str = "versionId") -> Any:
    return from_global_id(global_id, "ScorecardVersion", field)[1]


@strawberry.type(description="Credit scoring reads.")
class CreditScoringQuery:
    @strawberry.field(
        description="The tenant's scorecard versions, newest first." + roles_note(READ),
        extensions=allow(READ),
    )
    async def scorecard_versions(
        self,
        info: Info[Context, Any],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> ScorecardVersionConnection:  # type: ignore[valid-type]
        asked = paging(first, after, last, before)
        page = await versions_page(info.context.session, asked.size, seek_of(asked))
        return page_of(
            ScorecardVersionConnection,
            ScorecardVersionEdge,
            page,
            ScorecardVersionType.build,
            asked,
        )

    @strawberry.field(
        description="The active scorecard version (null until the first score installs the "
        "practice's default)." + roles_note(READ),
        extensions=allow(READ),
    )
    async def active_scorecard(self, info: Info[Context, Any]) -> ScorecardVersionType | None:
        found = await info.context.session.run(active_version)
        return ScorecardVersionType.build(found) if found else None

    @strawberry.field(
        description="A customer's scores, newest first, each with its version, inputs, "
        "points and reasons." + roles_note(READ),
        extensions=allow(READ),
    )
    async def credit_scores(
        self,
        info: Info[Context, Any],
        customer_id: Annotated[strawberry.ID, CUSTOMER],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> CreditScoreConnection:  # type: ignore[valid-type]
        asked = paging(first, after, last, before)
        raw = customer_uuid(customer_id)
        if raw is None:
            return empty(CreditScoreConnection, asked)
        page = await scoring_reads.scores_page(
            info.context.session, raw, asked.size, seek_of(asked)
        )
        return page_of(CreditScoreConnection, CreditScoreEdge, page, CreditScore.build, asked)

    @strawberry.field(
        description="A customer's class changes, newest first." + roles_note(READ),
        extensions=allow(READ),
    )
    async def credit_class_history(
        self,
        info: Info[Context, Any],
        customer_id: Annotated[strawberry.ID, CUSTOMER],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> ClassChangeConnection:  # type: ignore[valid-type]
        asked = paging(first, after, last, before)
        raw = customer_uuid(customer_id)
        if raw is None:
            return empty(ClassChangeConnection, asked)
        page = await scoring_reads.history_page(
            info.context.session, raw, asked.size, seek_of(asked)
        )
        return page_of(
            ClassChangeConnection, ClassChangeEdge, page, CreditClassChange.from_entry, asked
        )

    @strawberry.field(
        description="Class overrides, newest first; pending ones await a second credit "
        "manager." + roles_note(READ),
        extensions=allow(READ),
    )
    async def class_overrides(
        self,
        info: Info[Context, Any],
        customer_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only this customer's.")
        ] = None,
        status: Annotated[
            OverrideStatus | None,  # type: ignore[valid-type]
            strawberry.argument(description="Only this status."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> ClassOverrideConnection:  # type: ignore[valid-type]
        asked = paging(first, after, last, before)
        raw = None
        if customer_id is not None:
            raw = customer_uuid(customer_id)
            if raw is None:
                return empty(ClassOverrideConnection, asked)
        page = await scoring_reads.overrides_page(
            info.context.session, raw, status.value if status else None, asked.size, seek_of(asked)
        )
        return page_of(ClassOverrideConnection, ClassOverrideEdge, page, ClassOverride.build, asked)

    @strawberry.field(
        description="Score every active customer with a version (usually a draft) against the "
        "active one, on the same inputs: the class migration matrix and the customers that "
        "would move. The inputs are those stored with each customer's latest score by the "
        "active version (the nightly rescoring keeps them current); customers it has not "
        "scored are gathered as of `asOf`. Nothing is written; null for an unknown version."
        + roles_note(POLICY),
        extensions=allow(POLICY),
    )
    async def scorecard_simulation(
        self,
        info: Info[Context, Any],
        version_id: Annotated[
            strawberry.ID, strawberry.argument(description="Global id of the version.")
        ],
        as_of: Annotated[date | None, strawberry.argument(description="Default today.")] = None,
        first: Annotated[int, strawberry.argument(description=f"Movers shown, 0-{MAX_PAGE}.")] = 50,
        offset: Annotated[int, strawberry.argument(description="Movers skipped.")] = 0,
    ) -> ScorecardSimulation | None:
        if not 0 <= first <= MAX_PAGE or offset < 0:
            raise coded_error(f"first is 0-{MAX_PAGE}, offset >= 0", "BAD_USER_INPUT")
        raw = _version_id(version_id)
        if raw is None:
            return None
        try:
            found = await simulation.simulate(
                info.context.session, raw, as_of or info.context.today
            )
        except DomainError as exc:
            if exc.code == "NOT_FOUND":
                return None
            raise coded_error(f"{exc.field}: {exc.message}", "BAD_USER_INPUT") from None
        return ScorecardSimulation.build(found, first, offset)

    @strawberry.field(
        description="Back-test: of the customers first scored in a period (by one version, or "
        "any), how many of each class went more than 90 days past due or were written off "
        "within 12 months." + roles_note(READ),
        extensions=allow(READ),
    )
    async def scorecard_backtest(
        self,
        info: Info[Context, Any],
        from_: Annotated[
            date | None,
            strawberry.argument(name="from", description="First score date; default a year ago."),
        ] = None,
        to: Annotated[
            date | None, strawberry.argument(description="Last score date; default today.")
        ] = None,
        version_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only this version's scores.")
        ] = None,
        as_of: Annotated[
            date | None, strawberry.argument(description="Outcomes up to; default today.")
        ] = None,
    ) -> ScorecardBacktest:
        today = info.context.today
        raw = None
        if version_id is not None:
            raw = _version_id(version_id)
            if raw is None:
                raise coded_error("versionId: no such scorecard version", "BAD_USER_INPUT")
        try:
            end = check_date(to, "to") or today
            start = check_date(from_, "from") or shift(end, -BACKTEST_DAYS)
            found = await simulation.backtest(info.context.session, raw, start, end, as_of or today)
        except DomainError as exc:
            raise coded_error(f"{exc.field}: {exc.message}", "BAD_USER_INPUT") from None
        return ScorecardBacktest.build(found)
