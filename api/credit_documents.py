"""Routes of the credit letters: the agreement and the application decision as PDFs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any
from uuid import UUID

from starlette.requests import Request
from starlette.responses import Response

from api.routes import _lang, document_response, error_response, principal_or_error, reading
from domain import roles
from domain.errors import DomainError
from schema.relay import InvalidId, from_global_id
from services.credit import credit_documents as docs
from services.delivery.letterhead import file_name


async def _pdf(
    request: Request,
    type_name: str,
    gather: Callable[[Any, UUID], Awaitable[Any]],
    render: Callable[[Any, str], Awaitable[bytes]],
    kind: str,
    dated: Callable[[Any], date],
) -> Response:
    principal = await principal_or_error(request, roles.READ_CREDIT_APPLICATIONS)
    if isinstance(principal, Response):
        return principal
    lang = _lang(request)
    if lang is None:
        return error_response(400, "BAD_USER_INPUT", "lang must be zh-CN or en")
    try:
        raw = from_global_id(request.path_params["id"], type_name)[1]
    except (DomainError, InvalidId):
        return error_response(404, "NOT_FOUND", f"{type_name} not found")
    async with reading(request, principal) as session:
        doc = await gather(session, raw)
    if doc is None:
        return error_response(404, "NOT_FOUND", f"{type_name} not found")
    filename = file_name(kind, doc.customer_code, dated(doc), lang, "pdf")
    return document_response(await render(doc, lang), "application/pdf", filename)


async def credit_agreement_pdf(request: Request) -> Response:
    """GET /documents/credit-agreements/{id}.pdf?lang=zh-CN: the agreement (赊销协议)."""
    return await _pdf(
        request,
        "CreditAgreement",
        lambda session, raw: docs.agreement_doc(session, raw, session.today),
        docs.agreement_pdf,
        "credit-agreement",
        lambda doc: doc.signed_on or doc.valid_from,
    )


async def credit_decision_pdf(request: Request) -> Response:
    """GET /documents/credit-applications/{id}/decision.pdf?lang=en: the decision letter."""
    return await _pdf(
        request,
        "CreditApplication",
        docs.decision_doc,
        docs.decision_pdf,
        "credit-decision",
        lambda doc: doc.decided_on or doc.submitted_on,
    )
