"""Plain HTTP routes: health, readiness, metrics, documents."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.auth import AuthError
from domain import roles
from domain.dates import check_date
from domain.errors import DomainError
from infra.request_context import tenant_var
from schema.relay import InvalidId, from_global_id, to_global_id
from services.collections import dunning, evidence
from services.customers import reports
from services.delivery import archive
from services.delivery.letterhead import file_name
from services.read_session import ReadSession
from services.statements import documents
from services.tenant import local_date
from services.uow import Actor, UnitOfWork


async def healthz(request: Request) -> Response:
    """The process is up (no dependencies checked)."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    """Database and broker reachable: ready to take traffic."""
    checks: dict[str, str] = {}
    runtime = request.app.state.runtime
    try:
        async with asyncio.timeout(2):
            async with runtime.engine.connect() as conn:
                await conn.execute(sa.text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # readiness reports any failure as not ready
        checks["database"] = f"error: {type(exc).__name__}"
    probe = request.app.state.broker_probe
    try:
        await asyncio.wait_for(asyncio.to_thread(probe), timeout=2)
        checks["broker"] = "ok"
    except Exception as exc:  # same: any failure means not ready
        checks["broker"] = f"error: {type(exc).__name__}"
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "unavailable", "checks": checks},
        status_code=200 if ready else 503,
    )


def error_response(status: int, code: str, message: str, **extra: Any) -> Response:
    """The JSON error shape every plain HTTP route answers with."""
    return JSONResponse({"error": {"code": code, "message": message, **extra}}, status_code=status)


async def principal_or_error(
    request: Request, allowed: frozenset[str], what: str = "document"
) -> Any:
    """The caller, or an error response (401 without a valid token, 403 without a role)."""
    try:
        principal = await request.app.state.verifier.from_header(
            request.headers.get("authorization")
        )
    except AuthError as exc:
        return error_response(401, "UNAUTHENTICATED", str(exc))
    tenant_var.set(principal.tenant_slug)
    if not principal.roles & allowed:
        return error_response(403, "FORBIDDEN", f"Your roles do not allow this {what}")
    return principal


async def credit_file_pdf(request: Request) -> Response:
    """GET /documents/customers/{id}/credit-file.pdf?lang=zh-CN with a bearer token."""
    principal = await principal_or_error(request, roles.READ_CREDIT_REPORT, "report")
    if isinstance(principal, Response):
        return principal
    lang = request.query_params.get("lang", "zh-CN")
    if lang not in reports.LANGUAGES:
        return error_response(
            400, "BAD_USER_INPUT", f"lang must be one of {', '.join(reports.LANGUAGES)}"
        )
    try:
        customer_id = from_global_id(request.path_params["id"], "Customer")[1]
    except (DomainError, InvalidId):
        return error_response(404, "NOT_FOUND", "Customer not found")
    async with reading(request, principal) as session:
        report = await reports.gather(session, customer_id, principal.subject, session.today)
    if report is None:
        return error_response(404, "NOT_FOUND", "Customer not found")
    on = local_date.local_today(report.time_zone, report.generated_at)
    filename = file_name("credit-file", report.code, on, lang, "pdf")
    return document_response(await reports.render_pdf(report, lang), "application/pdf", filename)


def unit_of_work(request: Request, principal: Any) -> UnitOfWork:
    """The caller's unit of work, on the runtime's engine and clock (as GraphQL's are)."""
    runtime = request.app.state.runtime
    actor = Actor(principal.subject, principal.roles)
    return UnitOfWork(runtime.engine, principal.tenant_id, actor, clock=runtime.clock)


async def tenant_today(request: Request, tenant_id: UUID) -> date:
    """The caller's business date: its tenant's calendar now, not the host's UTC date (the
    zone from the process's cache, so no read of its own)."""
    runtime = request.app.state.runtime
    return await local_date.today(runtime.engine, tenant_id, runtime.clock.now())


class TenantReads(ReadSession):
    """A document's read session that also knows its tenant's business date."""

    def __init__(self, engine: AsyncEngine, tenant_id: UUID, today: date) -> None:
        super().__init__(engine, tenant_id)
        self.today = today


@asynccontextmanager
async def reading(request: Request, principal: Any) -> AsyncIterator[TenantReads]:
    """A read session in the caller's tenant for one document, closed after it."""
    today = await tenant_today(request, principal.tenant_id)
    session = TenantReads(request.app.state.runtime.engine, principal.tenant_id, today)
    try:
        yield session
    finally:
        await session.close()


def _lang(request: Request) -> str | None:
    lang = request.query_params.get("lang", "zh-CN")
    return lang if lang in reports.LANGUAGES else None


def document_response(content: bytes, media_type: str, filename: str) -> Response:
    """A document to download: its name (customer code and date), never cached."""
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


async def statement_pdf(request: Request) -> Response:
    """GET /documents/statements/{id}.pdf?lang=zh-CN: the copy sent, else the kept PDF."""
    principal = await principal_or_error(request, roles.READ_RECEIVABLES)
    if isinstance(principal, Response):
        return principal
    lang = _lang(request)
    if lang is None:
        return error_response(400, "BAD_USER_INPUT", "lang must be zh-CN or en")
    try:
        statement_id = from_global_id(request.path_params["id"], "Statement")[1]
    except (DomainError, InvalidId):
        return error_response(404, "NOT_FOUND", "Statement not found")
    async with unit_of_work(request, principal) as uow:
        found = await documents.sent_or_kept_pdf(uow, statement_id, lang)
        await uow.commit()  # a PDF rendered now is kept
    if found is None:
        return error_response(404, "NOT_FOUND", "Statement not found")
    return document_response(found.content, "application/pdf", found.filename)


async def _letter_target(request: Request) -> tuple[Any, str, str, UUID] | Response:
    """Who asks for which customer's letter of which kind in which language, or the refusal."""
    principal = await principal_or_error(request, roles.WORK_COLLECTIONS)
    if isinstance(principal, Response):
        return principal
    lang = _lang(request)
    kind = request.query_params.get("kind", "REMINDER")
    if lang is None or kind not in dunning.KINDS:
        return error_response(
            400, "BAD_USER_INPUT", "lang is zh-CN or en; kind REMINDER, DEMAND, LAWYER"
        )
    try:
        customer_id = from_global_id(request.path_params["id"], "Customer")[1]
    except (DomainError, InvalidId):
        return error_response(404, "NOT_FOUND", "Customer not found")
    return principal, kind, lang, customer_id


async def dunning_letter_pdf(request: Request) -> Response:
    """GET /documents/customers/{id}/dunning-letter.pdf?kind=REMINDER&lang=zh-CN: the letter of
    that kind last sent to the customer, as sent (archived), never rendered again."""
    target = await _letter_target(request)
    if isinstance(target, Response):
        return target
    principal, kind, lang, customer_id = target
    async with reading(request, principal) as session:
        found = await archive.latest(session, lang, customer_id=customer_id, kind=kind)
    if found is None:
        return error_response(
            404, "NOT_FOUND", f"No {kind} letter in {lang} was sent to this customer"
        )
    return document_response(found.content, found.document.media_type, found.document.filename)


async def dunning_letter_draft(request: Request) -> Response:
    """GET /documents/customers/{id}/dunning-letter-draft.pdf?kind=&lang=&asOf=: the letter as
    it would go out, unnumbered, unsealed and marked as a draft on every page."""
    target = await _letter_target(request)
    if isinstance(target, Response):
        return target
    principal, kind, lang, customer_id = target
    try:
        raw = request.query_params.get("asOf")
        as_of = check_date(date.fromisoformat(raw), "asOf") if raw else None
    except (ValueError, DomainError):
        return error_response(400, "BAD_USER_INPUT", "asOf is a date from 1900 to 2199")
    async with reading(request, principal) as session:
        letter = await dunning.draft(session, customer_id, kind, as_of or session.today)
    if letter is None:
        return error_response(404, "NOT_FOUND", "Customer not found")
    filename = file_name(f"{kind}-letter-draft", letter.customer_code, letter.as_of, lang, "pdf")
    return document_response(await dunning.render_letter(letter, lang), "application/pdf", filename)


def sent_document_link(document_id: UUID) -> str:
    """Where the archived copy of a sent document is served."""
    return f"/documents/sent/{to_global_id('SentDocument', document_id)}"


async def sent_document(request: Request) -> Response:
    """GET /documents/sent/{id}: a document exactly as it was sent (its SHA-256 in a header)."""
    principal = await principal_or_error(request, roles.READ_SENT_DOCUMENTS)
    if isinstance(principal, Response):
        return principal
    try:
        document_id = from_global_id(request.path_params["id"], "SentDocument")[1]
    except (DomainError, InvalidId):
        return error_response(404, "NOT_FOUND", "Document not found")
    async with reading(request, principal) as session:
        found = await archive.fetch(session, document_id)
    if found is None:
        return error_response(404, "NOT_FOUND", "Document not found")
    response = document_response(found.content, found.document.media_type, found.document.filename)
    response.headers["X-Content-SHA256"] = found.document.sha256
    return response


async def activities_csv(request: Request) -> Response:
    """GET /documents/customers/{id}/activities.csv: the evidence chain, oldest first."""
    principal = await principal_or_error(request, roles.READ_CASES)
    if isinstance(principal, Response):
        return principal
    try:
        customer_id = from_global_id(request.path_params["id"], "Customer")[1]
    except (DomainError, InvalidId):
        return error_response(404, "NOT_FOUND", "Customer not found")
    async with reading(request, principal) as session:
        text = await evidence.activities_csv(session, customer_id, sent_document_link)
    if text is None:
        return error_response(404, "NOT_FOUND", "Customer not found")
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="activities.csv"',
            "Cache-Control": "no-store",
        },
    )
