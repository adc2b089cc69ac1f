"""Credit limits: requested, approved under four eyes by the tenant's matrix, then in force.

`set_limit` (what reviews and applications call too) files a request, tiered on the credit
it leaves in force (a temporary increase adds to the standard limit and running increases);
a group limit only on its group's one anchor (limit_groups). `approve_limit` refuses a request
filed before a later limit was approved (STALE_REQUEST, limit_history), one approved by the
manager whose application decision granted it, and a group limit whose group has its anchor
elsewhere by now (limit_groups, again: links change meanwhile); it adds an approval and,
once the tier's approvals are complete, appends the limit to its history (a change is always
a new row), applies what an application granted with it (limit_grants), records the decision
and publishes `credit.limit_changed`.
`expire_limits` is the sweep the nightly job calls: it records each lapsed limit once.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.credit_limit_tables import (
    credit_limit_approvals,
    credit_limit_requests,
    credit_limits,
)
from dbschema.queries import customers as customer_queries
from dbschema.queries.events import record_event
from domain.audit import AuditAction
from domain.credit import policy_snapshot
from domain.credit.bounds import clean_text
from domain.credit.limit_decision import decide_limit, in_base, resulting_limit
from domain.credit.limits import (
    MAX_NOTE,
    ApprovalTier,
    LimitBasis,
    LimitKind,
    LimitScope,
    check_approval,
    inputs_json,
    requirement,
    tier_requirement,
    validate_request,
)
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.money import Money, read_amount
from services.credit import class_policy, limit_grants, limit_groups, limit_history, rates
from services.credit.decisions import record_decision
from services.credit.limit_inputs import recommendation_inputs
from services.credit.limit_views import LimitRequestView, request_view
from services.credit.topics import TOPIC_LIMIT
from services.credit.trail import audited
from services.inputs import MoneyIn
from services.uow import UnitOfWork


def _enum(kind: Any, value: str, field: str, errors: list[DomainError]) -> Any:
    try:
        return kind(value)
    except ValueError:
        errors.append(DomainError("INVALID_KIND", f"one of {', '.join(kind.__members__)}", field))
        return None


async def set_limit(
    uow: UnitOfWork,
    customer_id: UUID,
    amount: MoneyIn,
    valid_from: date,
    valid_to: date | None,
    *,
    kind: str = "STANDARD",
    scope: str = "CUSTOMER",
    basis: str = "MANUAL",
    note: str | None = None,
    today: date,
    granted_by: str | None = None,
) -> LimitRequestView:
    """File a limit (or temporary increase, or group limit) for approval; its tier follows
    from the credit it leaves in force, in the base currency. Reviews and applications call
    this too (an application names the manager who granted it, who may not approve it)."""
    errors: list[DomainError] = []
    limit_kind = _enum(LimitKind, kind, "kind", errors)
    limit_scope = _enum(LimitScope, scope, "scope", errors)
    limit_basis = _enum(LimitBasis, basis, "basis", errors)
    money = read_amount(amount.amount, amount.currency, "amount", errors)
    # every input error together: a bad currency must not hide a bad amount or period
    text = validate_request(
        money, limit_kind, valid_from, valid_to, note, today=today, found=errors
    )
    assert isinstance(money, Money)
    customers = await customer_queries.by_ids(uow.conn, [customer_id])
    if not customers:
        raise NotFound("customerId", "customer")
    row = dict(customers[0]._mapping)
    policy = await class_policy.load(uow.conn)
    if limit_scope == LimitScope.GROUP:
        await limit_groups.check_one_group_limit(
            uow, customer_id, policy.group_relation_kinds, today
        )
    records, seen = await limit_history.running(uow, customer_id, limit_scope.value, valid_from)
    currencies = {
        money.currency,
        policy.base_currency,
        *(r.amount.currency for r in records),
        *(
            c.strip()
            for c in (row["registered_capital_currency"], row["annual_sales_currency"])
            if c
        ),
    }
    book = await rates.book_for(uow.conn, currencies, today, policy.base_currency)
    converted = book.convert(money, policy.base_currency, "amount.currency")
    resulting = resulting_limit(
        in_base(records, book, policy.base_currency),
        limit_kind,
        converted.amount,
        valid_from,
        valid_to,
    )
    needed = requirement(resulting, policy.approval)
    inputs = await recommendation_inputs(uow.conn, row, money.currency, policy)
    snapshot = {
        "asOf": today.isoformat(),
        "policy": policy_snapshot.to_json(policy),
        "rates": book.used(),
        "request": {
            "customerId": str(customer_id),
            "amount": {"minor": money.minor, "currency": money.currency},
            "kind": limit_kind.value,
            "scope": limit_scope.value,
            "basis": limit_basis.value,
            "validFrom": valid_from.isoformat(),
            "validTo": valid_to.isoformat() if valid_to else None,
            "requestedBy": uow.actor.subject,
            **({"grantedBy": granted_by} if granted_by is not None else {}),
        },
        "approvals": [],
        "rejectedBy": None,
        "recommendation": inputs_json(inputs),
        "limits": [r.to_json() for r in records],
        limit_history.SEEN_KEY: seen,
    }
    try:
        decide_limit(snapshot)
    except DomainError:  # no rate for the capital's or sales' currency: no recommendation
        snapshot["recommendation"] = None
    stored = (
        await uow.conn.execute(
            credit_limit_requests.insert()
            .values(
                tenant_id=uow.tenant_id,
                customer_id=customer_id,
                scope=limit_scope.value,
                kind=limit_kind.value,
                currency=money.currency,
                amount_minor=money.minor,
                valid_from=valid_from,
                valid_to=valid_to,
                basis=limit_basis.value,
                note=text,
                tier=needed.tier.value,
                approvals_required=needed.count,
                snapshot=snapshot,
                created_by=uow.actor.subject,
            )
            .returning(credit_limit_requests)
        )
    ).one()
    view = dict(stored._mapping)
    await _audit(uow, view, AuditAction.REQUEST_CREDIT_LIMIT, None, {"amount": money.minor})
    return request_view(view, [])


async def _audit(
    uow: UnitOfWork, row: dict[str, Any], verb: AuditAction, before: Any, after: dict[str, Any]
) -> None:
    await audited(
        uow,
        "CreditLimitRequest",
        row["id"],
        row["customer_id"],
        verb,
        {"request": {"before": before, "after": {"status": row["status"], **after}}},
    )


async def _locked_request(uow: UnitOfWork, request_id: UUID) -> tuple[dict[str, Any], list[Any]]:
    row = (
        await uow.conn.execute(
            sa.select(credit_limit_requests)
            .where(credit_limit_requests.c.id == request_id)
            .with_for_update()
        )
    ).first()
    if row is None:
        raise NotFound("id", "limit request")
    if row.status != "PENDING":
        raise DomainError("INVALID_STATUS", f"the request is {row.status.lower()}", "id")
    given = list(
        await uow.conn.execute(
            sa.select(credit_limit_approvals)
            .where(credit_limit_approvals.c.request_id == request_id)
            .order_by(credit_limit_approvals.c.at)
        )
    )
    return dict(row._mapping), given


async def _verdict(uow: UnitOfWork, request_id: UUID, verdict: str, reason: str | None) -> Any:
    """Append the caller's approval or rejection (one per person and request)."""
    return (
        await uow.conn.execute(
            credit_limit_approvals.insert()
            .values(
                tenant_id=uow.tenant_id,
                request_id=request_id,
                approver=uow.actor.subject,
                roles=sorted(uow.actor.roles),
                verdict=verdict,
                reason=reason,
            )
            .returning(credit_limit_approvals)
        )
    ).one()


