"""Overdue notifications to the insurer (逾期通知): insured overdue invoices of one customer
under one policy, the letter kept as sent; also the checks a claim makes of its invoices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.ledger_tables import invoices
from dbschema.queries import customers as customer_queries
from dbschema.risk_insurance_tables import insurer_notification_lines, insurer_notifications
from domain.dates import check_date
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.risk.insurance_clock import Reason
from services.risk import documents
from services.risk.insurance import locked_policy
from services.risk.insurance_clock import InvoiceInsurance, insurance_in
from services.uow import UnitOfWork

MAX_INVOICES = 500  #: invoices one notification or claim names


@dataclass(frozen=True, slots=True)
class Notified:
    """An overdue notification sent to the insurer, and its document."""

    notification_id: UUID
    document_id: UUID


@dataclass(frozen=True, slots=True)
class Checked:
    policy: Any
    customer: Any
    rows: list[Any]
    insurance: list[InvoiceInsurance]


async def checked_invoices(
    uow: UnitOfWork, customer_id: UUID, invoice_ids: list[UUID], on: date, what: str
) -> Checked:
    """The invoices of one customer, each insured and overdue on `on`, under one policy."""
    check_date(on, "filedOn" if what == "claim" else "notifiedOn")
    if not invoice_ids:
        raise DomainError("REQUIRED", "name at least one invoice", "invoiceIds")
    if len(invoice_ids) > MAX_INVOICES or len(set(invoice_ids)) != len(invoice_ids):
        raise DomainError("TOO_MANY", f"at most {MAX_INVOICES} distinct invoices", "invoiceIds")
    found_customers = await customer_queries.by_ids(uow.conn, [customer_id])
    if not found_customers:
        raise NotFound("customerId", "customer")
    customer = found_customers[0]
    rows = {
        r.id: r
        for r in await uow.conn.execute(
            sa.select(invoices).where(invoices.c.id.in_(invoice_ids)).with_for_update()
        )
    }
    found = await insurance_in(uow, invoice_ids, on)
    errors: list[DomainError] = []
    policies: set[UUID] = set()
    for n, (invoice_id, state) in enumerate(zip(invoice_ids, found, strict=True)):
        field = f"invoiceIds.{n}"
        row = rows.get(invoice_id)
        if row is None or state is None or row.customer_id != customer_id:
            errors.append(NotFound(field, "invoice"))
            continue
        if state.reason is not Reason.INSURED:
            code = "CLAIM_NOT_INSURED" if what == "claim" else "INVOICE_NOT_INSURED"
            errors.append(
                DomainError(code, f"{row.number} is not insured: {state.reason.value}", field)
            )
        elif row.due_date >= on:
            errors.append(DomainError("NOT_OVERDUE", f"{row.number} is not overdue yet", field))
        if state.policy_id is not None:
            policies.add(state.policy_id)
    if errors:
        raise ValidationFailed(errors)
    if len(policies) != 1:
        raise DomainError("MIXED_POLICIES", "one policy (one currency) at a time", "invoiceIds")
    policy = await locked_policy(uow, policies.pop(), "invoiceIds")
    ordered = [rows[i] for i in invoice_ids]
    return Checked(policy, customer, ordered, [s for s in found if s is not None])


def buyer_content(customer: Any) -> dict[str, Any]:
    return {
        "code": customer.code,
        "legalName": customer.legal_name,
        "country": customer.country,
        "registrationNumber": customer.registration_number,
    }


def policy_content(row: Any) -> dict[str, Any]:
    return {
        "insurer": row.insurer,
        "policyNumber": row.policy_number,
        "currency": row.currency.strip(),
        "startsOn": row.starts_on.isoformat(),
        "endsOn": row.ends_on.isoformat(),
        "indemnityPercent": str(row.indemnity_percent.normalize()),
        "deductibleKind": row.deductible_kind,
        "deductibleMinor": row.deductible_minor,
        "maxLiabilityMinor": row.max_liability_minor,
    }


async def notify_insurer(
    uow: UnitOfWork, customer_id: UUID, invoice_ids: list[UUID], notified_on: date
) -> Notified:
    """Tell the insurer a customer's insured invoices are overdue (keeps the letter sent)."""
    checked = await checked_invoices(uow, customer_id, invoice_ids, notified_on, "notification")
    currency = checked.policy.currency.strip()
    total = sum(s.open_minor for s in checked.insurance)
    notification_id: UUID = await uow.conn.scalar(
        insurer_notifications.insert()
        .values(
            tenant_id=uow.tenant_id,
            policy_id=checked.policy.id,
            customer_id=customer_id,
            notified_on=notified_on,
            currency=currency,
            total_minor=total,
            created_by=uow.actor.subject,
        )
        .returning(insurer_notifications.c.id)
    )
    await uow.conn.execute(
        insurer_notification_lines.insert(),
        [
            {
                "tenant_id": uow.tenant_id,
                "notification_id": notification_id,
                "invoice_id": s.invoice_id,
                "open_minor": s.open_minor,
            }
            for s in checked.insurance
        ],
    )
    content = {
        "notificationId": str(notification_id),
        "notifiedOn": notified_on.isoformat(),
        "policy": policy_content(checked.policy),
        "buyer": buyer_content(checked.customer),
        "currency": currency,
        "coverLimitMinor": max(s.limit_at_delivery_minor or 0 for s in checked.insurance),
        "invoices": [
            {
                "number": r.number,
                "issueDate": r.issue_date.isoformat(),
                "dueDate": r.due_date.isoformat(),
                "amountMinor": r.amount_minor,
                "openMinor": s.open_minor,
            }
            for r, s in zip(checked.rows, checked.insurance, strict=True)
        ],
        "totalMinor": total,
    }
    document_id = await documents.create(uow, "OVERDUE_NOTIFICATION", customer_id, content)
    await uow.conn.execute(
        insurer_notifications.update()
        .where(insurer_notifications.c.id == notification_id)
        .values(document_id=document_id)
    )
    return Notified(notification_id, document_id)
