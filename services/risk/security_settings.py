"""The tenant's risk-security settings: guarantee weights, warning lead times, and whether the
credit check and the provision run work on gross exposure or on the net retained risk."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.risk_security_tables import risk_security_settings as table
from domain.audit import AuditAction
from domain.errors import DomainError, ValidationFailed
from domain.risk.guarantees import EXPIRY_WARNING_DAYS, PERIOD_WARNING_DAYS, GuaranteeKind
from domain.risk.waterfall import ExposureBasis, parse_weights
from services import audit
from services.uow import UnitOfWork

DAYS_MAX = 365  #: a warning lead time of up to a year


@dataclass(frozen=True, slots=True)
class SecuritySettings:
    """The settings in force (the defaults before the first change, version 0)."""

    check_basis: ExposureBasis = ExposureBasis.GROSS
    provision_basis: ExposureBasis = ExposureBasis.GROSS
    weights: tuple[tuple[GuaranteeKind, Decimal], ...] = tuple(parse_weights(None).items())
    expiry_warning_days: int = EXPIRY_WARNING_DAYS
    period_warning_days: int = PERIOD_WARNING_DAYS
    version: int = 0

    def weight(self, kind: GuaranteeKind) -> Decimal:
        """The tenant's weight for a guarantee kind, in percent."""
        return dict(self.weights)[kind]


def from_row(row: Any) -> SecuritySettings:
    """The settings of a stored row (any object with the columns as attributes)."""
    return SecuritySettings(
        ExposureBasis(row.check_basis), ExposureBasis(row.provision_basis),
        tuple(parse_weights(row.weights).items()), row.expiry_warning_days,
        row.period_warning_days, row.version,
    )  # fmt: skip


async def load(conn: AsyncConnection) -> SecuritySettings:
    """The settings of the connection's tenant."""
    row = (await conn.execute(sa.select(table))).one_or_none()
    return SecuritySettings() if row is None else from_row(row)


@dataclass(frozen=True)
class SettingsIn:
    """A change: only the fields given change."""

    check_basis: str | None = None
    provision_basis: str | None = None
    weights: dict[str, str] | None = None
    expiry_warning_days: int | None = None
    period_warning_days: int | None = None


async def update(uow: UnitOfWork, version: int, data: SettingsIn) -> SecuritySettings:
    """Change the settings (STALE_VERSION when someone changed them since `version`)."""
    errors: list[DomainError] = []
    current = await load(uow.conn)
    values: dict[str, Any] = {}
    for name, value in (("checkBasis", data.check_basis), ("provisionBasis",
                                                          data.provision_basis)):  # fmt: skip
        if value is not None:
            try:
                column = "check_basis" if name == "checkBasis" else "provision_basis"
                values[column] = ExposureBasis(value).value
            except ValueError:
                errors.append(DomainError("INVALID_KIND", "GROSS or NET", name))
    if data.weights is not None:
        try:
            parse_weights(data.weights, "weights")
            merged = {k.value: str(v) for k, v in current.weights}
            values["weights"] = {**merged, **{k: str(v) for k, v in data.weights.items()}}
        except DomainError as exc:
            errors.append(exc)
    for name, column, days in (
        ("expiryWarningDays", "expiry_warning_days", data.expiry_warning_days),
        ("periodWarningDays", "period_warning_days", data.period_warning_days),
    ):
        if days is not None:
            if not 0 <= days <= DAYS_MAX:
                errors.append(DomainError("INVALID_INPUT", f"0 to {DAYS_MAX} days", name))
            values[column] = days
    if version != current.version:
        errors.append(DomainError("STALE_VERSION", "the settings changed since you read them",
                                  "version"))  # fmt: skip
    if errors:
        raise ValidationFailed(errors)
    row = (
        await uow.conn.execute(
            insert(table)
            .values(tenant_id=uow.tenant_id, updated_by=uow.actor.subject, **values)
            .on_conflict_do_update(
                index_elements=[table.c.tenant_id],
                set_={**values, "version": table.c.version + 1, "updated_by": uow.actor.subject,
                      "updated_at": sa.func.now()},
            )
            .returning(table)
        )
    ).one()  # fmt: skip
    await audit.record(
        uow, AuditAction.UPDATE_RISK_SECURITY_SETTINGS, "risk_security_settings", uow.tenant_id,
        None, {k: [None, v] for k, v in values.items()},
    )  # fmt: skip
    return from_row(row)
