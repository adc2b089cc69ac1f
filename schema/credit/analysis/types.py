"""Financial statements, ratios, trends, Z'', payment behaviour and external credit records."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry

from domain import roles
from schema.credit.analysis.enums import (
    AltmanZone,
    Assessment,
    DaysToPayTrend,
    ExternalRecordKind,
    FinancialRatio,
    LegalCaseStatus,
    LegalRecordKind,
    NewsSeverity,
    PartyRole,
    StatementKind,
    StatementLine,
    StatementSource,
    StatementUnit,
)
from schema.money import DecimalString, Money
from schema.node import by_ids, register_node
from schema.relay import Node, PageInfo, to_global_id
from services.credit import analysis
from services.credit.analysis import AnalysedStatement, FinancialAnalysis
from services.credit.external_data import StoredRecord
from services.credit.financial_statements import StoredStatement
from services.credit.payment_behaviour import CustomerBehaviour

Dec = DecimalString


def dec(value: Decimal | None) -> str | None:
    """A decimal as the API's string, None stays None."""
    return None if value is None else str(value)


@strawberry.type(description="One line of a statement, in the statement's currency.")
class StatementLineAmount:
    line: StatementLine = strawberry.field(description="Which line.")  # type: ignore[valid-type]
    amount: Money = strawberry.field(description="Exact amount (the unit already applied).")


@strawberry.type(description="Altman Z'' and the inputs it was computed from.")
class AltmanZScore:
    score: Dec | None = strawberry.field(  # type: ignore[valid-type]
        description="6.56 X1 + 3.26 X2 + 6.72 X3 + 1.05 X4; null when an input is missing."
    )
    zone: AltmanZone | None = strawberry.field(  # type: ignore[valid-type]
        description="Safe above 2.60, distress below 1.10, grey between."
    )
    reason: str | None = strawberry.field(
        description="Why there is no score (e.g. MISSING_LINE:RETAINED_EARNINGS)."
    )
    x: list[Dec] | None = strawberry.field(  # type: ignore[valid-type]
        description="X1 working capital / total assets, X2 retained earnings / total assets, "
        "X3 EBIT / total assets, X4 equity / total liabilities."
    )
    annualised_by: Dec = strawberry.field(  # type: ignore[valid-type]
        description="Factor applied to an interim period's EBIT (1 for a year)."
    )
    lines: list[StatementLineAmount] = strawberry.field(
        description="The statement lines used (EBIT as given or derived)."
    )


@strawberry.type(description="A customer's financial statement for one period and source.")
class FinancialStatement(Node):
    period_start: date = strawberry.field(description="First day of the period.")
    period_end: date = strawberry.field(description="Last day of the period.")
    kind: StatementKind = strawberry.field(description="Annual or interim.")  # type: ignore[valid-type]
    source: StatementSource = strawberry.field(description="Audited, tax filing or management.")  # type: ignore[valid-type]
    currency: str = strawberry.field(description="ISO 4217 code of every line.")
    unit: StatementUnit = strawberry.field(description="The unit the figures were entered in.")  # type: ignore[valid-type]
    lines: list[StatementLineAmount] = strawberry.field(description="The lines given.")
    negative_equity: bool = strawberry.field(
        description="Liabilities exceed assets: accepted, flagged for the reader."
    )
    altman_z: AltmanZScore = strawberry.field(description="Z'' stored with its inputs.")
    version: int = strawberry.field(description="1, plus one per correction.")
    created_at: datetime = strawberry.field(description="When it was first recorded.")
    created_by: str = strawberry.field(description="Who first recorded it.")
    updated_at: datetime = strawberry.field(description="When it was last corrected.")

    @classmethod
    def build(cls, s: StoredStatement) -> FinancialStatement:
        """From the service's result."""
        st = s.statement
        currency = st.currency

        def amounts(pairs: list[tuple[str, int | None]]) -> list[StatementLineAmount]:
            return [
                StatementLineAmount(line=StatementLine[k], amount=Money.of(v, currency))
                for k, v in pairs
                if v is not None and k in StatementLine.__members__
            ]

        z = s.z_inputs or {}
        return cls(
            id=to_global_id("FinancialStatement", s.id),
            period_start=st.period_start,
            period_end=st.period_end,
            kind=StatementKind[st.kind.value],
            source=StatementSource[st.source.value],
            currency=currency,
            unit=StatementUnit[st.unit.value],
            lines=amounts([(k.value, v) for k, v in st.lines.items()]),
            negative_equity=st.negative_equity,
            altman_z=AltmanZScore(
                score=s.z_score,
                zone=AltmanZone[s.z_zone] if s.z_zone else None,
                reason=z.get("reason"),
                x=z.get("x"),
                annualised_by=z.get("annualisedBy", "1"),
                lines=amounts(list((z.get("lines") or {}).items())),
            ),
            version=s.version,
            created_at=s.created_at,
            created_by=s.created_by,
            updated_at=s.updated_at,
        )


