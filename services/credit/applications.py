"""Credit applications: submitted, given an opinion per department, decided by a manager.

An approval or counter-offer applies what it grants through the same services as a manual
change: the limit is filed with `limits.set_limit` (basis APPLICATION, so the tenant's
approval matrix still applies), a class through `overrides.change_by_hand` (a downgrade at
once, an upgrade as an override request for a second credit manager). Agreed terms come with
the limit: `limits.approve_limit` sets them once the limit is approved (limit_grants), so a
rejected limit leaves the terms as they were. The application reads its limit request's
status beside it (`limitStatus`). The decision is logged with its snapshot and replays through
the pure `decide_application`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.credit_analysis_tables import credit_external_records, financial_statements
from dbschema.credit_application_tables import credit_application_opinions, credit_applications
from dbschema.queries import customers as customer_queries
from dbschema.queries.events import record_event
from domain.audit import AuditAction
from domain.credit import applications as rules
from domain.credit.bounds import clean_text
from domain.credit.limits import MAX_NOTE
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.money import Money
from services.configuration import payment_terms
from services.credit import limits, overrides
from services.credit.application_reads import (
    WITH_LIMIT_STATUS,
    ApplicationView,
    opinions_of,
    view_of,
)
from services.credit.decisions import record_decision, register_replayer
from services.credit.limit_views import LimitRequestView
from services.credit.trail import audited
from services.inputs import MoneyIn
from services.uow import UnitOfWork

TOPIC_SUBMITTED = "credit.application_submitted"
TOPIC_DECIDED = "credit.application_decided"
TOPIC_ESCALATED = "credit.application_escalated"
#: A pending application past its SLA raises this warning on the customer.
ESCALATION_WARNING = "CREDIT_APPLICATION_OVERDUE"
ESCALATION_LEVEL = "MEDIUM"  #: a stalled decision is a process risk, not a customer risk

register_replayer("APPLICATION", rules.decide_application)


@dataclass(frozen=True)
class ApplicationIn:
    """A new application as the API or a portal sends it."""

    customer_id: UUID
    requested_limit: MoneyIn
    payment_terms_code: str | None
    valid_from: date
    valid_to: date | None
    purpose: str | None
    reference: str | None = None
    statement_ids: Sequence[UUID] = ()
    external_record_ids: Sequence[UUID] = ()


@dataclass(frozen=True)
class DecisionIn:
    """A manager's decision; for a counter-offer, what differs from the request."""

    verdict: str
    reason: str | None
    limit: MoneyIn | None = None
    payment_terms_code: str | None = None
    valid_to: date | None = None
    rating_class: str | None = None


async def _locked(uow: UnitOfWork, application_id: UUID) -> Any:
    row = (
        await uow.conn.execute(
            sa.select(credit_applications)
            .where(credit_applications.c.id == application_id)
            .with_for_update()
        )
    ).first()
    if row is None:
        raise NotFound("id", "credit application")
    return row


async def _reload(uow: UnitOfWork, application_id: UUID) -> ApplicationView:
    row = (
        await uow.conn.execute(WITH_LIMIT_STATUS.where(credit_applications.c.id == application_id))
    ).one()
    return view_of(row, (await opinions_of(uow.conn, [application_id]))[application_id])


async def _check_attachments(uow: UnitOfWork, data: ApplicationIn) -> None:
    """Every attachment not the customer's, each at its place in the input."""
    missing: list[DomainError] = []
    for ids, table, field in (
        (data.statement_ids, financial_statements, "statementIds"),
        (data.external_record_ids, credit_external_records, "externalRecordIds"),
    ):
        if not ids:
            continue
        found = set(
            await uow.conn.scalars(
                sa.select(table.c.id).where(
                    table.c.id.in_(list(ids)), table.c.customer_id == data.customer_id
                )
            )
        )
        missing += [
            DomainError("NOT_FOUND", "not a record of this customer", f"{field}.{n}")
            for n, record in enumerate(ids)
            if record not in found
        ]  # each at its place in the input, as an id is decoded
    if missing:
        raise ValidationFailed(missing)


