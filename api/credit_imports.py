"""CSV upload of financial statements: one statement per row, the same checks as the mutation.

The file is read as people export it (api/csv_text.py): UTF-8 or GBK/GB18030, comma, semicolon
or tab separated, as the body or the file field of a multipart form; columns by their names
here (`customer_code`, `total_assets` ...) or by the captions of a Chinese statement (资产总计,
单位 ...). A structurally malformed file (unreadable, missing or unknown columns, ragged rows,
too many rows) is a 400 and nothing is written; a row that does not balance, names an
unknown customer or covers a period not ended by today comes back by index while the valid
rows are saved. Figures are in the row's unit (YUAN/THOUSAND/TEN_THOUSAND, or 元/千元/万元);
an empty cell is a line not given.
"""

from __future__ import annotations

import csv
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api import csv_text
from api.csv_imports import MalformedCsv, _normalise
from api.routes import error_response, principal_or_error, tenant_today, unit_of_work
from domain import roles
from domain.credit.financials import LINE_CAPTIONS, UNIT_CAPTIONS, Line
from domain.errors import DomainError, ValidationFailed
from schema.credit.errors import CREDIT
from schema.relay import to_global_id
from services.credit import financial_statements as service
from services.credit.batches import MAX_ROWS, RowResult
from services.credit.financial_statements import StatementRow

REQUIRED = ("customer_code", "period_start", "period_end", "kind", "source", "currency", "unit")
LINE_COLUMNS = {line.value.lower(): line.value for line in Line}
#: The captions a Chinese export heads the columns with, and the column each names.
CAPTIONS = {
    "客户编码": "customer_code",
    "客户代码": "customer_code",
    "期间开始": "period_start",
    "开始日期": "period_start",
    "期间结束": "period_end",
    "截止日期": "period_end",
    "报表类型": "kind",
    "报表来源": "source",
    "币种": "currency",
    "单位": "unit",
    **{caption: line.value.lower() for line, caption in LINE_CAPTIONS.items()},
}


def _column(header: str) -> str:
    """A header cell as the column it names: a caption, or a name in any of its spellings."""
    caption = header.strip().lstrip("\ufeff")
    return CAPTIONS.get(caption) or _normalise(header)


def _row(raw: dict[str, str]) -> StatementRow:
    """A row as the service takes it; a unit in Chinese (万元) read as its code."""
    unit = UNIT_CAPTIONS.get(raw["unit"])
    return StatementRow(
        *(raw[c] for c in REQUIRED[:-1]),
        unit=unit.value if unit else raw["unit"],
        lines={LINE_COLUMNS[k]: v for k, v in raw.items() if k in LINE_COLUMNS and v},
    )


def parse_statements(body: bytes) -> list[StatementRow]:
    """Rows of the file as the service takes them, or MalformedCsv saying why."""
    try:
        read_as, reader = csv_text.table(body)
    except csv_text.UnreadableCsv as exc:
        raise MalformedCsv(str(exc)) from None
    try:
        header = next(reader, None)
        if not header:
            raise MalformedCsv("empty file: a header row is required")
        names = [_column(h) for h in header]
        if any(c not in names for c in REQUIRED):
            raise MalformedCsv(csv_text.why_columns_missing(header, REQUIRED, names, read_as))
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
            rows.append(_row(dict(zip(names, (f.strip() for f in fields), strict=True))))
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
    """POST /imports/financial-statements.csv with a bearer token: text/csv, or
    multipart/form-data with the file in field `file`."""
    principal = await principal_or_error(request, roles.WRITE_FINANCIALS, "import")
    if isinstance(principal, Response):
        return principal
    body = await request.body()  # at most UPLOAD_MAX_BYTES: api/body_limit.py refuses more
    try:
        rows = parse_statements(await csv_text.upload_bytes(request, body))
    except (MalformedCsv, csv_text.UnreadableCsv) as exc:
        return error_response(400, "MALFORMED_CSV", str(exc))
    today = await tenant_today(request, principal.tenant_id)
    try:
        async with unit_of_work(request, principal) as uow:
            results = await service.import_statements(uow, rows, today)
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
