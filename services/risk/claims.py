"""Claims (索赔), the insurer's payments, recoveries shared with the insurer.

A claim names invoices of one customer under one policy, each insured on its
date (a claim on an uninsured invoice is refused with the reason). Filing a claim computes the
indemnity (domain.risk.claims) and keeps a claim pack: the invoices, the computation, and the
statements, collection activities and notifications as evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.collections_tables import activities, statements
from dbschema.ledger_tables import invoices
from dbschema.queries import risk_insurance as q
from dbschema.queries.events import record_event
from dbschema.risk_claim_tables import claim_lines, claim_movements, insurance_claims
from dbschema.risk_insurance_tables import insurer_notification_lines, insurer_notifications
from domain.audit import AuditAction
from domain.dates import check_date
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.money import Money
from domain.risk import claims as rules
from domain.risk.insurance_clock import Reason
from domain.risk.insurance_covers import covered_amounts
from domain.risk.transfer import TEXT_MAX, check_text
from services import audit
from services.idempotency import Operation, run_once
from services.risk import documents
from services.risk.insurance import locked_policy, terms_of
from services.risk.insurance_notifications import (
    Checked,
    buyer_content,
    checked_invoices,
    policy_content,
)
from services.uow import UnitOfWork

EVIDENCE_ACTIVITIES = 200  #: the newest collection activities a claim pack lists


@dataclass(frozen=True, slots=True)
class ClaimStep:
    """What a claim step touched, and whether an idempotency key replayed it."""

    claim_id: UUID
    replayed: bool = False


FILE_CLAIM = Operation("FILE_INSURANCE_CLAIM", ClaimStep)
RECORD_INDEMNITY = Operation("RECORD_INDEMNITY_PAYMENT", ClaimStep)
RECORD_RECOVERY = Operation("RECORD_CLAIM_RECOVERY", ClaimStep)


async def _covered(uow: UnitOfWork, checked: Checked, on: date) -> dict[str, int]:
    """What the cover takes of each invoice, in delivery order among the customer's insured."""
    rows = await q.statuses(uow.conn, on, [checked.customer.id])
    items = [
        (str(r.id), r.issue_date, int(r.open_at), int(r.limit_minor))
        for r in rows
        if r.reason == Reason.INSURED.value and r.policy_id == checked.policy.id
    ]
    return covered_amounts(items)


async def file_claim(
    uow: UnitOfWork, customer_id: UUID, invoice_ids: list[UUID], filed_on: date, key: str
) -> ClaimStep:
    """File a claim once per key: the indemnity computed, the claim pack kept."""
    content = {"customer": str(customer_id), "invoices": [str(i) for i in invoice_ids]}
    content["filedOn"] = filed_on.isoformat()

    async def work() -> ClaimStep:
        return ClaimStep(await _file(uow, customer_id, invoice_ids, filed_on))

    step, replayed = await run_once(uow, FILE_CLAIM, key, content, work)
    return replace(step, replayed=replayed)


async def _file(
    uow: UnitOfWork, customer_id: UUID, invoice_ids: list[UUID], filed_on: date
) -> UUID:
    checked = await checked_invoices(uow, customer_id, invoice_ids, filed_on, "claim")
    live = (
        await uow.conn.execute(
            sa.select(claim_lines.c.invoice_id).where(
                claim_lines.c.invoice_id.in_(invoice_ids), ~claim_lines.c.released
            )
        )
    ).scalars()
    taken = set(live)
    if taken:
        raise ValidationFailed(
            [
                DomainError(
                    "ALREADY_CLAIMED", f"{r.number} is in a claim already", f"invoiceIds.{n}"
                )
                for n, r in enumerate(checked.rows)
                if r.id in taken
            ]
        )
    policy = checked.policy
    terms = terms_of(policy)
    covered = await _covered(uow, checked, filed_on)
    loss = sum(covered.get(str(r.id), 0) for r in checked.rows)
    c = insurance_claims.c
    earlier = (
        await uow.conn.execute(
            sa.select(
                sa.func.coalesce(sa.func.sum(c.deductible_minor), 0),
                sa.func.coalesce(sa.func.sum(c.indemnity_minor), 0),
            ).where(c.policy_id == policy.id, c.status != "REJECTED")
        )
    ).one()
    cap = max(s.limit_at_delivery_minor or 0 for s in checked.insurance)
    result = rules.indemnity(loss, terms, cap, int(earlier[0]), int(earlier[1]))
    open_total = sum(s.open_minor for s in checked.insurance)
    claim_id: UUID = await uow.conn.scalar(
        insurance_claims.insert()
        .values(
            tenant_id=uow.tenant_id,
            policy_id=policy.id,
            customer_id=customer_id,
            currency=terms.currency,
            filed_on=filed_on,
            open_minor=open_total,
            covered_loss_minor=loss,
            deductible_minor=result.deductible_minor,
            indemnity_percent=terms.indemnity_percent,
            cover_cap_minor=cap,
            indemnity_minor=result.indemnity_minor,
            capped_by=result.capped_by,
            created_by=uow.actor.subject,
        )
        .returning(insurance_claims.c.id)
    )
    await uow.conn.execute(
        claim_lines.insert(),
        [
            {
                "tenant_id": uow.tenant_id,
                "claim_id": claim_id,
                "invoice_id": s.invoice_id,
                "open_minor": s.open_minor,
                "covered_minor": covered.get(str(s.invoice_id), 0),
            }
            for s in checked.insurance
        ],
    )
    pack = await _pack(uow, checked, claim_id, filed_on, covered, result)
    document_id = await documents.create(uow, "CLAIM_PACK", customer_id, pack)
    await uow.conn.execute(
        insurance_claims.update().where(c.id == claim_id).values(document_id=document_id)
    )
    payload = {
        "claimId": str(claim_id),
        "customerId": str(customer_id),
        "policyId": str(policy.id),
        "indemnityMinor": result.indemnity_minor,
        "currency": terms.currency,
        "filedOn": filed_on.isoformat(),
    }
    await record_event(uow.conn, uow.tenant_id, "risk.claim_filed", payload)
    await audit.record(
        uow,
        AuditAction.FILE_INSURANCE_CLAIM,
        "InsuranceClaim",
        claim_id,
        customer_id,
        {"indemnityMinor": {"before": None, "after": result.indemnity_minor}},
    )
    return claim_id


