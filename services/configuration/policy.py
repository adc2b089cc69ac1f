"""The tenant's receivables policy: the source practice's defaults, overridable per tenant.

Stored under `tenants.settings["receivables"]`; the readers (aging, collections, interest,
provisions, write-offs) fall back to the defaults for any key that is absent, so resetting a
key (null) restores the practice's rule. Every change is validated by the domain's rules and
audited with before and after.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.queries import audit
from dbschema.tables import tenants
from domain import texts
from domain.aging import DEFAULT_AGE_BUCKETS, DEFAULT_DPD_BUCKETS, Bucket, validate_buckets
from domain.audit import AuditAction
from domain.errors import DomainError, ValidationFailed
from domain.escalation import DEFAULT_LADDER, PRE_DUE_REMINDER_DAYS, Stage, validate_ladder
from domain.interest import DEFAULT_GRACE_DAYS, LATE_INTEREST_PER_DAY, parse_daily_rate
from domain.money import MAX_DOCUMENT_MINOR, parse_decimal
from domain.provisions import DEFAULT_AGE_MATRIX, ProvisionBand, ProvisionMatrix
from domain.writeoff import DEFAULT_DUAL_APPROVAL_THRESHOLD_MINOR
from services.configuration.inputs import KEEP, BucketIn, MatrixIn, PolicyChanges, Setting, StageIn
from services.read_session import ReadSession
from services.uow import UnitOfWork

KEYS = tuple(s.value for s in Setting)


@dataclass(frozen=True)
class ReceivablesConfig:
    """The effective policy, defaults filled in."""

    aging_buckets: tuple[Bucket, ...]
    age_buckets: tuple[Bucket, ...]
    escalation_ladder: tuple[Stage, ...]
    provision_matrix: ProvisionMatrix
    late_interest_daily_rate: Decimal
    grace_days: int
    reminder_days_before_due: int
    write_off_dual_approval_minor: int
    max_document_minor: int
    overridden: tuple[Setting, ...]


def _buckets(raw: list[dict[str, Any]] | None, default: tuple[Bucket, ...]) -> tuple[Bucket, ...]:
    if not raw:
        return default
    return validate_buckets(
        [
            Bucket(
                str(b["label"]),
                int(b["minDays"]),
                None if b.get("maxDays") is None else int(b["maxDays"]),
            )
            for b in raw
        ]
    )


def _ladder(raw: list[dict[str, Any]] | None) -> tuple[Stage, ...]:
    if not raw:
        return DEFAULT_LADDER
    stages = [
        Stage(
            str(s["key"]),
            int(s["minDays"]),
            None if s.get("maxDays") is None else int(s["maxDays"]),
            str(s["ownerRole"]),
            str(s["action"]),
        )
        for s in raw
    ]
    return validate_ladder(stages)


def _matrix(raw: dict[str, Any] | None) -> ProvisionMatrix:
    """A stored matrix ({basis, bands: [{minDays, rate}]}) or the practice's default."""
    if not raw:
        return DEFAULT_AGE_MATRIX
    bands = tuple(
        ProvisionBand(int(b["minDays"]), Decimal(str(b["rate"]))) for b in raw.get("bands", [])
    )
    return ProvisionMatrix(str(raw.get("basis", "AGE")), bands)


def effective(settings: dict[str, Any]) -> ReceivablesConfig:
    """The stored overrides over the practice's defaults."""
    raw = settings.get("receivables") or {}
    return ReceivablesConfig(
        aging_buckets=_buckets(raw.get(Setting.AGING_BUCKETS), DEFAULT_DPD_BUCKETS),
        age_buckets=_buckets(raw.get(Setting.AGE_BUCKETS), DEFAULT_AGE_BUCKETS),
        escalation_ladder=_ladder(raw.get(Setting.ESCALATION_LADDER)),
        provision_matrix=_matrix(raw.get(Setting.PROVISION_MATRIX)),
        late_interest_daily_rate=Decimal(
            str(raw.get(Setting.LATE_INTEREST_DAILY_RATE, LATE_INTEREST_PER_DAY))
        ),
        grace_days=int(raw.get(Setting.GRACE_DAYS, DEFAULT_GRACE_DAYS)),
        reminder_days_before_due=int(
            raw.get(Setting.REMINDER_DAYS_BEFORE_DUE, PRE_DUE_REMINDER_DAYS)
        ),
        write_off_dual_approval_minor=int(
            raw.get(Setting.WRITE_OFF_DUAL_APPROVAL_MINOR, DEFAULT_DUAL_APPROVAL_THRESHOLD_MINOR)
        ),
        max_document_minor=int(raw.get(Setting.MAX_DOCUMENT_MINOR, MAX_DOCUMENT_MINOR)),
        overridden=tuple(s for s in Setting if s.value in raw),
    )