async def submit(uow: UnitOfWork, data: ApplicationIn, today: date) -> ApplicationView:
    """File an application (one that has already ended, or above the document ceiling, is
    refused: it could never be granted); the SLA clock starts today."""
    money = Money.parse(
        data.requested_limit.amount, data.requested_limit.currency, "requestedLimit"
    )
    code = rules.terms_code(data.payment_terms_code)
    grant = rules.Grant(money, code, data.valid_from, data.valid_to)
    checked = rules.check_application(
        grant,
        data.purpose,
        data.reference,
        data.statement_ids,
        data.external_record_ids,
        today=today,
    )
    if not await customer_queries.by_ids(uow.conn, [data.customer_id]):
        raise NotFound("customerId", "customer")
    if code is not None and not await payment_terms.exists(uow, code):
        raise DomainError("NOT_FOUND", f"no payment terms {code!r}", "paymentTermsCode")
    await _check_attachments(uow, data)
    if checked.reference is not None and await uow.conn.scalar(
        sa.select(credit_applications.c.id).where(
            credit_applications.c.application_ref == checked.reference
        )
    ):
        raise DomainError("DUPLICATE_REFERENCE", "this reference is taken", "applicationRef")
    row = (
        await uow.conn.execute(
            credit_applications.insert()
            .values(
                tenant_id=uow.tenant_id,
                customer_id=data.customer_id,
                application_ref=checked.reference,
                currency=money.currency,
                requested_minor=money.minor,
                requested_terms_code=code,
                valid_from=data.valid_from,
                valid_to=data.valid_to,
                purpose=checked.purpose,
                statement_ids=list(data.statement_ids),
                record_ids=list(data.external_record_ids),
                required_opinions=[r.value for r in rules.DEFAULT_REQUIRED_OPINIONS],
                submitted_on=today,
                sla_due_on=rules.sla_due_on(today, rules.DEFAULT_SLA_DAYS),
                created_by=uow.actor.subject,
            )
            .returning(credit_applications)
        )
    ).one()
    await audited(
        uow,
        "CreditApplication",
        row.id,
        data.customer_id,
        AuditAction.SUBMIT_CREDIT_APPLICATION,
        {"requested": {"before": None, "after": grant.to_json()}},
    )
    await record_event(
        uow.conn,
        uow.tenant_id,
        TOPIC_SUBMITTED,
        {"applicationId": str(row.id), "customerId": str(data.customer_id)},
    )
    return view_of(row, [])


async def give_opinion(
    uow: UnitOfWork, application_id: UUID, role: str, recommendation: str, comment: str | None
) -> ApplicationView:
    """Record one department's opinion (once, by that role, never the applicant)."""
    errors: list[DomainError] = []
    try:
        dept = rules.OpinionRole(role)
        advice = rules.Recommendation(recommendation)
    except ValueError:
        raise DomainError("INVALID_KIND", "an unknown role or recommendation", "role") from None
    text = clean_text(comment, "comment", rules.MAX_TEXT, errors, required=False)
    if errors:
        raise errors[0]
    row = await _locked(uow, application_id)
    given = [rules.OpinionRole(o.role) for o in (await opinions_of(uow.conn, [row.id]))[row.id]]
    rules.check_opinion(
        row.created_by,
        uow.actor.subject,
        uow.actor.roles,
        dept,
        rules.ApplicationStatus(row.status),
        given,
    )
    await uow.conn.execute(
        credit_application_opinions.insert().values(
            tenant_id=uow.tenant_id,
            application_id=row.id,
            role=dept.value,
            recommendation=advice.value,
            comment=text,
            created_by=uow.actor.subject,
        )
    )
    await audited(
        uow,
        "CreditApplication",
        row.id,
        row.customer_id,
        AuditAction.GIVE_APPLICATION_OPINION,
        {"opinion": {"before": None, "after": {"role": dept.value, "advice": advice.value}}},
    )
    return await _reload(uow, row.id)


