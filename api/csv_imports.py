"""CSV upload of invoices and payments: the same import as the GraphQL mutations.

The file is UTF-8 (BOM or not) or GBK/GB18030, comma, semicolon or tab separated, sent as the
body or as the file field of a multipart form (api/csv_text.py). A structurally malformed file
(unreadable encoding, missing columns, ragged rows, too many rows) is a 400 and nothing is
written; a row whose values are wrong comes back by index, like the
mutations, while the valid rows post.
"""

from __future__ import annotations

import csv
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api import csv_text
from api.routes import error_response, principal_or_error, unit_of_work
from domain import roles
from domain.errors import DomainError
from schema.relay import to_global_id
from services.ledger import imports as import_service
from services.ledger.imports import ImportRow
from services.ledger.records import RowOutcome

COLUMNS = {
    "invoices": (
        ("external_id", "number", "customer_code", "issue_date", "amount", "currency"),
        ("due_date", "order_ref"),
    ),
    "payments": (
        ("external_id", "customer_code", "received_on", "amount", "currency"),
        ("method", "reference", "invoice"),
    ),
}


class MalformedCsv(Exception):
    """The file cannot be read as the expected table."""


def _normalise(name: str) -> str:
    """Accept `externalId`, `External ID` and `external_id` alike."""
    out: list[str] = []
    previous = ""
    for ch in name.strip().lstrip("\ufeff"):
        if ch.isupper() and previous.islower():
            out.append("_")
        out.append("_" if ch in " -" else ch.lower())
        previous = ch
    return "".join(out).replace("__", "_")


def parse_csv(body: bytes, kind: str) -> list[dict[str, str]]:
    """The data rows as dicts of the known columns, or MalformedCsv saying why."""
    try:
        read_as, reader = csv_text.table(body)
    except csv_text.UnreadableCsv as exc:
        raise MalformedCsv(str(exc)) from None
    try:
        header = next(reader, None)
        if not header:
            raise MalformedCsv("empty file: a header row is required")
        names = [_normalise(h) for h in header]
        required, optional = COLUMNS[kind]
        if any(c not in names for c in required):
            raise MalformedCsv(csv_text.why_columns_missing(header, required, names, read_as))
        unknown = [h for h, n in zip(header, names, strict=True) if n not in required + optional]
        if unknown:
            raise MalformedCsv(f"unknown columns: {', '.join(unknown)}")
        if len(set(names)) != len(names):
            raise MalformedCsv("a column appears twice")
        rows = []
        for fields in reader:
            if not any(f.strip() for f in fields):
                continue  # blank lines are not rows
            if len(fields) != len(names):
                raise MalformedCsv(
                    f"line {reader.line_num}: {len(fields)} fields, the header has {len(names)}"
                )
            rows.append(dict(zip(names, (f.strip() for f in fields), strict=True)))
            if len(rows) > import_service.MAX_ROWS:
                raise MalformedCsv(f"more than {import_service.MAX_ROWS} rows")
    except csv.Error as exc:
        raise MalformedCsv(f"line {reader.line_num}: {exc}") from None
    if not rows:
        raise MalformedCsv("no data rows")
    return rows


def _row(kind: str, raw: dict[str, str]) -> ImportRow:
    """One CSV row as the import service takes it (it checks dates and amounts per row)."""
    if kind == "invoices":
        return ImportRow(
            external_id=raw["external_id"],
            customer_code=raw["customer_code"],
            amount=raw["amount"],
            currency=raw["currency"],
            issue_date=raw["issue_date"],
            due_date=raw.get("due_date") or None,
            number=raw["number"],
            order_ref=raw.get("order_ref") or None,
        )
    return ImportRow(
        external_id=raw["external_id"],
        customer_code=raw["customer_code"],
        amount=raw["amount"],
        currency=raw["currency"],
        received_on=raw["received_on"],
        method=raw.get("method") or "BANK_TRANSFER",
        reference=raw.get("reference") or None,
        invoice=raw.get("invoice") or None,
    )


def _result_json(result: RowOutcome, type_name: str) -> dict[str, Any]:
    return {
        "index": result.index,
        "line": result.index + 2,  # 1-based, after the header
        "status": result.status.value,
        "id": to_global_id(type_name, result.id) if result.id else None,
        "userErrors": [
            {"field": e.field, "code": e.code, "message": e.message} for e in result.errors
        ],
    }


async def import_csv(request: Request) -> Response:
    """POST /imports/invoices.csv or /imports/payments.csv with a bearer token: text/csv, or
    multipart/form-data with the file in field `file`."""
    kind = request.path_params["kind"]
    if kind not in COLUMNS:
        return error_response(
            404, "NOT_FOUND", "POST to /imports/invoices.csv or /imports/payments.csv"
        )
    allowed = roles.POST_INVOICES if kind == "invoices" else roles.POST_PAYMENTS
    principal = await principal_or_error(request, allowed, "import")
    if isinstance(principal, Response):
        return principal
    body = await request.body()  # at most UPLOAD_MAX_BYTES: api/body_limit.py refuses more
    try:
        raw_rows = parse_csv(await csv_text.upload_bytes(request, body), kind)
    except (MalformedCsv, csv_text.UnreadableCsv) as exc:
        return error_response(400, "MALFORMED_CSV", str(exc))
    service = (
        import_service.import_invoices if kind == "invoices" else import_service.import_payments
    )
    try:
        async with unit_of_work(request, principal) as uow:
            outcome = await service(uow, [_row(kind, raw) for raw in raw_rows])
            await uow.commit()
    except DomainError as exc:
        return error_response(400, exc.code, exc.message, field=exc.field)
    type_name = "Invoice" if kind == "invoices" else "Payment"
    body_json = {
        "created": outcome.created,
        "replayed": outcome.replayed,
        "failed": outcome.failed,
        "results": [_result_json(r, type_name) for r in outcome.rows],
    }
    return JSONResponse(body_json)
