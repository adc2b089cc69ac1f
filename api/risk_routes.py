"""Risk-transfer HTTP routes: the kept PDFs (notifications, claim packs, notices of assignment)
and the import of a factor's statement as CSV, answered with every difference found."""

from __future__ import annotations

import csv
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api import csv_text
from api.csv_imports import _normalise
from api.routes import document_response, error_response, principal_or_error, unit_of_work
from domain import roles
from domain.errors import DomainError, ValidationFailed
from domain.money import Money
from schema.relay import InvalidId, from_global_id, to_global_id
from services.delivery.letterhead import file_name
from services.read_session import ReadSession
from services.risk import documents, factoring_reconcile
from services.risk.factoring_reconcile import StatementLineIn

#: Column names a factor statement may use (in any spelling api/csv_imports.py accepts, or
#: the captions of a Chinese factor's export), and the field each fills.
COLUMNS = {
    "invoice_number": "invoice_number",
    "invoice": "invoice_number",
    "发票号码": "invoice_number",
    "发票号": "invoice_number",
    "kind": "kind",
    "entry": "kind",
    "类型": "kind",
    "date": "effective_on",
    "effective_on": "effective_on",
    "日期": "effective_on",
    "amount": "amount",
    "金额": "amount",
}
#: The fields every line needs, in the order a refusal names them.
REQUIRED_ORDER = ("invoice_number", "kind", "effective_on", "amount")
REQUIRED = frozenset(REQUIRED_ORDER)


async def risk_document_pdf(request: Request) -> Response:
    """GET /documents/risk/{id}.pdf?lang=zh-CN: the document as first rendered and kept."""
    allowed = roles.READ_RISK_TRANSFER
    principal = await principal_or_error(request, allowed)
    if isinstance(principal, Response):
        return principal
    lang = request.query_params.get("lang", "zh-CN")
    if lang not in documents.LANGUAGES:
        return error_response(400, "BAD_USER_INPUT", "lang must be zh-CN or en")
    try:
        document_id = from_global_id(request.path_params["id"], "RiskDocument")[1]
    except (DomainError, InvalidId):
        return error_response(404, "NOT_FOUND", "Document not found")
    kept = await documents.document_pdf(
        request.app.state.runtime.engine, principal.tenant_id, document_id, lang
    )
    if kept is None:
        return error_response(404, "NOT_FOUND", "Document not found")
    filename = file_name("risk-document", kept.customer_code, kept.made_on, lang, "pdf")
    return document_response(kept.content, "application/pdf", filename)


def parse_statement(body: bytes) -> list[StatementLineIn]:
    """The statement's lines, or ValueError saying why the file cannot be read (read as
    people export it: api/csv_text.py)."""
    try:
        read_as, reader = csv_text.table(body)
    except csv_text.UnreadableCsv as exc:
        raise ValueError(str(exc)) from None
    try:
        header = next(reader, None)
        if not header:
            raise ValueError("empty file: a header row is required")
        names = [COLUMNS.get(_normalise(h)) for h in header]
        found = [n for n in names if n]
        if REQUIRED - set(found):
            raise ValueError(csv_text.why_columns_missing(header, REQUIRED_ORDER, found, read_as))
        lines = []
        for fields in reader:
            if not any(f.strip() for f in fields):
                continue
            if len(fields) != len(header):
                raise ValueError(
                    f"line {reader.line_num}: {len(fields)} fields, header has {len(header)}"
                )
            row: dict[str, Any] = {n: f.strip() for n, f in zip(names, fields, strict=True) if n}
            lines.append(StatementLineIn(**row))
            if len(lines) > factoring_reconcile.MAX_LINES:
                raise ValueError(f"more than {factoring_reconcile.MAX_LINES} lines")
    except csv.Error as exc:
        raise ValueError(f"line {reader.line_num}: {exc}") from None
    if not lines:
        raise ValueError("no data rows")
    return lines


def _decimal(minor: int | None, currency: str) -> str | None:
    return Money(minor, currency).to_decimal_string() if minor is not None else None


async def import_factor_statement(request: Request) -> Response:
    """POST /imports/factoring/{agreementId}/statement.csv?date=YYYY-MM-DD (text/csv, or a
    multipart form with the file in field `file`): keeps the statement and answers with every
    difference from our sub-ledger up to its date."""
    principal = await principal_or_error(request, roles.MANAGE_FACTORING, "import")
    if isinstance(principal, Response):
        return principal
    try:
        agreement_id = from_global_id(request.path_params["id"], "FactoringAgreement")[1]
        statement_date = date.fromisoformat(request.query_params.get("date", ""))
    except (DomainError, InvalidId, ValueError):
        return error_response(400, "BAD_USER_INPUT", "an agreement id and ?date=YYYY-MM-DD")
    body = await request.body()  # at most UPLOAD_MAX_BYTES: api/body_limit.py refuses more
    try:
        lines = parse_statement(await csv_text.upload_bytes(request, body))
    except (ValueError, csv_text.UnreadableCsv) as exc:
        return error_response(400, "MALFORMED_CSV", str(exc))
    try:
        async with unit_of_work(request, principal) as uow:
            statement_id = await factoring_reconcile.import_statement(
                uow, agreement_id, statement_date, lines
            )
            await uow.commit()
    except ValidationFailed as exc:
        errors = [{"field": e.field, "code": e.code, "message": e.message} for e in exc.errors]
        return JSONResponse({"error": {"code": "INVALID_LINES", "userErrors": errors}}, 400)
    except DomainError as exc:
        status = 404 if exc.code == "NOT_FOUND" else 400
        return error_response(status, exc.code, exc.message, field=exc.field)
    session = ReadSession(request.app.state.runtime.engine, principal.tenant_id)
    try:
        result = await factoring_reconcile.statement_reconciliation(session, statement_id)
    finally:
        await session.close()
    return JSONResponse(
        {
            "statementId": to_global_id("FactorStatement", statement_id),
            "lines": result.lines,
            "differences": [
                {
                    "invoiceNumber": d.invoice_number,
                    "kind": d.kind,
                    "currency": d.currency,
                    "ours": _decimal(d.ours_minor, d.currency),
                    "theirs": _decimal(d.theirs_minor, d.currency),
                    "status": d.status,
                }
                for d in result.differences
            ],
        }
    )