@strawberry.type(description="One ratio: a value, or null with the reason.")
class RatioResult:
    ratio: FinancialRatio = strawberry.field(description="Which ratio.")  # type: ignore[valid-type]
    value: Dec | None = strawberry.field(description="Exact decimal; days to 0.1.")  # type: ignore[valid-type]
    reason: str | None = strawberry.field(
        description="Why it is null: MISSING_LINE:<lines>, ZERO:<line> or NEGATIVE:<line>."
    )


@strawberry.type(description="A statement with its ratios.")
class AnalysedFinancialStatement:
    statement: FinancialStatement = strawberry.field(description="The statement.")
    ratios: list[RatioResult] = strawberry.field(description="Every ratio of the statement.")

    @classmethod
    def build(cls, a: AnalysedStatement) -> AnalysedFinancialStatement:
        """From the service's result."""
        return cls(
            statement=FinancialStatement.build(a.stored),
            ratios=[
                RatioResult(ratio=FinancialRatio[k.value], value=dec(v.value), reason=v.reason)
                for k, v in a.ratios.items()
            ],
        )


@strawberry.type(description="A period's value and its change against a year earlier.")
class TrendPoint:
    period_end: date = strawberry.field(description="End of the period.")
    value: Dec | None = strawberry.field(description="The value, null with a reason.")  # type: ignore[valid-type]
    change: Dec | None = strawberry.field(  # type: ignore[valid-type]
        description="Value minus the value of the period a year earlier."
    )
    reason: str | None = strawberry.field(description="Why value or change is null.")


@strawberry.type(description="A ratio (or REVENUE_GROWTH, NET_PROFIT_GROWTH) over time.")
class RatioTrend:
    key: str = strawberry.field(description="A FinancialRatio name, or a growth line.")
    higher_is_better: bool = strawberry.field(description="Which way is an improvement.")
    points: list[TrendPoint] = strawberry.field(description="Up to five periods, oldest first.")


@strawberry.type(description="A customer's financial analysis.")
class FinancialAnalysisResult:
    statements: list[AnalysedFinancialStatement] = strawberry.field(
        description="Statements, latest period first (at most 20)."
    )
    latest: FinancialStatement | None = strawberry.field(
        description="The statement scoring relies on today: of the periods ended by today, the "
        "newest annual one (else interim), best source."
    )
    trends: list[RatioTrend] = strawberry.field(
        description="Year-on-year trends over the last five periods of the latest's kind."
    )

    @classmethod
    def build(cls, a: FinancialAnalysis) -> FinancialAnalysisResult:
        """From the service's result."""
        statements = [AnalysedFinancialStatement.build(s) for s in a.statements]
        latest = next(
            (
                s.statement
                for s, raw in zip(statements, a.statements, strict=True)
                if raw.stored.id == a.latest_id
            ),
            None,
        )
        return cls(
            statements=statements,
            latest=latest,
            trends=[
                RatioTrend(
                    key=t.key,
                    higher_is_better=t.higher_is_better,
                    points=[
                        TrendPoint(
                            period_end=p.period_end,
                            value=dec(p.value),
                            change=dec(p.change),
                            reason=p.reason,
                        )
                        for p in t.points
                    ],
                )
                for t in a.trends
            ],
        )


