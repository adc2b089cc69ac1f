"""Read entry points of credit analysis."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles
from domain.credit.behaviour import DEFAULT_WINDOW_MONTHS
from domain.errors import DomainError
from schema.context import Context
from schema.credit.analysis.enums import ExternalRecordKind
from schema.credit.analysis.pages import (
    customer_uuid,
    empty,
    page_of,
    paging,
)
from schema.credit.analysis.types import (
    ExternalCreditRecord,
    ExternalCreditRecordConnection,
    ExternalCreditRecordEdge,
    FinancialAnalysisResult,
    FinancialStatement,
    FinancialStatementConnection,
    FinancialStatementEdge,
    PaymentBehaviour,
)
from schema.errors import coded_error
from schema.paging import After, Before, First, Last
from schema.permissions import allow, roles_note
from schema.relay import seek_of
from services.credit import analysis
from services.credit.payment_behaviour import payment_behaviour

READ = roles.READ_CREDIT_ANALYSIS
CUSTOMER = strawberry.argument(description="Global id of the customer.")


@strawberry.type(description="Credit analysis reads.")
class CreditAnalysisQuery:
    @strawberry.field(
        description="A customer's financial statements, latest period first; empty for an "
        "unknown customer." + roles_note(READ),
        extensions=allow(READ),
    )
    async def financial_statements(
        self,
        info: Info[Context, Any],
        customer_id: Annotated[strawberry.ID, CUSTOMER],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> FinancialStatementConnection:
        asked = paging(first, after, last, before)
        raw = customer_uuid(customer_id)
        if raw is None:
            return empty(FinancialStatementConnection, asked)
        page = await analysis.statements_page(info.context.session, raw, asked.size, seek_of(asked))
        return page_of(
            FinancialStatementConnection,
            FinancialStatementEdge,
            page,
            FinancialStatement.build,
            asked,
        )

    @strawberry.field(
        description="Ratios of every statement, year-on-year trends over up to five periods, "
        "and the statement scoring relies on; null for an unknown customer." + roles_note(READ),
        extensions=allow(READ),
    )
    async def financial_analysis(
        self, info: Info[Context, Any], customer_id: Annotated[strawberry.ID, CUSTOMER]
    ) -> FinancialAnalysisResult | None:
        raw = customer_uuid(customer_id)
        if raw is None:
            return None
        return FinancialAnalysisResult.build(
            await analysis.financial_analysis(info.context.session, raw, info.context.today)
        )

    @strawberry.field(
        description="How a customer paid over a window ending on a date: on-time ratio, "
        "weighted days late, maximum days past due, days-to-pay trend, broken promises, "
        "disputed share, reversed payments." + roles_note(READ),
        extensions=allow(READ),
    )
    async def payment_behaviour(
        self,
        info: Info[Context, Any],
        customer_id: Annotated[strawberry.ID, CUSTOMER],
        as_of: Annotated[date | None, strawberry.argument(description="Default today.")] = None,
        window_months: Annotated[
            int, strawberry.argument(description="Months of history, 1-60.")
        ] = DEFAULT_WINDOW_MONTHS,
    ) -> PaymentBehaviour | None:
        raw = customer_uuid(customer_id)
        if raw is None:
            return None
        try:
            found = await payment_behaviour(
                info.context.session, raw, as_of or info.context.today, window_months
            )
        except DomainError as exc:
            raise coded_error(f"{exc.field}: {exc.message}", "BAD_USER_INPUT") from None
        return PaymentBehaviour.build(found)

    @strawberry.field(
        description="A customer's external credit records (bureau reports, legal records, "
        "news, visits, bank references), newest first." + roles_note(READ),
        extensions=allow(READ),
    )
    async def external_credit_records(
        self,
        info: Info[Context, Any],
        customer_id: Annotated[strawberry.ID, CUSTOMER],
        kind: Annotated[
            ExternalRecordKind | None,  # type: ignore[valid-type]
            strawberry.argument(description="Only this kind."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> ExternalCreditRecordConnection:
        asked = paging(first, after, last, before)
        raw = customer_uuid(customer_id)
        if raw is None:
            return empty(ExternalCreditRecordConnection, asked)
        page = await analysis.external_records_page(
            info.context.session, raw, kind.value if kind else None, asked.size, seek_of(asked)
        )
        return page_of(
            ExternalCreditRecordConnection,
            ExternalCreditRecordEdge,
            page,
            ExternalCreditRecord.build,
            asked,
        )