def _days(value: int, field: str, maximum: int) -> int:
    if not 0 <= value <= maximum:
        raise DomainError("INVALID_INPUT", f"between 0 and {maximum} days", field)
    return value


def _check_buckets(setting: Setting, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
    key = setting.value
    if not value:
        raise DomainError("INVALID_BUCKETS", "at least one bucket; null resets", key)
    if value[0]["minDays"] != 0:
        raise DomainError("INVALID_BUCKETS", "the first bucket starts at day 0", key)
    default = DEFAULT_DPD_BUCKETS if setting == Setting.AGING_BUCKETS else DEFAULT_AGE_BUCKETS
    try:
        _buckets(value, default)
    except DomainError as exc:
        raise DomainError(exc.code, exc.message, key) from None
    if any(len(b["label"]) > 40 or not b["label"].strip() for b in value):
        raise DomainError("INVALID_BUCKETS", "labels are 1 to 40 characters", key)
    return value


def _check(setting: Setting, value: Any) -> Any:
    """Validate one override in stored form; raise a DomainError naming the field."""
    key = setting.value
    if setting in (Setting.AGING_BUCKETS, Setting.AGE_BUCKETS):
        return _check_buckets(setting, value)
    if setting == Setting.ESCALATION_LADDER:
        if not value:
            raise DomainError("INVALID_LADDER", "at least one stage; null resets", key)
        for n, stage in enumerate(value):  # what a case and its tasks will carry
            texts.check_text(stage["key"], texts.CODE, f"{key}.{n}.key")
            texts.check_text(stage["action"], texts.NAME, f"{key}.{n}.action")
        try:
            _ladder(value)
        except DomainError as exc:
            stage = exc.field if exc.field and exc.field[0].isdigit() else None
            raise DomainError(exc.code, exc.message, f"{key}.{stage}" if stage else key) from None
        return value
    if setting == Setting.PROVISION_MATRIX:
        for n, band in enumerate(value.get("bands", [])):
            parse_decimal(band["rate"], f"{key}.bands.{n}.rate", "INVALID_MATRIX")
        try:
            _matrix(value)
        except (InvalidOperation, KeyError, ValueError):
            raise DomainError(
                "INVALID_MATRIX", "bands need minDays and a decimal rate", key
            ) from None
        except DomainError as exc:
            raise DomainError(exc.code, exc.message, key) from None
        return value
    if setting == Setting.LATE_INTEREST_DAILY_RATE:
        return str(parse_daily_rate(value, key))
    if setting == Setting.GRACE_DAYS:
        return _days(value, key, 90)
    if setting == Setting.REMINDER_DAYS_BEFORE_DUE:
        return _days(value, key, 60)
    if setting == Setting.WRITE_OFF_DUAL_APPROVAL_MINOR and value < 0:
        raise DomainError("NEGATIVE_AMOUNT", "must not be negative", key)
    if setting == Setting.MAX_DOCUMENT_MINOR:
        return _max_document(value, key)
    return value


def _max_document(value: str, field: str) -> int:
    """A whole number of minor units from 1 to the platform's ceiling (10^15)."""
    amount = parse_decimal(value, field)
    if amount != amount.to_integral_value() or not 1 <= amount <= MAX_DOCUMENT_MINOR:
        raise DomainError(
            "INVALID_AMOUNT", f"whole minor units from 1 to {MAX_DOCUMENT_MINOR:,}", field
        )
    return int(amount)


def _bucket(b: BucketIn) -> dict[str, Any]:
    return {"label": b.label, "minDays": b.min_days, "maxDays": b.max_days}


def _stage(s: StageIn) -> dict[str, Any]:
    return {
        "key": s.key,
        "minDays": s.min_days,
        "maxDays": s.max_days,
        "ownerRole": s.owner_role,
        "action": s.action,
    }


def _matrix_stored(m: MatrixIn) -> dict[str, Any]:
    return {"basis": m.basis, "bands": [{"minDays": d, "rate": r} for d, r in m.bands]}


def _stored_changes(changes: PolicyChanges) -> dict[Setting, Any]:
    """The settings a change touches, each in the form the tenant's settings store it
    (camelCase JSON, as ever); None resets the setting to the default."""
    c = changes
    touched: tuple[tuple[Setting, Any, Callable[[Any], Any]], ...] = (
        (Setting.AGING_BUCKETS, c.aging_buckets, lambda v: [_bucket(b) for b in v]),
        (Setting.AGE_BUCKETS, c.age_buckets, lambda v: [_bucket(b) for b in v]),
        (Setting.ESCALATION_LADDER, c.escalation_ladder, lambda v: [_stage(s) for s in v]),
        (Setting.PROVISION_MATRIX, c.provision_matrix, _matrix_stored),
        (Setting.LATE_INTEREST_DAILY_RATE, c.late_interest_daily_rate, str),
        (Setting.GRACE_DAYS, c.grace_days, int),
        (Setting.REMINDER_DAYS_BEFORE_DUE, c.reminder_days_before_due, int),
        (Setting.WRITE_OFF_DUAL_APPROVAL_MINOR, c.write_off_dual_approval_minor, int),
        (Setting.MAX_DOCUMENT_MINOR, c.max_document_minor, str),
    )
    return {
        setting: None if value is None else store(value)
        for setting, value, store in touched
        if value is not KEEP
    }


async def load(conn: AsyncConnection) -> ReceivablesConfig:
    """The effective policy of the connection's tenant, for a query function of another
    service already running on a connection (read and in_effect are the entry points)."""
    settings = await conn.scalar(sa.select(tenants.c.settings)) or {}
    return effective(settings)


async def read(session: ReadSession) -> ReceivablesConfig:
    """The effective policy, read in the request's session."""
    return await session.run(load)


async def in_effect(uow: UnitOfWork) -> ReceivablesConfig:
    """The effective policy, inside a unit of work."""
    return await load(uow.conn)


async def update(uow: UnitOfWork, changes: PolicyChanges) -> ReceivablesConfig:
    """Apply overrides (None resets a key to the default); all checked before anything is
    written, and the change audited with before and after."""
    row = (
        await uow.conn.execute(sa.select(tenants.c.id, tenants.c.settings).with_for_update())
    ).one()
    settings = dict(row.settings or {})
    current = dict(settings.get("receivables") or {})
    errors: list[DomainError] = []
    updated = dict(current)
    for setting, value in _stored_changes(changes).items():
        if value is None:
            updated.pop(setting.value, None)
            continue
        try:
            updated[setting.value] = _check(setting, value)
        except DomainError as exc:
            errors.append(exc)
    if errors:
        raise ValidationFailed(errors)
    settings["receivables"] = updated
    config = effective(settings)  # the whole policy must still hold together
    diff = {
        k: {"before": current.get(k), "after": updated.get(k)}
        for k in KEYS
        if current.get(k) != updated.get(k)
    }
    if diff:
        await uow.conn.execute(
            tenants.update().where(tenants.c.id == row.id).values(settings=settings)
        )
        await audit.record(
            uow.conn,
            tenant_id=uow.tenant_id,
            entity_type="Tenant",
            entity_id=row.id,
            customer_id=None,
            action=AuditAction.UPDATE_RECEIVABLES_SETTINGS,
            actor=uow.actor.subject,
            request_id=uow.actor.request_id,
            changes=diff,
        )
    return config
