"""An application's grant filed anew once its limit request went stale.

A grant's limit request that a later limit of the customer overtook can never be approved
(STALE_REQUEST): approving it would undo that limit, and its tier was set without it. Rather
than lose the grant (and its terms, which wait for the limit), its limit is filed again
through `limits.set_limit` against the limit now in force: a new request with its own tier
and approvals, basis APPLICATION, naming the manager who granted it (who may not approve it),
and linked to the application in place of the stale one, so that approving it sets the
granted terms (limit_grants). The stale request stays as it was (history is not edited); the
change of link is audited on the application.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

import sqlalchemy as sa

from dbschema.credit_application_tables import credit_applications
from domain.audit import AuditAction
from domain.credit import applications as rules
from domain.credit.application_limits import LimitStatus, check_refile
from domain.credit.bounds import clean_text
from domain.errors import DomainError, NotFound, ValidationFailed
from services.credit.application_reads import (
    WITH_LIMIT_STATUS,
    ApplicationView,
    opinions_of,
    view_of,
)
from services.credit.applications import file_grant
from services.credit.trail import audited
from services.uow import UnitOfWork


async def _locked(uow: UnitOfWork, application_id: UUID) -> ApplicationView:
    """The application locked, so two re-filings take turns, then read with its limit's status
    by a statement of its own (one that waited for the lock sees the request filed meanwhile)."""
    found = await uow.conn.scalar(
        sa.select(credit_applications.c.id)
        .where(credit_applications.c.id == application_id)
        .with_for_update()
    )
    if found is None:
        raise NotFound("id", "credit application")
    return await _reload(uow, application_id)


async def _reload(uow: UnitOfWork, application_id: UUID) -> ApplicationView:
    """The application as the caller sees it now, with its opinions and new request."""
    row = (
        await uow.conn.execute(WITH_LIMIT_STATUS.where(credit_applications.c.id == application_id))
    ).one()
    return view_of(row, (await opinions_of(uow.conn, [application_id]))[application_id])


async def refile_limit(
    uow: UnitOfWork, application_id: UUID, reason: str | None, today: date
) -> ApplicationView:
    """File a granted application's stale limit request anew (only a stale one, and only while
    the grant runs), keeping the application's link, so its approval brings the terms."""
    errors: list[DomainError] = []
    text = clean_text(reason, "reason", rules.MAX_TEXT, errors, required=False)
    if errors:
        raise ValidationFailed(errors)
    view = await _locked(uow, application_id)
    status = LimitStatus(view.limit_status) if view.limit_status else None
    check_refile(status, view.granted, today)
    assert view.granted is not None and view.decided_by is not None
    granted = view.granted
    stale = view.limit_request_id
    note = f"credit application {view.id}, re-filed: request {stale} went stale"
    if text:
        note += f": {text}"
    request = await file_grant(uow, view.customer_id, granted, note, today, view.decided_by)
    await uow.conn.execute(
        credit_applications.update()
        .where(credit_applications.c.id == view.id)
        .values(
            limit_request_id=request.id,
            updated_at=sa.func.now(),
            version=credit_applications.c.version + 1,
        )
    )
    await audited(
        uow,
        "CreditApplication",
        view.id,
        view.customer_id,
        AuditAction.REFILE_APPLICATION_LIMIT,
        {
            "limitRequest": {"before": str(stale), "after": str(request.id)},
            "reason": {"before": None, "after": text},
        },
    )
    return await _reload(uow, view.id)
