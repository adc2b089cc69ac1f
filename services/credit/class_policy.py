"""The tenant's credit policy, versioned: each change is a new version, never an edit.

A decision records the version it used (and the whole policy in its snapshot). No version
row means the practice's defaults (version 0). A change is validated as a whole before
anything is written, audited with before and after, and published as a limit-policy event.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.credit_limit_tables import credit_policies
from dbschema.ledger_tables import payment_terms
from domain.audit import AuditAction
from domain.credit import class_policy
from domain.credit.class_policy import RATING_CLASSES, CreditPolicy
from domain.errors import DomainError, ValidationFailed
from services.credit import limit_groups
from services.credit.trail import audited
from services.uow import UnitOfWork

#: The terms codes that always resolve, through the class defaults of domain.terms.
CLASS_TERMS = frozenset(f"CLASS_{c}" for c in RATING_CLASSES)


async def stored(conn: AsyncConnection) -> tuple[int, dict[str, Any]]:
    """The newest version number and its overrides ((0, {}) before the first change)."""
    row = (
        await conn.execute(
            sa.select(credit_policies.c.version, credit_policies.c.overrides)
            .order_by(credit_policies.c.version.desc())
            .limit(1)
        )
    ).first()
    return (0, {}) if row is None else (int(row.version), dict(row.overrides))


def from_stored(version: int, overrides: Mapping[str, Any]) -> CreditPolicy:
    """The effective policy of a stored version."""
    return class_policy.effective(overrides, version)


async def load(conn: AsyncConnection) -> CreditPolicy:
    """The policy in force for the connection's tenant."""
    version, overrides = await stored(conn)
    return from_stored(version, overrides)


async def review_interval_months(conn: AsyncConnection, rating_class: str) -> int:
    """How often a class's customers are reviewed, in months (for scoring and reviews)."""
    return class_policy.review_interval_months(await load(conn), rating_class)


async def _unknown_terms(conn: AsyncConnection, policy: CreditPolicy) -> list[DomainError]:
    codes = {c.payment_terms_code for c in policy.classes} - CLASS_TERMS
    if not codes:
        return []
    known = set(
        await conn.scalars(sa.select(payment_terms.c.code).where(payment_terms.c.code.in_(codes)))
    )
    return [
        DomainError(
            "NOT_FOUND", f"no payment terms {c.payment_terms_code!r}", f"class{c.rating_class}"
            ".paymentTermsCode",
        )
        for c in policy.classes
        if c.payment_terms_code not in known and c.payment_terms_code not in CLASS_TERMS
    ]  # fmt: skip


async def update(uow: UnitOfWork, changes: Mapping[str, Any]) -> CreditPolicy:
    """Apply changes (None resets a key to the practice's default) as a new version."""
    # one writer at a time: the version number is the next after the newest
    await uow.conn.execute(
        sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"),
        {"k": f"{uow.tenant_id}:credit-policy"},
    )
    version, current = await stored(uow.conn)
    merged = class_policy.merge(current, changes)
    policy = class_policy.effective(merged, version + 1)
    errors = await _unknown_terms(uow.conn, policy)
    if errors:
        raise ValidationFailed(errors)
    if merged == current:
        return class_policy.effective(current, version)
    before = class_policy.effective(current, version).group_relation_kinds
    if set(policy.group_relation_kinds) - set(before):
        await limit_groups.check_kinds(uow, policy.group_relation_kinds)
    await uow.conn.execute(
        credit_policies.insert().values(
            tenant_id=uow.tenant_id,
            version=version + 1,
            overrides=merged,
            created_by=uow.actor.subject,
        )
    )
    await audited(
        uow,
        "CreditPolicy",
        uow.tenant_id,
        None,
        AuditAction.UPDATE_CREDIT_POLICY,
        {
            key: {"before": current.get(key), "after": merged.get(key)}
            for key in class_policy.TOP_KEYS
            if current.get(key) != merged.get(key)
        }
        | {"version": {"before": version, "after": version + 1}},
    )
    return policy