@strawberry.type(description="One page entry of financial statements.")
class FinancialStatementEdge:
    cursor: str = strawberry.field(description="Pass as `after` to continue after this item.")
    node: FinancialStatement = strawberry.field(description="The statement.")


@strawberry.type(description="A page of financial statements.")
class FinancialStatementConnection:
    edges: list[FinancialStatementEdge] = strawberry.field(description="Items with cursors.")
    page_info: PageInfo = strawberry.field(description="Paging state.")


@strawberry.type(description="Payment behaviour in one currency, or overall (the worst of each).")
class PaymentBehaviourFigures:
    currency: str | None = strawberry.field(description="ISO 4217 code; null overall.")
    on_time_ratio: Dec | None = strawberry.field(  # type: ignore[valid-type]
        description="Share of the judged amount paid by its due date (0..1)."
    )
    weighted_days_late: Dec | None = strawberry.field(  # type: ignore[valid-type]
        description="Amount-weighted days late of what fell due in the window."
    )
    max_days_past_due: int = strawberry.field(
        description="Longest any invoice was overdue on a day in the window."
    )
    days_to_pay_earlier: Dec | None = strawberry.field(  # type: ignore[valid-type]
        description="Amount-weighted days from issue to payment, earlier half."
    )
    days_to_pay_recent: Dec | None = strawberry.field(  # type: ignore[valid-type]
        description="The same, later half."
    )
    trend: DaysToPayTrend = strawberry.field(description="Lengthening or not.")  # type: ignore[valid-type]
    broken_promises: int = strawberry.field(description="Promises to pay broken in the window.")
    disputed_share: Dec | None = strawberry.field(  # type: ignore[valid-type]
        description="Disputed amount / invoiced amount in the window."
    )
    reversed_payments: int = strawberry.field(description="Payments reversed (bounced).")


def _figures(b: Any) -> PaymentBehaviourFigures:
    return PaymentBehaviourFigures(
        currency=b.currency,
        on_time_ratio=dec(b.on_time_ratio),
        weighted_days_late=dec(b.weighted_days_late),
        max_days_past_due=b.max_days_past_due,
        days_to_pay_earlier=dec(b.days_to_pay_earlier),
        days_to_pay_recent=dec(b.days_to_pay_recent),
        trend=DaysToPayTrend[b.trend.value],
        broken_promises=b.broken_promises,
        disputed_share=dec(b.disputed_share),
        reversed_payments=b.reversed_payments,
    )


@strawberry.type(description="How a customer pays, from the receivables ledger.")
class PaymentBehaviour:
    window_start: date = strawberry.field(description="First day of the window.")
    window_middle: date = strawberry.field(description="Last day of the earlier half.")
    window_end: date = strawberry.field(description="Last day (the as-of date).")
    window_months: int = strawberry.field(description="Months the window spans.")
    overall: PaymentBehaviourFigures | None = strawberry.field(
        description="The worst figure of any currency; null without history."
    )
    by_currency: list[PaymentBehaviourFigures] = strawberry.field(
        description="Per currency (amounts in different currencies never add up)."
    )

    @classmethod
    def build(cls, b: CustomerBehaviour) -> PaymentBehaviour:
        """From the service's result."""
        return cls(
            window_start=b.window.start,
            window_middle=b.window.middle,
            window_end=b.window.end,
            window_months=b.months,
            overall=_figures(b.overall) if b.overall else None,
            by_currency=[_figures(x) for x in b.per_currency],
        )