def _decision_snapshot(request: dict[str, Any], approvals: list[Any]) -> dict[str, Any]:
    snapshot = dict(request["snapshot"])
    snapshot["approvals"] = [
        {"approver": a.approver, "roles": list(a.roles)}
        for a in approvals
        if a.verdict == "APPROVE"
    ]
    rejected = [a.approver for a in approvals if a.verdict == "REJECT"]
    snapshot["rejectedBy"] = rejected[0] if rejected else None
    return snapshot


async def approve_limit(uow: UnitOfWork, request_id: UUID, reason: str | None) -> LimitRequestView:
    """Add an approval (four eyes: not the requester, not twice the same person, not who
    granted it in an application, a role the tier allows; never to a request a later approved
    limit made stale, nor to a group limit whose group has its limit elsewhere by now); with
    the last one needed, the limit is appended and in force."""
    errors: list[DomainError] = []
    text = clean_text(reason, "reason", MAX_NOTE, errors, required=False)
    if errors:
        raise ValidationFailed(errors)
    request, given = await _locked_request(uow, request_id)
    await limit_history.ensure_current(uow, request)
    needed = tier_requirement(ApprovalTier(request["tier"]))
    check_approval(
        request["created_by"],
        uow.actor.subject,
        uow.actor.roles,
        needed,
        [a.approver for a in given],
        granted_by=request["snapshot"]["request"].get("grantedBy"),
    )
    if request["scope"] == LimitScope.GROUP:
        # the tenant's group-limit turn (as a request takes it), after this request's row lock
        # and its customer's limits lock: no holder of that turn waits for either
        policy = await class_policy.load(uow.conn)
        await limit_groups.check_at_approval(
            uow, request["customer_id"], policy.group_relation_kinds
        )
    approvals = [*given, await _verdict(uow, request_id, "APPROVE", text)]
    snapshot = _decision_snapshot(request, approvals)
    outcome = decide_limit(snapshot)
    if outcome["status"] != "APPROVED":
        await _audit(
            uow, request, AuditAction.APPROVE_CREDIT_LIMIT, None, {"approvals": len(approvals)}
        )
        return request_view(request, approvals)
    return await _put_in_force(uow, request, approvals, snapshot, outcome)


