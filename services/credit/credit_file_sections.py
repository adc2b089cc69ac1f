"""The credit-decision sections of the credit-file report: the financial analysis, the
latest score with its reasons, and the limit history (gathered here, rendered by documents/)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from documents.models import AnalysisLine, LimitLine, ScoreBlock
from services.credit import analysis, limit_views, scoring_reads
from services.read_session import ReadSession

REPORT_STATEMENTS = 5  #: the analysis shows the five newest statements (the trend window)
REPORT_LIMITS = 20  #: and the twenty newest limits of the history


@dataclass(frozen=True)
class CreditSections:
    """What the report adds about credit decisions."""

    analysis: list[AnalysisLine] = field(default_factory=list)
    score: ScoreBlock | None = None
    limits: list[LimitLine] = field(default_factory=list)


async def gather(session: ReadSession, customer_id: UUID, today: date) -> CreditSections:
    """The three sections, each from the reads the API uses (the analysis as of `today`)."""
    found = await analysis.financial_analysis(session, customer_id, today)
    lines = [
        AnalysisLine(
            period_end=a.stored.statement.period_end,
            kind=a.stored.statement.kind.value,
            source=a.stored.statement.source.value,
            z_score=a.stored.z_score,
            z_zone=a.stored.z_zone,
            ratios=[
                (ratio.value, "—" if v.value is None else f"{v.value:f}")
                for ratio, v in a.ratios.items()
            ],
        )
        for a in found.statements[:REPORT_STATEMENTS]
    ]
    page = await scoring_reads.scores_page(session, customer_id, 1, None)
    score = None
    if page.items:
        s = page.items[0]
        score = ScoreBlock(
            as_of=s.as_of,
            score=f"{s.score:f}",
            score_class=s.score_class.value,
            rating_class=s.rating_class.value,
            reasons=list(s.reason_codes),
            knock_outs=list(s.knock_outs),
            missing_inputs=list(s.missing_inputs),
        )
    limits, _ = await limit_views.history(session, customer_id, None, REPORT_LIMITS)
    return CreditSections(
        lines,
        score,
        [
            LimitLine(
                kind=x.kind,
                scope=x.scope,
                amount=f"{x.amount.to_decimal_string()} {x.amount.currency}",
                valid_from=x.valid_from,
                valid_to=x.valid_to,
                basis=x.basis,
                approved_by=", ".join(x.approved_by),
            )
            for x in limits
        ],
    )
