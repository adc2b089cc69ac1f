"""Payment-terms templates: net days, end of month plus days, or instalments.

A template coded CLASS_A .. CLASS_D replaces the practice's default for that rating class
(A 60 days, B 30, C 15, D 0 = cash before delivery); any other code is assigned to customers
by agreement. Saving an existing code replaces it (invoices keep the due dates they got).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.ledger_tables import payment_terms
from dbschema.queries import audit
from domain.audit import AuditAction
from domain.errors import DomainError, ValidationFailed
from domain.terms import DEFAULT_CLASS_TERMS, Instalment, PaymentTerms, TermsKind, applicable_terms
from services.configuration.terms import terms_from_row
from services.read_session import ReadSession
from services.uow import UnitOfWork

CODE = re.compile(r"[A-Z0-9][A-Z0-9_.-]{0,31}")


@dataclass(frozen=True)
class TermsIn:
    """A template as submitted: percents as decimal strings."""

    code: str
    name: str
    kind: str
    net_days: int = 0
    eom_plus_days: int = 0
    instalments: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class TermsTemplate:
    """A stored template: its code, the name users see, and its terms."""

    code: str
    name: str
    terms: PaymentTerms


@dataclass(frozen=True)
class TermsCatalogue:
    """Stored templates by code, and the terms each rating class gets in effect."""

    templates: tuple[TermsTemplate, ...]
    class_terms: tuple[tuple[str, PaymentTerms], ...]


def _template(row: Mapping[str, Any]) -> TermsTemplate:
    return TermsTemplate(code=row["code"], name=row["name"], terms=terms_from_row(row))


def check(data: TermsIn) -> PaymentTerms:
    """The domain's terms, or every problem at once."""
    errors: list[DomainError] = []
    if not CODE.fullmatch(data.code or ""):
        errors.append(
            DomainError("INVALID_CODE", "upper-case letters, digits, _ . - (32 at most)", "code")
        )
    if not (data.name or "").strip():
        errors.append(DomainError("REQUIRED", "must not be blank", "name"))
    if data.kind not in TermsKind.__members__:
        errors.append(DomainError("INVALID_TERMS", "NET, END_OF_MONTH or INSTALMENTS", "kind"))
    for field, days in (("netDays", data.net_days), ("eomPlusDays", data.eom_plus_days)):
        if not 0 <= days <= 3650:
            errors.append(DomainError("INVALID_TERMS", "between 0 and 3650 days", field))
    parts = []
    for n, (percent, offset) in enumerate(data.instalments):
        try:
            parts.append(Instalment(Decimal(percent), int(offset)))
        except InvalidOperation:
            errors.append(
                DomainError("INVALID_AMOUNT", "a decimal percent", f"instalments.{n}.percent")
            )
    if errors:
        raise ValidationFailed(errors)
    if data.kind != "INSTALMENTS" and parts:
        raise DomainError("INVALID_TERMS", "instalments only with INSTALMENTS", "instalments")
    return PaymentTerms(
        kind=TermsKind(data.kind),
        net_days=data.net_days,
        eom_plus_days=data.eom_plus_days,
        instalments=tuple(parts),
    )


async def save(uow: UnitOfWork, data: TermsIn) -> TermsTemplate:
    """Create or replace a template by code, audited."""
    terms = check(data)
    values = {
        "name": data.name.strip(),
        "kind": terms.kind.value,
        "net_days": terms.net_days,
        "eom_plus_days": terms.eom_plus_days,
        "instalments": [
            {"percent": str(i.percent), "offsetDays": i.offset_days} for i in terms.instalments
        ],
    }
    before = (
        await uow.conn.execute(sa.select(payment_terms).where(payment_terms.c.code == data.code))
    ).first()
    row = (
        await uow.conn.execute(
            insert(payment_terms)
            .values(tenant_id=uow.tenant_id, code=data.code, created_by=uow.actor.subject, **values)
            .on_conflict_do_update(index_elements=["tenant_id", "code"], set_=values)
            .returning(payment_terms)
        )
    ).one()
    old = {k: before._mapping[k] for k in values} if before else {}
    changes = {k: {"before": old.get(k), "after": v} for k, v in values.items() if old.get(k) != v}
    if changes:
        await audit.record(
            uow.conn,
            tenant_id=uow.tenant_id,
            entity_type="PaymentTerms",
            entity_id=row.id,
            customer_id=None,
            action=AuditAction.SAVE_PAYMENT_TERMS,
            actor=uow.actor.subject,
            request_id=uow.actor.request_id,
            changes=changes,
        )
    return _template(row._mapping)


async def catalogue(session: ReadSession) -> TermsCatalogue:
    """Stored templates by code, and the effective terms of each rating class."""

    async def rows(conn: AsyncConnection) -> list[Any]:
        return list(await conn.execute(sa.select(payment_terms).order_by(payment_terms.c.code)))

    return _catalogue(await session.run(rows))


async def catalogue_in(uow: UnitOfWork) -> TermsCatalogue:
    """The same catalogue inside a unit of work (a class change proposes the class's terms)."""
    rows = await uow.conn.execute(sa.select(payment_terms).order_by(payment_terms.c.code))
    return _catalogue(list(rows))


def _catalogue(rows: list[Any]) -> TermsCatalogue:
    templates = tuple(_template(r._mapping) for r in rows)
    by_code = {t.code: t.terms for t in templates}
    return TermsCatalogue(
        templates=templates,
        class_terms=tuple(
            (rating, applicable_terms(by_code, None, rating)) for rating in DEFAULT_CLASS_TERMS
        ),
    )


async def exists(uow: UnitOfWork, code: str) -> bool:
    """Whether a template with this code is stored in the tenant."""
    return bool(
        await uow.conn.scalar(sa.select(sa.func.count()).where(payment_terms.c.code == code))
    )