@strawberry.type(description="The case facts of a legal record.")
class LegalCase:
    kind: LegalRecordKind = strawberry.field(description="Lawsuit, arbitration, ...")  # type: ignore[valid-type]
    role: PartyRole = strawberry.field(description="The customer's side.")  # type: ignore[valid-type]
    case_number: str = strawberry.field(description="Case number, e.g. (2026)沪0115执1234号.")
    court: str = strawberry.field(description="Court or arbitration commission.")
    amount: Money | None = strawberry.field(description="Amount at stake.")
    status: LegalCaseStatus = strawberry.field(description="Open or closed.")  # type: ignore[valid-type]
    filed_on: date = strawberry.field(description="Filed (or listed) on.")
    closed_on: date | None = strawberry.field(description="Closed on.")


@strawberry.type(description="Outside evidence about a customer, with its source and date.")
class ExternalCreditRecord(Node):
    kind: ExternalRecordKind = strawberry.field(description="What kind of record.")  # type: ignore[valid-type]
    source: str = strawberry.field(description="Who provided it (bureau, court database ...).")
    source_ref: str = strawberry.field(description="The source's own id (idempotency key).")
    recorded_on: date = strawberry.field(description="The record's date.")
    summary: str | None = strawberry.field(description="What it says.")
    evidence: str = strawberry.field(description="Document reference or address.")
    score: str | None = strawberry.field(description="A bureau's score or rating.")
    assessment: Assessment | None = strawberry.field(description="Visit / reference verdict.")  # type: ignore[valid-type]
    severity: NewsSeverity | None = strawberry.field(description="Negative news severity.")  # type: ignore[valid-type]
    party: str | None = strawberry.field(description="Visitor or bank.")
    legal: LegalCase | None = strawberry.field(description="Case facts of a legal record.")
    created_at: datetime = strawberry.field(description="First recorded.")
    created_by: str = strawberry.field(description="Who recorded it.")
    updated_at: datetime = strawberry.field(description="Last revised by its source.")

    @classmethod
    def build(cls, r: StoredRecord) -> ExternalCreditRecord:
        """From the service's result."""
        legal = None
        if r.legal_kind is not None:
            legal = LegalCase(
                kind=LegalRecordKind[r.legal_kind],
                role=PartyRole[r.role or "DEFENDANT"],
                case_number=r.case_number or "",
                court=r.court or "",
                amount=Money.from_minor(r.amount_minor, r.currency),
                status=LegalCaseStatus[r.status or "OPEN"],
                filed_on=r.filed_on or r.recorded_on,
                closed_on=r.closed_on,
            )
        return cls(
            id=to_global_id("ExternalCreditRecord", r.id),
            kind=ExternalRecordKind[r.kind],
            source=r.source,
            source_ref=r.source_ref,
            recorded_on=r.recorded_on,
            summary=r.summary,
            evidence=r.evidence,
            score=r.score,
            assessment=Assessment[r.assessment] if r.assessment else None,
            severity=NewsSeverity[r.severity] if r.severity else None,
            party=r.party,
            legal=legal,
            created_at=r.created_at,
            created_by=r.created_by,
            updated_at=r.updated_at,
        )


@strawberry.type(description="One page entry of external credit records.")
class ExternalCreditRecordEdge:
    cursor: str = strawberry.field(description="Pass as `after` to continue after this item.")
    node: ExternalCreditRecord = strawberry.field(description="The record.")


@strawberry.type(description="A page of external credit records.")
class ExternalCreditRecordConnection:
    edges: list[ExternalCreditRecordEdge] = strawberry.field(description="Items with cursors.")
    page_info: PageInfo = strawberry.field(description="Paging state.")


#: Statements and external records are read by the credit team, legal and finance.
READERS = roles.READ_CREDIT_ANALYSIS
register_node(
    "FinancialStatement", "financial_statements", by_ids(analysis.statements_by_ids),
    FinancialStatement.build, readers=READERS,
)  # fmt: skip
register_node(
    "ExternalCreditRecord", "external_credit_records", by_ids(analysis.external_records_by_ids),
    ExternalCreditRecord.build, readers=READERS,
)  # fmt: skip
