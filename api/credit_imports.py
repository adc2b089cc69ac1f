"""CSV upload of financial statements: one statement per row, the same checks as the mutation.

A structurally malformed file (not UTF-8, missing or unknown columns, ragged rows, too many
rows) is a 400 and nothing is written; a row that does not balance or names an unknown
customer comes back by index while the valid rows are saved. Figures are in the row's unit
(元/千元/万元); an empty cell is a line not given.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.csv_imports import MalformedCsv, _normalise, read_body
from api.routes import error_response, principal_or_error
from domain import roles
from domain.credit.financials import Line
from domain.errors import DomainError, ValidationFailed
from schema.credit.errors import CREDIT
from schema.relay import to_global_id
from services.credit import financial_statements as service
from services.credit.batches import MAX_ROWS, RowResult
from services.credit.financial_statements import StatementRow
from services.uow import Actor, UnitOfWork

REQUIRED = ("customer_code", "period_start", "period_end", "kind", "source", "currency", "unit")
LINE_COLUMNS = {line.value.lower(): line.value for line in Line}


def parse_statements(body: bytes) -> list[StatementRow]:
    """Rows of the file as the service takes them, or MalformedCsv saying why."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedCsv(f"not UTF-8 at byte {exc.start}") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if not header:
            raise MalformedCsv("empty file: a header row is required")
        names = [_normalise(h) for h in header]
        missing = [c for c in REQUIRED if c not in names]
        if missing:
            raise MalformedCsv(f"missing columns: {', '.join(missing)}")
        unknown = [
            h for h, n in zip(header, names, strict=True) if n not in (*REQUIRED, *LINE_COLUMNS)
        ]
        if unknown:
            raise MalformedCsv(f"unknown columns: {', '.join(unknown)}")
        if len(set(names)) != len(names):
            raise MalformedCsv("a column appears twice")
        rows = []
        for fields in reader:
            if not any(f.strip() for f in fields):
                continue
            if len(fields) != len(names):
                raise MalformedCsv(
                    f"line {reader.line_num}: {len(fields)} fields, the header has {len(names)}"
                )
            raw = dict(zip(names, (f.strip() for f in fields), strict=True))
            rows.append(
                StatementRow(
                    *(raw[c] for c in REQUIRED),
                    lines={LINE_COLUMNS[k]: v for k, v in raw.items() if k in LINE_COLUMNS and v},
                )
            )
            if len(rows) > MAX_ROWS:
                raise MalformedCsv(f"more than {MAX_ROWS} rows")
    except csv.Error as exc:
        raise MalformedCsv(f"line {reader.line_num}: {exc}") from None
    if not rows:
        raise MalformedCsv("no data rows")
    return rows


def _result(r: RowResult) -> dict[str, Any]:
    errors = CREDIT.user_errors(ValidationFailed(list(r.errors))) if r.errors else []
    return {
        "index": r.index,
        "line": r.index + 2,
        "status": r.status,
        "id": to_global_id("FinancialStatement", r.id) if r.id else None,
        "userErrors": [
            {"field": e.field, "code": e.code.name, "message": e.message} for e in errors
        ],
    }


async def import_statements_csv(request: Request) -> Response:
    """POST /imports/financial-statements.csv with a bearer token and text/csv."""
    principal = await principal_or_error(request, roles.WRITE_FINANCIALS, "import")
    if isinstance(principal, Response):
        return principal
    body = await read_body(request)
    if isinstance(body, Response):
        return body
    try:
        rows = parse_statements(body)
    except MalformedCsv as exc:
        return error_response(400, "MALFORMED_CSV", str(exc))
    actor = Actor(principal.subject, principal.roles)
    try:
        async with UnitOfWork(request.app.state.runtime.engine, principal.tenant_id, actor) as uow:
            results = await service.import_statements(uow, rows)
            await uow.commit()
    except DomainError as exc:
        return error_response(400, exc.code, exc.message, field=exc.field)
    counts = {
        s.lower(): sum(r.status == s for r in results) for s in ("CREATED", "UPDATED", "UNCHANGED")
    }
    return JSONResponse(
        {
            **counts,
            "failed": sum(r.status == "ERROR" for r in results),
            "results": [_result(r) for r in results],
        }
    )