async def decide(
    uow: UnitOfWork, application_id: UUID, data: DecisionIn, today: date
) -> ApplicationView:
    """Approve, counter-offer or reject (never by the applicant nor an opinion giver); what is
    granted is applied through the services a manual change uses, the terms once its limit is
    approved, and the decision is logged with its snapshot."""
    row = await _locked(uow, application_id)
    view = view_of(row, (await opinions_of(uow.conn, [row.id]))[row.id])
    try:
        verdict = rules.Verdict(data.verdict)
    except ValueError:
        raise DomainError("INVALID_KIND", "APPROVE, COUNTER_OFFER or REJECT", "verdict") from None
    limit = None
    if data.limit is not None:
        limit = Money.parse(data.limit.amount, data.limit.currency, "limit")
    code = rules.terms_code(data.payment_terms_code)
    offered = rules.offered_grant(
        view.requested, limit, code, None, data.valid_to, data.rating_class, today=today
    )
    reason = (data.reason or "").strip()
    snapshot: dict[str, Any] = {
        "asOf": today.isoformat(),
        "status": view.status,
        "applicant": view.submitted_by,
        "decidedBy": uow.actor.subject,
        "requiredOpinions": list(view.required_opinions),
        "opinions": [
            {"role": o.role, "recommendation": o.recommendation, "givenBy": o.given_by}
            for o in view.opinions
        ],
        "reason": reason,
        "verdict": verdict.value,
        "requested": view.requested.to_json(),
        "offered": offered.to_json() if offered else None,
    }
    outcome = rules.decide_application(snapshot)
    granted = rules.Grant.from_json(outcome["granted"]) if outcome["granted"] else None
    if len(reason) > rules.MAX_TEXT:
        raise DomainError("TOO_LONG", f"at most {rules.MAX_TEXT} characters", "reason")
    if granted and granted.terms_code and not await payment_terms.exists(uow, granted.terms_code):
        raise DomainError(
            "NOT_FOUND", f"no payment terms {granted.terms_code!r}", "paymentTermsCode"
        )
    request_id = await _apply(uow, view, granted, reason, today)
    decision_id = await record_decision(
        uow, "APPLICATION", row.id, snapshot, outcome, {}, customer_id=row.customer_id
    )
    await uow.conn.execute(
        credit_applications.update()
        .where(credit_applications.c.id == row.id)
        .values(
            status=outcome["outcome"],
            verdict=verdict.value,
            decided_by=uow.actor.subject,
            decided_on=today,
            decision_reason=reason,
            granted=outcome["granted"],
            decision_id=decision_id,
            limit_request_id=request_id,
            updated_at=sa.func.now(),
            version=credit_applications.c.version + 1,
        )
    )
    await audited(
        uow,
        "CreditApplication",
        row.id,
        row.customer_id,
        AuditAction.DECIDE_CREDIT_APPLICATION,
        {"status": {"before": view.status, "after": outcome["outcome"]}},
    )
    await record_event(
        uow.conn,
        uow.tenant_id,
        TOPIC_DECIDED,
        {
            "applicationId": str(row.id),
            "customerId": str(row.customer_id),
            "outcome": outcome["outcome"],
            "decisionId": str(decision_id),
        },
    )
    return await _reload(uow, row.id)


async def file_grant(
    uow: UnitOfWork,
    customer_id: UUID,
    granted: rules.Grant,
    note: str,
    today: date,
    granted_by: str,
) -> LimitRequestView:
    """File a grant's limit for approval (basis APPLICATION: the tenant's matrix applies,
    never approved by `granted_by`), on a decision or when re-filed."""
    return await limits.set_limit(
        uow,
        customer_id,
        MoneyIn(granted.limit.to_decimal_string(), granted.limit.currency),
        granted.valid_from,
        granted.valid_to,
        basis="APPLICATION",
        note=note[:MAX_NOTE],
        today=today,
        granted_by=granted_by,
    )


async def _apply(
    uow: UnitOfWork, view: ApplicationView, granted: rules.Grant | None, reason: str, today: date
) -> UUID | None:
    if granted is None:
        return None
    request = await file_grant(
        uow, view.customer_id, granted, f"credit application {view.id}: {reason}", today,
        uow.actor.subject,
    )  # fmt: skip
    # the terms wait for the limit: limits.approve_limit sets them with it (limit_grants)
    if granted.rating_class:
        # an upgrade waits for a second credit manager, as any upgrade by hand does
        await overrides.change_by_hand(
            uow, view.customer_id, granted.rating_class, reason, "MANUAL", today
        )
    return request.id


async def escalate_overdue(uow: UnitOfWork, as_of: date) -> int:
    """Escalate each pending application past its SLA once: a warning on the customer for
    the credit manager, an event, and the day it was escalated (so a rerun does nothing)."""
    from services.warnings.signals import raise_warning

    rows = list(
        await uow.conn.execute(
            sa.select(credit_applications)
            .where(
                credit_applications.c.status == "PENDING",
                credit_applications.c.escalated_on.is_(None),
                credit_applications.c.sla_due_on < as_of,
            )
            .with_for_update(skip_locked=True)
        )
    )
    for row in rows:
        evidence = {
            "applicationId": str(row.id),
            "submittedOn": row.submitted_on.isoformat(),
            "slaDueOn": row.sla_due_on.isoformat(),
            "asOf": as_of.isoformat(),
        }
        await raise_warning(uow, row.customer_id, ESCALATION_WARNING, ESCALATION_LEVEL, evidence)
        await uow.conn.execute(
            credit_applications.update()
            .where(credit_applications.c.id == row.id)
            .values(escalated_on=as_of, updated_at=sa.func.now())
        )
        await audited(
            uow,
            "CreditApplication",
            row.id,
            row.customer_id,
            AuditAction.ESCALATE_CREDIT_APPLICATION,
            {"escalatedOn": {"before": None, "after": as_of.isoformat()}},
        )
        await record_event(uow.conn, uow.tenant_id, TOPIC_ESCALATED, evidence)
    return len(rows)