async def _put_in_force(
    uow: UnitOfWork,
    request: dict[str, Any],
    approvals: list[Any],
    snapshot: dict[str, Any],
    outcome: dict[str, Any],
) -> LimitRequestView:
    limit_id = uuid.uuid4()  # known before the insert, so the event carries it
    decision_id = await record_decision(
        uow,
        "LIMIT",
        request["id"],
        snapshot,
        outcome,
        {"creditPolicy": snapshot["policy"]["version"]},
        customer_id=request["customer_id"],
    )
    await uow.conn.execute(
        credit_limits.insert().values(
            tenant_id=uow.tenant_id,
            id=limit_id,
            customer_id=request["customer_id"],
            scope=request["scope"],
            kind=request["kind"],
            currency=request["currency"],
            amount_minor=request["amount_minor"],
            valid_from=request["valid_from"],
            valid_to=request["valid_to"],
            basis=request["basis"],
            note=request["note"],
            request_id=request["id"],
            requested_by=request["created_by"],
            approved_by=[a.approver for a in approvals],
            decision_id=decision_id,
        )
    )
    updated = (
        await uow.conn.execute(
            credit_limit_requests.update()
            .where(credit_limit_requests.c.id == request["id"])
            .values(status="APPROVED", limit_id=limit_id, decided_at=sa.func.now())
            .returning(credit_limit_requests)
        )
    ).one()
    view = dict(updated._mapping)
    await _audit(uow, view, AuditAction.APPROVE_CREDIT_LIMIT, "PENDING", {"limitId": str(limit_id)})
    await limit_grants.apply_with_limit(uow, view)
    await record_event(
        uow.conn,
        uow.tenant_id,
        TOPIC_LIMIT,
        {
            "change": "SET",
            "limitId": str(limit_id),
            "customerId": str(request["customer_id"]),
            "scope": request["scope"],
            "kind": request["kind"],
            "amount": {"minor": request["amount_minor"], "currency": request["currency"].strip()},
            "validFrom": request["valid_from"].isoformat(),
            "validTo": request["valid_to"].isoformat() if request["valid_to"] else None,
            "decisionId": str(decision_id),
        },
    )
    return request_view(view, approvals)


async def reject_limit(uow: UnitOfWork, request_id: UUID, reason: str) -> LimitRequestView:
    """Refuse a request with a reason (not by the requester); the decision is logged."""
    errors: list[DomainError] = []
    text = clean_text(reason, "reason", MAX_NOTE, errors, required=True)
    if errors:
        raise ValidationFailed(errors)
    request, given = await _locked_request(uow, request_id)
    needed = tier_requirement(ApprovalTier(request["tier"]))
    if uow.actor.subject == request["created_by"]:
        raise DomainError("SELF_APPROVAL", "the requester cannot decide their own request", "id")
    if uow.actor.subject in [a.approver for a in given]:
        raise DomainError("SAME_APPROVER", "you approved this request already", "id")
    if not needed.roles & uow.actor.roles:
        raise DomainError("NOT_AN_APPROVER", "your roles cannot decide this request", "id")
    approvals = [*given, await _verdict(uow, request_id, "REJECT", text)]
    snapshot = _decision_snapshot(request, approvals)
    await record_decision(
        uow,
        "LIMIT",
        request_id,
        snapshot,
        decide_limit(snapshot),
        {"creditPolicy": snapshot["policy"]["version"]},
        customer_id=request["customer_id"],
    )
    updated = (
        await uow.conn.execute(
            credit_limit_requests.update()
            .where(credit_limit_requests.c.id == request_id)
            .values(status="REJECTED", decided_at=sa.func.now())
            .returning(credit_limit_requests)
        )
    ).one()
    view = dict(updated._mapping)
    await _audit(uow, view, AuditAction.REJECT_CREDIT_LIMIT, "PENDING", {"reason": text})
    return request_view(view, approvals)
