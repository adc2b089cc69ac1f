"""The tenant's receivables policy: the source practice's defaults, overridable per tenant.

Stored under `tenants.settings["receivables"]`; the readers (aging, collections, interest,
provisions, write-offs) fall back to the defaults for any key that is absent, so resetting a
key (null) restores the practice's rule. Every change is validated by the domain's rules and
audited with before and after.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.queries import audit
from dbschema.tables import tenants
from domain.aging import DEFAULT_AGE_BUCKETS, DEFAULT_DPD_BUCKETS, Bucket, validate_buckets
from domain.audit import AuditAction
from domain.errors import DomainError, ValidationFailed
from domain.escalation import DEFAULT_LADDER, PRE_DUE_REMINDER_DAYS, Stage, validate_ladder
from domain.interest import DEFAULT_GRACE_DAYS, LATE_INTEREST_PER_DAY, parse_daily_rate
from domain.provisions import DEFAULT_AGE_MATRIX, ProvisionBand, ProvisionMatrix, parse_matrix
from domain.writeoff import DEFAULT_DUAL_APPROVAL_THRESHOLD_MINOR
from services.uow import UnitOfWork

KEYS = (
    "agingBuckets",
    "ageBuckets",
    "escalationLadder",
    "provisionMatrix",
    "lateInterestDailyRate",
    "graceDays",
    "reminderDaysBeforeDue",
    "writeOffDualApprovalMinor",
)


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
    overridden: tuple[str, ...]


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


def effective(settings: dict[str, Any]) -> ReceivablesConfig:
    """The stored overrides over the practice's defaults."""
    raw = settings.get("receivables") or {}
    return ReceivablesConfig(
        aging_buckets=_buckets(raw.get("agingBuckets"), DEFAULT_DPD_BUCKETS),
        age_buckets=_buckets(raw.get("ageBuckets"), DEFAULT_AGE_BUCKETS),
        escalation_ladder=_ladder(raw.get("escalationLadder")),
        provision_matrix=parse_matrix(raw.get("provisionMatrix"), DEFAULT_AGE_MATRIX),
        late_interest_daily_rate=Decimal(
            str(raw.get("lateInterestDailyRate", LATE_INTEREST_PER_DAY))
        ),
        grace_days=int(raw.get("graceDays", DEFAULT_GRACE_DAYS)),
        reminder_days_before_due=int(raw.get("reminderDaysBeforeDue", PRE_DUE_REMINDER_DAYS)),
        write_off_dual_approval_minor=int(
            raw.get("writeOffDualApprovalMinor", DEFAULT_DUAL_APPROVAL_THRESHOLD_MINOR)
        ),
        overridden=tuple(k for k in KEYS if k in raw),
    )


def _days(value: int, field: str, maximum: int) -> int:
    if not 0 <= value <= maximum:
        raise DomainError("INVALID_INPUT", f"between 0 and {maximum} days", field)
    return value


def _check(key: str, value: Any) -> Any:
    """Validate one override in stored form; raise a DomainError naming the field."""
    if key in ("agingBuckets", "ageBuckets"):
        if not value:
            raise DomainError("INVALID_BUCKETS", "at least one bucket; null resets", key)
        if value[0]["minDays"] != 0:
            raise DomainError("INVALID_BUCKETS", "the first bucket starts at day 0", key)
        default = DEFAULT_DPD_BUCKETS if key == "agingBuckets" else DEFAULT_AGE_BUCKETS
        try:
            _buckets(value, default)
        except DomainError as exc:
            raise DomainError(exc.code, exc.message, key) from None
        if any(len(b["label"]) > 40 or not b["label"].strip() for b in value):
            raise DomainError("INVALID_BUCKETS", "labels are 1 to 40 characters", key)
        return value
    if key == "escalationLadder":
        if not value:
            raise DomainError("INVALID_LADDER", "at least one stage; null resets", key)
        try:
            _ladder(value)
        except DomainError as exc:
            stage = exc.field if exc.field and exc.field[0].isdigit() else None
            raise DomainError(exc.code, exc.message, f"{key}.{stage}" if stage else key) from None
        return value
    if key == "provisionMatrix":
        try:
            bands = tuple(
                ProvisionBand(int(b["minDays"]), Decimal(b["rate"])) for b in value["bands"]
            )
            ProvisionMatrix(value["basis"], bands)
        except (InvalidOperation, KeyError, ValueError):
            raise DomainError(
                "INVALID_MATRIX", "bands need minDays and a decimal rate", key
            ) from None
        except DomainError as exc:
            raise DomainError(exc.code, exc.message, key) from None
        return value
    if key == "lateInterestDailyRate":
        return str(parse_daily_rate(value, key))
    if key == "graceDays":
        return _days(value, key, 90)
    if key == "reminderDaysBeforeDue":
        return _days(value, key, 60)
    if key == "writeOffDualApprovalMinor":
        if value < 0:
            raise DomainError("NEGATIVE_AMOUNT", "must not be negative", key)
        return value
    raise DomainError("INVALID_INPUT", f"unknown setting {key!r}", key)


async def load(conn: AsyncConnection) -> ReceivablesConfig:
    """The effective policy of the connection's tenant."""
    settings = await conn.scalar(sa.select(tenants.c.settings)) or {}
    return effective(settings)


async def update(uow: UnitOfWork, changes: dict[str, Any]) -> ReceivablesConfig:
    """Apply overrides (None resets a key to the default); all checked before anything is
    written, and the change audited with before and after."""
    row = (
        await uow.conn.execute(sa.select(tenants.c.id, tenants.c.settings).with_for_update())
    ).one()
    settings = dict(row.settings or {})
    current = dict(settings.get("receivables") or {})
    errors: list[DomainError] = []
    updated = dict(current)
    for key, value in changes.items():
        if value is None:
            updated.pop(key, None)
            continue
        try:
            updated[key] = _check(key, value)
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
