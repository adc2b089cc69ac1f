"""Collateral: pledges and mortgages recorded, re-appraised and released, with their coverage
value (appraised x (1 - haircut)) and when the next appraisal is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.queries.events import record_event
from dbschema.risk_security_tables import collateral
from dbschema.tables import customers
from domain.audit import AuditAction
from domain.dates import check_date
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.money import Money
from domain.risk import collateral as rules
from services import audit
from services.inputs import MoneyIn
from services.read_session import ReadSession
from services.uow import UnitOfWork


@dataclass(frozen=True)
class CollateralIn:
    """A pledge or mortgage as the API received it."""

    reference: str
    customer_id: UUID
    form: str
    asset_kind: str
    description: str
    appraised_value: MoneyIn
    appraised_on: date
    haircut_percent: str
    valid_from: date
    valid_to: date | None = None
    registration_ref: str | None = None


@dataclass(frozen=True, slots=True)
class CollateralView:
    """A collateral as it stands, with its coverage value and next appraisal."""

    id: UUID
    reference: str
    customer_id: UUID
    form: str
    asset_kind: str
    description: str
    appraised: Money
    appraised_on: date
    haircut_percent: Decimal
    coverage: Money
    reappraisal_due_on: date | None
    registration_ref: str | None
    valid_from: date
    valid_to: date | None
    status: str
    version: int
    created_at: datetime


def view(row: Any) -> CollateralView:
    """A collateral row with its derived figures."""
    appraised = Money(int(row.appraised_minor), row.currency.strip())
    kind = rules.AssetKind(row.asset_kind)
    return CollateralView(
        row.id, row.reference, row.customer_id, row.form, row.asset_kind, row.description,
        appraised, row.appraised_on, row.haircut_percent,
        rules.coverage_value(appraised, row.haircut_percent),
        rules.reappraisal_due_on(row.appraised_on, rules.REAPPRAISAL_MONTHS[kind]),
        row.registration_ref, row.valid_from, row.valid_to, row.status, row.version,
        row.created_at,
    )  # fmt: skip


def _attempt(errors: list[DomainError], check: Any, *args: Any) -> Any:
    try:
        return check(*args)
    except DomainError as exc:
        errors.append(exc)
        return None


def _text(value: str | None, name: str, limit: int, errors: list[DomainError]) -> str | None:
    text = (value or "").strip() or None
    if text is not None and len(text) > limit:
        errors.append(DomainError("TOO_LONG", f"at most {limit} characters", name))
    return text


def _appraisal(value: MoneyIn, on: date, haircut: str, errors: list[DomainError]) -> Any:
    money = _attempt(errors, Money.parse, value.amount, value.currency, "appraisedValue")
    if money is not None and money.minor < 0:
        errors.append(DomainError("NEGATIVE_AMOUNT", "not below zero", "appraisedValue.amount"))
    _attempt(errors, check_date, on, "appraisedOn")
    return money, _attempt(errors, rules.parse_haircut, haircut)


async def create_collateral(uow: UnitOfWork, data: CollateralIn) -> CollateralView:
    """Record a pledge or mortgage after checking every field; nothing written on a refusal."""
    errors: list[DomainError] = []
    reference = _text(data.reference, "reference", 100, errors)
    if reference is None:
        errors.append(DomainError("REQUIRED", "the contract's reference", "reference"))
    description = _text(data.description, "description", 500, errors)
    if description is None:
        errors.append(DomainError("REQUIRED", "what the asset is", "description"))
    registration = _text(data.registration_ref, "registrationRef", 200, errors)
    form = _attempt(errors, rules.Form, data.form)
    kind = _attempt(errors, rules.AssetKind, data.asset_kind)
    if form is None or kind is None:
        errors.append(DomainError("INVALID_KIND", "an unknown form or asset kind", "form"))
    else:
        _attempt(errors, rules.check_form, form, kind)
    money, haircut = _appraisal(data.appraised_value, data.appraised_on, data.haircut_percent,
                                errors)  # fmt: skip
    _attempt(errors, check_date, data.valid_from, "validFrom")
    _attempt(errors, check_date, data.valid_to, "validTo")
    if data.valid_to is not None and data.valid_to < data.valid_from:
        errors.append(DomainError("ENDS_BEFORE_START", "validity ends before it starts", "validTo"))
    if not await uow.conn.scalar(sa.select(customers.c.id).where(
            customers.c.id == data.customer_id)):  # fmt: skip
        errors.append(NotFound("customerId", "customer"))
    if reference and await uow.conn.scalar(
        sa.select(collateral.c.id).where(collateral.c.reference == reference)
    ):
        errors.append(DomainError("DUPLICATE_REFERENCE", "a collateral has it", "reference"))
    if errors:
        raise ValidationFailed(errors)
    row = (
        await uow.conn.execute(
            collateral.insert()
            .values(
                tenant_id=uow.tenant_id, reference=reference, customer_id=data.customer_id,
                form=form, asset_kind=kind, description=description,
                appraised_minor=money.minor, currency=money.currency,
                appraised_on=data.appraised_on, haircut_percent=haircut,
                registration_ref=registration, valid_from=data.valid_from,
                valid_to=data.valid_to, created_by=uow.actor.subject,
            )
            .returning(collateral)
        )
    ).one()  # fmt: skip
    await audit.record(
        uow, AuditAction.CREATE_COLLATERAL, "collateral", row.id, data.customer_id,
        {"reference": [None, reference], "appraised": [None, f"{money.minor} {money.currency}"],
         "haircutPercent": [None, str(haircut)]},
    )  # fmt: skip
    return await _changed(uow, view(row), "RECORDED")


async def _changed(uow: UnitOfWork, item: CollateralView, what: str) -> CollateralView:
    await record_event(uow.conn, uow.tenant_id, "risk.collateral_changed", {
        "collateralId": str(item.id), "customerId": str(item.customer_id), "change": what,
        "coverageMinor": item.coverage.minor, "currency": item.coverage.currency,
    })  # fmt: skip
    return item


async def _locked(uow: UnitOfWork, collateral_id: UUID, version: int | None) -> Any:
    row = (
        await uow.conn.execute(
            sa.select(collateral).where(collateral.c.id == collateral_id).with_for_update()
        )
    ).one_or_none()
    if row is None:
        raise NotFound("id", "collateral")
    if version is not None and row.version != version:
        raise DomainError("STALE_VERSION", "the collateral changed since you read it", "version")
    if row.status != rules.Status.ACTIVE:
        raise DomainError("INVALID_STATUS", "the collateral is released", "id")
    return row


async def reappraise_collateral(
    uow: UnitOfWork, collateral_id: UUID, value: MoneyIn, on: date, haircut: str,
    version: int | None = None,
) -> CollateralView:  # fmt: skip
    """Record a new appraisal (and haircut); the coverage value follows."""
    errors: list[DomainError] = []
    money, cut = _appraisal(value, on, haircut, errors)
    if errors:
        raise ValidationFailed(errors)
    row = await _locked(uow, collateral_id, version)
    if money.currency != row.currency.strip():
        raise DomainError("CURRENCY_MISMATCH", "appraise in the collateral's currency",
                          "appraisedValue.currency")  # fmt: skip
    if on < row.appraised_on:
        raise DomainError("INVALID_DATE", "before the last appraisal", "appraisedOn")
    new = (
        await uow.conn.execute(
            collateral.update()
            .where(collateral.c.id == row.id)
            .values(appraised_minor=money.minor, appraised_on=on, haircut_percent=cut,
                    version=row.version + 1)
            .returning(collateral)
        )
    ).one()  # fmt: skip
    await audit.record(
        uow, AuditAction.REAPPRAISE_COLLATERAL, "collateral", row.id, row.customer_id,
        {"appraised": [int(row.appraised_minor), money.minor],
         "appraisedOn": [row.appraised_on.isoformat(), on.isoformat()],
         "haircutPercent": [str(row.haircut_percent), str(cut)]},
    )  # fmt: skip
    return await _changed(uow, view(new), "REAPPRAISED")


async def release_collateral(
    uow: UnitOfWork, collateral_id: UUID, version: int | None = None
) -> CollateralView:
    """Release a collateral (returned, or the charge discharged): it no longer covers."""
    row = await _locked(uow, collateral_id, version)
    new = (
        await uow.conn.execute(
            collateral.update()
            .where(collateral.c.id == row.id)
            .values(status=rules.Status.RELEASED, version=row.version + 1)
            .returning(collateral)
        )
    ).one()
    await audit.record(
        uow, AuditAction.RELEASE_COLLATERAL, "collateral", row.id, row.customer_id,
        {"status": [row.status, "RELEASED"]},
    )  # fmt: skip
    return await _changed(uow, view(new), "RELEASED")


async def collateral_of(session: ReadSession, customer_id: UUID) -> list[CollateralView]:
    """A customer's collateral, oldest first."""
    query = (
        sa.select(collateral)
        .where(collateral.c.customer_id == customer_id)
        .order_by(collateral.c.created_at, collateral.c.id)
    )
    return [view(r) for r in await session.run(lambda c: c.execute(query))]


async def collateral_by_ids(session: ReadSession, ids: list[UUID]) -> list[CollateralView | None]:
    """Collateral in the order asked (for a DataLoader)."""
    query = sa.select(collateral).where(collateral.c.id.in_(ids))
    found = {r.id: view(r) for r in await session.run(lambda c: c.execute(query))}
    return [found.get(i) for i in ids]
