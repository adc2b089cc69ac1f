"""Plain HTTP routes: health, readiness, metrics, documents."""

from __future__ import annotations

import asyncio
from datetime import date

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.auth import AuthError
from domain import roles
from domain.errors import DomainError
from schema.relay import from_global_id
from services import reports
from services.request_context import tenant_var


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


def _error(status: int, code: str, message: str) -> Response:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


async def credit_file_pdf(request: Request) -> Response:
    """GET /documents/customers/{id}/credit-file.pdf?lang=zh-CN with a bearer token."""
    verifier = request.app.state.verifier
    try:
        principal = await verifier.from_header(request.headers.get("authorization"))
    except AuthError as exc:
        return _error(401, "UNAUTHENTICATED", str(exc))
    tenant_var.set(principal.tenant_slug)
    if not principal.roles & roles.READ_CREDIT_REPORT:
        return _error(403, "FORBIDDEN", "Your roles do not allow this report")
    lang = request.query_params.get("lang", "zh-CN")
    if lang not in reports.LANGUAGES:
        return _error(400, "BAD_USER_INPUT", f"lang must be one of {', '.join(reports.LANGUAGES)}")
    try:
        customer_id = from_global_id(request.path_params["id"], "Customer")[1]
    except DomainError:
        return _error(404, "NOT_FOUND", "Customer not found")
    pdf = await reports.credit_file_pdf(
        request.app.state.runtime.engine,
        principal.tenant_id,
        customer_id,
        principal.subject,
        lang,
        date.today(),
    )
    if pdf is None:
        return _error(404, "NOT_FOUND", "Customer not found")
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="credit-file-{lang}.pdf"',
            "Cache-Control": "no-store",
        },
    )