async def _pack(
    uow: UnitOfWork,
    checked: Checked,
    claim_id: UUID,
    filed_on: date,
    covered: dict[str, int],
    result: rules.Indemnity,
) -> dict[str, Any]:
    """The claim pack's content: invoices, computation and the evidence on file."""
    customer_id = checked.customer.id
    n, nl = insurer_notifications, insurer_notification_lines
    told: dict[UUID, dict[str, Any]] = {}
    rows = await uow.conn.execute(
        sa.select(n.c.id, n.c.notified_on, n.c.total_minor, n.c.currency, invoices.c.number)
        .join(nl, sa.and_(nl.c.tenant_id == n.c.tenant_id, nl.c.notification_id == n.c.id))
        .join(
            invoices,
            sa.and_(invoices.c.tenant_id == nl.c.tenant_id, invoices.c.id == nl.c.invoice_id),
        )
        .where(n.c.customer_id == customer_id, n.c.notified_on <= filed_on)
        .order_by(n.c.notified_on, invoices.c.number)
    )
    for r in rows:
        entry = told.setdefault(
            r.id,
            {
                "notifiedOn": r.notified_on.isoformat(),
                "totalMinor": r.total_minor,
                "currency": r.currency.strip(),
                "invoices": [],
            },
        )
        entry["invoices"].append(r.number)
    kept = await uow.conn.execute(
        sa.select(statements)
        .where(statements.c.customer_id == customer_id)
        .order_by(statements.c.period, statements.c.currency)
    )
    done = await uow.conn.execute(
        sa.select(activities)
        .where(activities.c.customer_id == customer_id)
        .order_by(activities.c.occurred_at.desc())
        .limit(EVIDENCE_ACTIVITIES)
    )
    return {
        "claimId": str(claim_id),
        "filedOn": filed_on.isoformat(),
        "policy": policy_content(checked.policy),
        "buyer": buyer_content(checked.customer),
        "currency": checked.policy.currency.strip(),
        "invoices": [
            {
                "number": r.number,
                "issueDate": r.issue_date.isoformat(),
                "dueDate": r.due_date.isoformat(),
                "amountMinor": r.amount_minor,
                "openMinor": s.open_minor,
                "coveredMinor": covered.get(str(r.id), 0),
            }
            for r, s in zip(checked.rows, checked.insurance, strict=True)
        ],
        "indemnity": {
            "coveredLossMinor": result.covered_loss_minor,
            "deductibleMinor": result.deductible_minor,
            "indemnityPercent": str(result.indemnity_percent.normalize()),
            "beforeCapsMinor": result.before_caps_minor,
            "coverCapMinor": result.cover_cap_minor,
            "liabilityLeftMinor": result.liability_left_minor,
            "indemnityMinor": result.indemnity_minor,
            "cappedBy": result.capped_by,
        },
        "evidence": {
            "notifications": list(told.values()),
            "statements": [
                {
                    "period": s.period.strftime("%Y-%m"),
                    "currency": s.currency.strip(),
                    "closingMinor": s.closing_minor,
                    "status": s.status,
                    "statusAt": s.status_at.date().isoformat() if s.status_at else None,
                }
                for s in kept
            ],
            "activities": [
                {
                    "occurredAt": a.occurred_at.date().isoformat(),
                    "kind": a.kind,
                    "outcome": a.outcome or "",
                    "notes": a.notes or "",
                }
                for a in reversed(list(done))
            ],
        },
    }


