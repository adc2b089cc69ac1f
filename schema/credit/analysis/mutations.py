"""Recording financial statements and external credit data (one by one, or a pushed batch)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any
from uuid import UUID

import strawberry
from strawberry.types import Info
from strawberry.utils.str_converters import to_camel_case

from domain import roles, texts
from domain.credit.external import RecordIn
from domain.credit.financials import LineIn, StatementIn
from domain.errors import ValidationFailed
from schema.context import Context
from schema.credit.analysis.enums import (
    Assessment,
    ExternalRecordKind,
    LegalCaseStatus,
    LegalRecordKind,
    NewsSeverity,
    PartyRole,
    RowOutcome,
    SaveStatus,
    StatementKind,
    StatementLine,
    StatementSource,
    StatementUnit,
)
from schema.credit.analysis.types import ExternalCreditRecord, FinancialStatement
from schema.credit.errors import CREDIT
from schema.input_rules import text
from schema.money import DecimalString
from schema.mutation import INPUT, decode, respond
from schema.permissions import allow, roles_note
from schema.relay import to_global_id
from services.credit import analysis, external_data, financial_statements
from services.credit.batches import MAX_ROWS, RowResult
from services.credit.external_data import ExternalRow
from services.uow import UnitOfWork


@strawberry.input(description="One line of a statement.")
class StatementLineInput:
    line: StatementLine = strawberry.field(description="Which line.")  # type: ignore[valid-type]
    amount: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description='In the statement\'s unit, e.g. "1234.5" 万元; negative only where a line '
        "may be (equity, retained earnings, profits, cash flow)."
    )
    currency: str | None = text(
        limit=texts.CURRENCY,
        default=None,
        description="Optional check: refused (CURRENCY_MISMATCH) unless it is the statement's.",
    )


@strawberry.input(description="A financial statement of one period and source.")
class RecordFinancialStatementInput:
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    period_start: date = strawberry.field(description="First day of the period.")
    period_end: date = strawberry.field(
        description="Last day: not after today (FUTURE_DATE); the period covers at most a year."
    )
    kind: StatementKind = strawberry.field(  # type: ignore[valid-type]
        description="Annual (the period covers a year, 358-366 days) or interim (less); a "
        "length that does not fit the kind is INVALID_PERIOD."
    )
    source: StatementSource = strawberry.field(description="Audited, tax filing, management.")  # type: ignore[valid-type]
    currency: str = text(limit=texts.CURRENCY, description="ISO 4217 code of every line.")
    unit: StatementUnit = strawberry.field(description="元, 千元 or 万元.")  # type: ignore[valid-type]
    lines: list[StatementLineInput] = strawberry.field(
        description="The lines; total assets, total liabilities and equity are required, and "
        "assets must equal liabilities plus equity within 0.1%."
    )


@strawberry.type(description="Result of recording a financial statement.")
class FinancialStatementPayload(CREDIT.payload):
    statement: FinancialStatement | None = strawberry.field(
        default=None, description="The statement as stored."
    )
    status: SaveStatus | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Created, updated (a correction) or unchanged."
    )


LEGAL_NOTE = " Legal records only."


@strawberry.input(description="One external credit record of a customer.")
class RecordExternalCreditRecordInput:
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    kind: ExternalRecordKind = strawberry.field(description="What kind of record.")  # type: ignore[valid-type]
    source: str = text(limit=texts.SHORT, description="Who provided it (at most 100 characters).")
    source_ref: str = text(
        limit=texts.REFERENCE, description="The source's own id: recording it again is idempotent."
    )
    recorded_on: date = strawberry.field(
        description="The record's date, not after today (FUTURE_DATE)."
    )
    evidence: str = text(limit=texts.RECORD_EVIDENCE, description="Document reference or address.")
    summary: str | None = text(
        limit=texts.RECORD_SUMMARY, default=None, description="What it says."
    )
    score: str | None = text(limit=texts.SCORE, default=None, description="Bureau score or rating.")
    assessment: Assessment | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Verdict of a visit or bank reference."
    )
    severity: NewsSeverity | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Severity of negative news."
    )
    party: str | None = text(limit=texts.NAME, default=None, description="Visitor or bank.")
    legal_kind: LegalRecordKind | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Lawsuit, arbitration, enforcement, listing." + LEGAL_NOTE
    )
    role: PartyRole | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="The customer's side." + LEGAL_NOTE
    )
    case_number: str | None = text(
        limit=texts.REFERENCE, default=None, description="Case number." + LEGAL_NOTE
    )
    court: str | None = text(
        limit=texts.NAME, default=None, description="Court or commission." + LEGAL_NOTE
    )
    amount: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Amount at stake." + LEGAL_NOTE
    )
    currency: str | None = text(
        limit=texts.CURRENCY, default=None, description="Currency of the amount."
    )
    status: LegalCaseStatus | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Open or closed." + LEGAL_NOTE
    )
    filed_on: date | None = strawberry.field(default=None, description="Filed on." + LEGAL_NOTE)
    closed_on: date | None = strawberry.field(default=None, description="Closed on.")


@strawberry.type(description="Result of recording an external credit record.")
class ExternalCreditRecordPayload(CREDIT.payload):
    record: ExternalCreditRecord | None = strawberry.field(
        default=None, description="The record as stored."
    )
    status: SaveStatus | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Created, updated (revised by its source) or unchanged."
    )


TEXT_NOTE = " YYYY-MM-DD; a malformed date refuses only this row (INVALID_DATE)."


@strawberry.input(description="One pushed external credit record (the customer by code).")
class ExternalCreditRecordRow:
    customer_code: str = text(limit=texts.CODE, description="The customer's code.")
    kind: str = text(limit=texts.CODE, description="An ExternalRecordKind name.")
    source: str = text(limit=texts.SHORT, description="Who provided it.")
    source_ref: str = text(limit=texts.REFERENCE, description="The source's own id (idempotency).")
    recorded_on: str = text(
        limit=texts.DATE_TEXT, description="The record's date, not after today," + TEXT_NOTE
    )
    evidence: str | None = text(
        limit=texts.RECORD_EVIDENCE, default=None, description="Document reference."
    )
    summary: str | None = text(
        limit=texts.RECORD_SUMMARY, default=None, description="What it says."
    )
    score: str | None = text(limit=texts.SCORE, default=None, description="Bureau score or rating.")
    assessment: str | None = text(limit=texts.CODE, default=None, description="An Assessment name.")
    severity: str | None = text(limit=texts.CODE, default=None, description="A NewsSeverity name.")
    party: str | None = text(limit=texts.NAME, default=None, description="Visitor or bank.")
    legal_kind: str | None = text(
        limit=texts.CODE, default=None, description="A LegalRecordKind name."
    )
    role: str | None = text(limit=texts.CODE, default=None, description="A PartyRole name.")
    case_number: str | None = text(limit=texts.REFERENCE, default=None, description="Case number.")
    court: str | None = text(limit=texts.NAME, default=None, description="Court or commission.")
    amount: str | None = text(
        limit=texts.AMOUNT, default=None, description="Decimal amount at stake."
    )
    currency: str | None = text(limit=texts.CURRENCY, default=None, description="ISO 4217 code.")
    status: str | None = text(limit=texts.CODE, default=None, description="A LegalCaseStatus name.")
    filed_on: str | None = text(
        limit=texts.DATE_TEXT, default=None, description="Filed on," + TEXT_NOTE
    )
    closed_on: str | None = text(
        limit=texts.DATE_TEXT, default=None, description="Closed on," + TEXT_NOTE
    )


def _rows_fast(fields: dict[str, str]) -> Any:
    """Build the service's row straight from graphql-core's coerced mapping (all leaves)."""

    def build(_cls: type, value: Mapping[str, Any], _context: Any) -> ExternalRow:
        return ExternalRow(**{name: value[key] for key, name in fields.items() if key in value})

    return build


_definition = ExternalCreditRecordRow.__strawberry_definition__  # type: ignore[attr-defined]
_definition.from_input = _rows_fast(
    {f.graphql_name or to_camel_case(f.python_name): f.python_name for f in _definition.fields}
)


@strawberry.input(description="A batch of external credit records from an integrator.")
class ImportExternalCreditRecordsInput:
    rows: list[ExternalCreditRecordRow] = strawberry.field(
        description=f"The records, at most {MAX_ROWS}; pass them as a variable."
    )


@strawberry.type(description="The outcome of one row, by its index in the batch.")
class ExternalCreditRecordRowResult(CREDIT.payload):
    index: int = strawberry.field(description="Zero-based position in `rows`.")
    status: RowOutcome = strawberry.field(description="What happened to the row.")  # type: ignore[valid-type]
    id: strawberry.ID | None = strawberry.field(description="Global id of the stored record.")


@strawberry.type(description="Result of a pushed batch.")
class ImportExternalCreditRecordsPayload(CREDIT.payload):
    created: int = strawberry.field(default=0, description="Rows newly recorded.")
    updated: int = strawberry.field(default=0, description="Rows revising an earlier record.")
    unchanged: int = strawberry.field(default=0, description="Rows recorded before, identical.")
    failed: int = strawberry.field(default=0, description="Rows refused.")
    results: list[ExternalCreditRecordRowResult] = strawberry.field(
        default_factory=list, description="Every row, in input order."
    )


def row_results(outcome: list[RowResult]) -> ImportExternalCreditRecordsPayload:
    """Counts and per-row results; shared with the file-drop and CSV answers."""
    results = [
        ExternalCreditRecordRowResult(
            index=r.index,
            status=RowOutcome[r.status],
            id=to_global_id("ExternalCreditRecord", r.id) if r.id else None,
            user_errors=CREDIT.user_errors(ValidationFailed(list(r.errors))) if r.errors else [],
        )
        for r in outcome
    ]
    count = {s: sum(r.status == s for r in outcome) for s in ("CREATED", "UPDATED", "UNCHANGED")}
    return ImportExternalCreditRecordsPayload(
        created=count["CREATED"],
        updated=count["UPDATED"],
        unchanged=count["UNCHANGED"],
        failed=sum(r.status == "ERROR" for r in outcome),
        results=results,
    )


async def record_financial_statement(
    info: Info[Context, Any], input: Annotated[RecordFinancialStatementInput, INPUT]
) -> FinancialStatementPayload:
    data = StatementIn(
        period_start=input.period_start,
        period_end=input.period_end,
        kind=input.kind.value,
        source=input.source.value,
        currency=input.currency,
        unit=input.unit.value,
        lines=tuple(LineIn(x.line.value, x.amount, x.currency) for x in input.lines),
    )

    async def work(uow: UnitOfWork) -> tuple[UUID, UUID, str]:
        customer = decode(input.customer_id, "Customer", "customerId")
        saved = await financial_statements.record_statement(uow, customer, data, info.context.today)
        return customer, saved.id, saved.status

    async def show(result: tuple[UUID, UUID, str]) -> dict[str, Any]:
        _customer, statement_id, status = result
        found = await analysis.statement_by_id(info.context.session, statement_id)
        return {
            "statement": FinancialStatement.build(found) if found else None,
            "status": SaveStatus[status],
        }

    return await respond(info, FinancialStatementPayload, work, show)


def _name(value: Any) -> str | None:
    return None if value is None else str(value.value)


async def record_external_credit_record(
    info: Info[Context, Any], input: Annotated[RecordExternalCreditRecordInput, INPUT]
) -> ExternalCreditRecordPayload:
    data = RecordIn(
        kind=input.kind.value,
        source=input.source,
        source_ref=input.source_ref,
        recorded_on=input.recorded_on,
        summary=input.summary,
        evidence=input.evidence,
        score=input.score,
        assessment=_name(input.assessment),
        severity=_name(input.severity),
        party=input.party,
        legal_kind=_name(input.legal_kind),
        role=_name(input.role),
        case_number=input.case_number,
        court=input.court,
        amount=input.amount,
        currency=input.currency,
        status=_name(input.status),
        filed_on=input.filed_on,
        closed_on=input.closed_on,
    )

    async def work(uow: UnitOfWork) -> tuple[UUID, UUID, str]:
        customer = decode(input.customer_id, "Customer", "customerId")
        saved = await external_data.record_external(uow, customer, data, info.context.today)
        return customer, saved.id, saved.status

    async def show(result: tuple[UUID, UUID, str]) -> dict[str, Any]:
        _customer, record_id, status = result
        found = await analysis.external_record_by_id(info.context.session, record_id)
        return {
            "record": ExternalCreditRecord.build(found) if found else None,
            "status": SaveStatus[status],
        }

    return await respond(info, ExternalCreditRecordPayload, work, show)


async def import_external_credit_records(
    info: Info[Context, Any], input: Annotated[ImportExternalCreditRecordsInput, INPUT]
) -> ImportExternalCreditRecordsPayload:
    rows: list[ExternalRow] = input.rows  # type: ignore[assignment]  # built by _rows_fast

    async def work(uow: UnitOfWork) -> list[RowResult]:
        return await external_data.import_external(uow, rows, info.context.today)

    async def show(outcome: list[RowResult]) -> dict[str, Any]:
        built = row_results(outcome)
        return {
            k: getattr(built, k) for k in ("created", "updated", "unchanged", "failed", "results")
        }

    return await respond(info, ImportExternalCreditRecordsPayload, work, show)


FIELDS = {
    "record_financial_statement": strawberry.mutation(
        resolver=record_financial_statement,
        extensions=allow(roles.WRITE_FINANCIALS),
        description="Record a customer's financial statement (the same key again corrects it; "
        "the same figures change nothing); refused when it does not balance."
        + roles_note(roles.WRITE_FINANCIALS),
    ),
    "record_external_credit_record": strawberry.mutation(
        resolver=record_external_credit_record,
        extensions=allow(roles.WRITE_EXTERNAL_CREDIT_DATA),
        description="Record a bureau report, legal record, negative news, site visit or bank "
        "reference, idempotent by its source's id." + roles_note(roles.WRITE_EXTERNAL_CREDIT_DATA),
    ),
    "import_external_credit_records": strawberry.mutation(
        resolver=import_external_credit_records,
        extensions=allow(roles.WRITE_EXTERNAL_CREDIT_DATA),
        description="Push a batch of external credit records (customers by code), idempotent by "
        "each source's id; invalid rows come back by index."
        + roles_note(roles.WRITE_EXTERNAL_CREDIT_DATA),
    ),
}
