"""Plain HTTP routes: health, readiness, metrics, documents."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.auth import AuthError
from domain import roles
from domain.errors import DomainError
from infra.request_context import tenant_var
from schema.relay import from_global_id
from services.collections import dunning, evidence
from services.customers import reports
from services.read_session import ReadSession
from services.statements import documents
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
    except DomainError:
        return error_response(404, "NOT_FOUND", "Customer not found")
    session = ReadSession(request.app.state.runtime.engine, principal.tenant_id)
    try:
        report = await reports.gather(session, customer_id, principal.subject, date.today())
    finally:
        await session.close()
    if report is None:
        return error_response(404, "NOT_FOUND", "Customer not found")
    return Response(
        await reports.render_pdf(report, lang),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="credit-file-{lang}.pdf"',
            "Cache-Control": "no-store",
        },
    )


@asynccontextmanager
async def reading(request: Request, principal: Any) -> AsyncIterator[ReadSession]:
    """A read session in the caller's tenant for one document, closed after it."""
    session = ReadSession(request.app.state.runtime.engine, principal.tenant_id)
    try:
        yield session
    finally:
        await session.close()


def _lang(request: Request) -> str | None:
    lang = request.query_params.get("lang", "zh-CN")
    return lang if lang in reports.LANGUAGES else None


async def statement_pdf(request: Request) -> Response:
    """GET /documents/statements/{id}.pdf?lang=zh-CN: the kept PDF (rendered if missing)."""
    principal = await principal_or_error(request, roles.READ_RECEIVABLES)
    if isinstance(principal, Response):
        return principal
    lang = _lang(request)
    if lang is None:
        return error_response(400, "BAD_USER_INPUT", "lang must be zh-CN or en")
    try:
        statement_id = from_global_id(request.path_params["id"], "Statement")[1]
    except DomainError:
        return error_response(404, "NOT_FOUND", "Statement not found")
    actor = Actor(principal.subject, principal.roles)
    async with UnitOfWork(request.app.state.runtime.engine, principal.tenant_id, actor) as uow:
        pdf = await documents.statement_pdf(uow, statement_id, lang)
        await uow.commit()  # a PDF rendered now is kept
    if pdf is None:
        return error_response(404, "NOT_FOUND", "Statement not found")
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="statement-{lang}.pdf"',
            "Cache-Control": "no-store",
        },
    )


async def dunning_letter_pdf(request: Request) -> Response:
    """GET /documents/customers/{id}/dunning-letter.pdf?kind=REMINDER&lang=zh-CN."""
    principal = await principal_or_error(request, roles.WORK_COLLECTIONS)
    if isinstance(principal, Response):
        return principal
    lang = _lang(request)
    kind = request.query_params.get("kind", "REMINDER")
    if lang is None or kind not in ("REMINDER", "DEMAND", "LAWYER"):
        return error_response(
            400, "BAD_USER_INPUT", "lang is zh-CN or en; kind REMINDER, DEMAND, LAWYER"
        )
    try:
        customer_id = from_global_id(request.path_params["id"], "Customer")[1]
    except DomainError:
        return error_response(404, "NOT_FOUND", "Customer not found")
    async with reading(request, principal) as session:
        letter = await dunning.letter_data(session, customer_id, kind, date.today())
    if letter is None:
        return error_response(404, "NOT_FOUND", "Customer not found")
    return Response(
        await dunning.render_letter(letter, lang),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{kind.lower()}-{lang}.pdf"',
            "Cache-Control": "no-store",
        },
    )


async def activities_csv(request: Request) -> Response:
    """GET /documents/customers/{id}/activities.csv: the evidence chain, oldest first."""
    principal = await principal_or_error(request, roles.READ_CASES)
    if isinstance(principal, Response):
        return principal
    try:
        customer_id = from_global_id(request.path_params["id"], "Customer")[1]
    except DomainError:
        return error_response(404, "NOT_FOUND", "Customer not found")
    async with reading(request, principal) as session:
        text = await evidence.activities_csv(session, customer_id)
    if text is None:
        return error_response(404, "NOT_FOUND", "Customer not found")
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="activities.csv"'},
    )