async def _locked_claim(uow: UnitOfWork, claim_id: UUID) -> Any:
    row = (
        await uow.conn.execute(
            sa.select(insurance_claims).where(insurance_claims.c.id == claim_id).with_for_update()
        )
    ).first()
    if row is None:
        raise NotFound("claimId", "claim")
    return row


async def _settled(uow: UnitOfWork, claim: Any, status: str, extra: dict[str, Any]) -> None:
    payload = {
        "claimId": str(claim.id),
        "customerId": str(claim.customer_id),
        "status": status,
        "currency": claim.currency.strip(),
        **extra,
    }
    await record_event(uow.conn, uow.tenant_id, "risk.claim_settled", payload)
    await audit.record(
        uow,
        AuditAction.SETTLE_INSURANCE_CLAIM,
        "InsuranceClaim",
        claim.id,
        claim.customer_id,
        {"status": {"before": claim.status, "after": status}},
    )


def _positive_minor(amount: str, currency: str) -> int:
    return Money.parse(amount, currency, "amount").minor


async def record_payment(
    uow: UnitOfWork, claim_id: UUID, amount: str, paid_on: date, reference: str | None, key: str
) -> ClaimStep:
    """The insurer paid (part of) a claim: PAID once the indemnity is paid in full."""
    content = {"claim": str(claim_id), "amount": amount, "on": paid_on, "ref": reference}

    async def work() -> ClaimStep:
        check_date(paid_on, "paidOn")
        claim = await _locked_claim(uow, claim_id)
        minor = _positive_minor(amount, claim.currency.strip())
        status = rules.after_payment(
            rules.ClaimStatus(claim.status), claim.indemnity_minor, claim.paid_minor, minor
        )
        await _movement(uow, claim_id, "INDEMNITY", paid_on, minor, 0, reference)
        await uow.conn.execute(
            insurance_claims.update()
            .where(insurance_claims.c.id == claim_id)
            .values(status=status.value, paid_minor=insurance_claims.c.paid_minor + minor)
        )
        await _settled(uow, claim, status.value, {"paidMinor": claim.paid_minor + minor})
        return ClaimStep(claim_id)

    step, replayed = await run_once(uow, RECORD_INDEMNITY, key, content, work)
    return replace(step, replayed=replayed)


async def reject(uow: UnitOfWork, claim_id: UUID, reason: str) -> ClaimStep:
    """The insurer refused a claim: its invoices are free to be claimed again."""
    text = check_text(reason, "reason", TEXT_MAX, required=True)
    claim = await _locked_claim(uow, claim_id)
    rules.check_rejectable(rules.ClaimStatus(claim.status))
    await uow.conn.execute(
        insurance_claims.update()
        .where(insurance_claims.c.id == claim_id)
        .values(status="REJECTED", rejection_reason=text)
    )
    await uow.conn.execute(
        claim_lines.update().where(claim_lines.c.claim_id == claim_id).values(released=True)
    )
    await _settled(uow, claim, "REJECTED", {"reason": text})
    return ClaimStep(claim_id)


async def record_recovery(
    uow: UnitOfWork,
    claim_id: UUID,
    amount: str,
    received_on: date,
    reference: str | None,
    key: str,
) -> ClaimStep:
    """Money recovered from the buyer after an indemnity: the insurer's share is recorded as
    owed to it (the policy's percentage, never beyond what it paid)."""
    content = {"claim": str(claim_id), "amount": amount, "on": received_on, "ref": reference}

    async def work() -> ClaimStep:
        check_date(received_on, "receivedOn")
        claim = await _locked_claim(uow, claim_id)
        minor = _positive_minor(amount, claim.currency.strip())
        policy = await locked_policy(uow, claim.policy_id, "claimId")
        split = rules.recovery_split(
            minor, terms_of(policy).recovery_share_percent, claim.paid_minor, claim.shared_minor
        )
        await _movement(
            uow, claim_id, "RECOVERY", received_on, minor, split.insurer_minor, reference
        )
        await uow.conn.execute(
            insurance_claims.update()
            .where(insurance_claims.c.id == claim_id)
            .values(shared_minor=insurance_claims.c.shared_minor + split.insurer_minor)
        )
        return ClaimStep(claim_id)

    step, replayed = await run_once(uow, RECORD_RECOVERY, key, content, work)
    return replace(step, replayed=replayed)


async def _movement(
    uow: UnitOfWork,
    claim_id: UUID,
    kind: str,
    on: date,
    minor: int,
    insurer_minor: int,
    reference: str | None,
) -> None:
    await uow.conn.execute(
        claim_movements.insert().values(
            tenant_id=uow.tenant_id,
            claim_id=claim_id,
            kind=kind,
            on_date=on,
            amount_minor=minor,
            insurer_minor=insurer_minor,
            reference=check_text(reference, "reference", 200),
            created_by=uow.actor.subject,
        )
    )
